#pragma once
// Shared by the reporting tests: a small hand-computed data set (seeded with SQL on either backend),
// the figures the views must give for it, and JSON-Schema validation with python3-jsonschema.
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace ms::test {

// Inserts candles and ticks (see reporting_fixture.cpp for the table and the hand computation).
// Returns an empty string on success, else the failing statement and error.
QString seedReportingData(QSqlDatabase &db);

// Expected v_latest_quote figures for the seed.
struct ExpectedQuote
{
    const char *symbolKey;
    double lastPrice, open24h, changePct, high, low, volume, vwap;
    qint64 trades;
};
extern const ExpectedQuote kExpectedQuotes[2];

// Validates a JSON file against a schema file; returns "" when valid, else the validator's message.
QString validateJson(const QString &jsonPath, const QString &schemaPath);
// The schema in MS_SHARED_DIR/fixtures/powerbi/schemas for an exported file name ("" when none is published).
QString schemaFor(const QString &fileName);

// Current resident set size of this process in KiB (from /proc/self/status).
qint64 vmRssKiB();

}  // namespace ms::test
