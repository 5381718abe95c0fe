#include "alerts/alert_evaluator.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace ms {

namespace {

std::string number(double v)
{
    char buf[64];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, ptr) : std::string();
}

std::string percentText(double pct)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.2f%%", pct);
    return buf;
}

} // namespace

AlertEvaluator::AlertEvaluator(std::vector<AlertRule> rules)
    : m_rules(std::move(rules)), m_state(m_rules.size())
{
}

std::vector<std::string> AlertEvaluator::symbols() const
{
    std::vector<std::string> out;
    for (const AlertRule &r : m_rules) {
        if (std::find(out.begin(), out.end(), r.symbol) == out.end())
            out.push_back(r.symbol);
    }
    return out;
}

void AlertEvaluator::pushWindow(RuleState &st, qint64 windowMs, Point p)
{
    // Monotonic deques: the front of `lows` is the window's lowest price, of `highs` its highest.
    while (!st.lows.empty() && st.lows.back().price >= p.price)
        st.lows.pop_back();
    st.lows.push_back(p);
    while (!st.highs.empty() && st.highs.back().price <= p.price)
        st.highs.pop_back();
    st.highs.push_back(p);
    const qint64 oldest = p.tsMs - windowMs; // ticks at or before this are outside (t - W, t]
    while (st.lows.front().tsMs <= oldest)
        st.lows.pop_front();
    while (st.highs.front().tsMs <= oldest)
        st.highs.pop_front();
}

void AlertEvaluator::feed(const Tick &tick, std::vector<AlertTrigger> &out)
{
    for (size_t i = 0; i < m_rules.size(); ++i) {
        const AlertRule &rule = m_rules[i];
        if (rule.symbol != tick.symbol)
            continue;
        RuleState &st = m_state[i];
        if (st.seen && tick.tsMs < st.lastTsMs)
            continue; // older than the newest tick evaluated: history, not the current price
        bool holds = false;
        std::string detail;
        switch (rule.kind) {
        case AlertKind::Above:
            holds = tick.price > rule.level;
            detail = "above " + number(rule.level);
            break;
        case AlertKind::Below:
            holds = tick.price < rule.level;
            detail = "below " + number(rule.level);
            break;
        case AlertKind::Move: {
            pushWindow(st, rule.windowMs, Point{tick.tsMs, tick.price});
            const double low = st.lows.front().price;
            const double high = st.highs.front().price;
            const double factor = rule.percent / 100.0;
            if (tick.price > low * (1 + factor)) {
                holds = true;
                detail = percentText((tick.price / low - 1) * 100) + " from " + number(low);
            } else if (tick.price < high * (1 - factor)) {
                holds = true;
                detail = percentText((tick.price / high - 1) * 100) + " from " + number(high);
            }
            detail += " within " + rule.text.substr(rule.symbol.size() + 1,
                                                    rule.text.find('>') - rule.symbol.size() - 1);
            break;
        }
        }
        const bool wasHeld = st.seen && st.held;
        st.seen = true;
        st.lastTsMs = tick.tsMs;
        st.held = holds;
        st.changed = true;
        if (holds && !wasHeld)
            out.push_back(AlertTrigger{rule.text, tick, std::move(detail)});
    }
}

std::vector<AlertRuleState> AlertEvaluator::takeChangedStates()
{
    std::vector<AlertRuleState> out;
    for (size_t i = 0; i < m_rules.size(); ++i) {
        if (!m_state[i].changed)
            continue;
        m_state[i].changed = false;
        out.push_back(AlertRuleState{m_rules[i].text, m_state[i].lastTsMs, m_state[i].held});
    }
    return out;
}

void AlertEvaluator::reset()
{
    m_state.assign(m_rules.size(), RuleState{});
}

void AlertEvaluator::restore(const AlertRuleState &state, std::span<const Tick> window)
{
    for (size_t i = 0; i < m_rules.size(); ++i) {
        const AlertRule &rule = m_rules[i];
        if (rule.text != state.rule)
            continue;
        RuleState st;
        st.seen = true;
        st.lastTsMs = state.lastTsMs;
        st.held = state.conditionHeld;
        if (rule.kind == AlertKind::Move) {
            for (const Tick &t : window) {
                if (t.symbol == rule.symbol && t.tsMs <= state.lastTsMs &&
                    t.tsMs > state.lastTsMs - rule.windowMs)
                    pushWindow(st, rule.windowMs, Point{t.tsMs, t.price});
            }
        }
        m_state[i] = std::move(st);
    }
}

} // namespace ms
