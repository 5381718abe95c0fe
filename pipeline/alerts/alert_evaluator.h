#pragma once
// AlertEvaluator: decides which ticks trigger which rules. Pure (no I/O): the consumer feeds it the
// ticks the database inserted, inside the batch's transaction, and stores what it returns there
// too.
//
// Hysteresis: a rule's condition (price above/below the level, or a move beyond the percentage
// within the window) is checked on every tick of its symbol; the rule fires on a tick where the
// condition holds and did not hold on the symbol's previous tick (the first tick counts as "did not
// hold"). So one crossing is one alert, and it fires again only after the price crossed back.
//
// Order: a symbol's ticks are evaluated in event-time order. A tick older than the newest one
// evaluated for its symbol is history, not the current price: it is skipped (never fires, never
// re-arms). Ticks with the same event time are taken in the order they come.
//
// Restoring after a restart: the whole state of a rule is (event time of its last tick, whether
// the condition held on it) plus, for a move rule, the prices of the ticks in its window. The
// consumer stores the first part with the alerts (table alert_state) and reads the window from the
// stored ticks; restore() puts them back, so a replay neither fires twice nor misses a crossing.
#include "alerts/alert_rule.h"
#include "model/tick.h"

#include <deque>
#include <span>
#include <vector>

namespace ms {

// One trigger: the rule and the tick that fired it (table alerts).
struct AlertTrigger
{
    std::string rule;   // AlertRule::text
    Tick tick;          // symbol, price, event time, source, trade id
    std::string detail; // e.g. "above 50000", "+2.4% from 101.5 within 5m"

    bool operator==(const AlertTrigger &) const = default;
};

// What must survive a restart for one rule (table alert_state).
struct AlertRuleState
{
    std::string rule;
    qint64 lastTsMs = 0;        // event time of the last tick evaluated
    bool conditionHeld = false; // on that tick

    bool operator==(const AlertRuleState &) const = default;
};

class AlertEvaluator
{
public:
    explicit AlertEvaluator(std::vector<AlertRule> rules);

    const std::vector<AlertRule> &rules() const { return m_rules; }
    // The symbols the rules watch (each once).
    std::vector<std::string> symbols() const;

    // Evaluates one tick; appends the triggers it causes to `out`.
    void feed(const Tick &tick, std::vector<AlertTrigger> &out);
    // The states of the rules that saw a tick since the last call (to store with the triggers).
    std::vector<AlertRuleState> takeChangedStates();

    // Forgets everything (as on a first start).
    void reset();
    // Puts one rule back as it was: `window` = the stored prices of its symbol with
    // lastTsMs - windowMs < ts <= lastTsMs, in event-time order (ignored for level rules).
    // Unknown rules are ignored.
    void restore(const AlertRuleState &state, std::span<const Tick> window);

private:
    struct Point
    {
        qint64 tsMs;
        double price;
    };
    struct RuleState
    {
        bool seen = false;
        qint64 lastTsMs = 0;
        bool held = false;
        bool changed = false;
        std::deque<Point> lows, highs; // Move: increasing / decreasing prices within the window
    };
    void pushWindow(RuleState &st, qint64 windowMs, Point p);

    std::vector<AlertRule> m_rules;
    std::vector<RuleState> m_state;
};

} // namespace ms
