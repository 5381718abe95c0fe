#include "backfill_command.h"

#include "cli_options.h"

#include "runtime/config.h"
#include "sources/backfill.h"
#include "storage/database_url.h"
#include "storage/tick_store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>

#include <cstdio>
#include <optional>

namespace {

int usageError(const QString &message)
{
    std::fprintf(stderr, "marketstream backfill: %s\n", qPrintable(message));
    return 2;
}

std::optional<qint64> parseWhen(const QString &text)
{
    if (text.compare(QStringLiteral("now"), Qt::CaseInsensitive) == 0)
        return QDateTime::currentMSecsSinceEpoch();
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (d.isValid())
            dt = QDateTime(d, QTime(0, 0), Qt::UTC);
    }
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);  // no zone given: UTC, whatever the machine's zone
    return dt.toMSecsSinceEpoch();
}

}  // namespace

int runBackfillCommand(const ms::BackfillCommandOptions &command)
{
    const QString &from = command.from, &to = command.to, &interval = command.interval;
    const QString &symbols = command.symbols, &currency = command.currency, &url = command.cryptoCompareUrl;
    const QString &db = command.databaseUrl;
    const auto fromMs = parseWhen(from);
    const auto toMs = parseWhen(to);
    if (!fromMs)
        return usageError(QStringLiteral("--from is not an ISO date/time: %1").arg(from));
    if (!toMs)
        return usageError(QStringLiteral("--to is not an ISO date/time: %1").arg(to));
    if (*toMs <= *fromMs)
        return usageError(QStringLiteral("--to must be after --from"));
    int intervalSec = 0;
    if (interval.isEmpty() || interval == u"1m")
        intervalSec = 60;
    else if (interval == u"1h")
        intervalSec = 3600;
    else
        return usageError(QStringLiteral("--interval must be 1m or 1h, got %1").arg(interval));

    const ms::PipelineConfig env = ms::configFromEnvironment();
    ms::BackfillOptions opt;
    opt.cryptoCompareUrl = url.isEmpty() ? env.cryptoCompareUrl : url;
    opt.apiKey = env.cryptoCompareApiKey;
    opt.symbols = symbols.split(u',', Qt::SkipEmptyParts);
    opt.currency = currency;
    opt.intervalSec = intervalSec;
    opt.fromMs = *fromMs;
    opt.toMs = *toMs;
    if (QUrl(opt.cryptoCompareUrl).scheme().isEmpty())
        return usageError(QStringLiteral("--cryptocompare-url is not a URL: %1").arg(opt.cryptoCompareUrl));

    const QString dbText = !db.isEmpty() ? db : !env.databaseUrl.isEmpty() ? env.databaseUrl : ms::defaultDatabaseUrl();
    auto dbUrl = ms::DatabaseUrl::parse(dbText);
    if (!dbUrl)
        return usageError(dbUrl.errorMessage());
    auto store = ms::TickStore::open(*dbUrl, QStringLiteral("ms-backfill"));
    if (!store)
        return usageError(QStringLiteral("cannot open the database %1: %2").arg(dbUrl->redacted(), store.errorMessage()));

    ms::Backfill backfill(opt);
    if (auto v = backfill.validate(); !v)
        return usageError(v.errorMessage());

    QEventLoop loop;
    int exitCode = 0;
    qint64 stored = 0, skippedOpen = 0;
    QString writeError;
    backfill.setCandleHandler([&](std::span<const ms::Candle> page) {
        std::vector<ms::Candle> closed;
        for (const ms::Candle &c : page) {
            if (c.final)
                closed.push_back(c);
            else
                ++skippedOpen;
        }
        if (closed.empty() || !writeError.isEmpty())
            return;
        ms::WriteBatch batch;
        batch.candles = closed;
        auto written = (*store)->write(batch);
        if (!written) {
            writeError = written.errorMessage();
            QMetaObject::invokeMethod(&backfill, [&] { backfill.cancel(); }, Qt::QueuedConnection);
            return;
        }
        stored += qint64(closed.size());
    });
    QObject::connect(&backfill, &ms::Backfill::pageDone, &backfill, [&](const QString &symbol, int candles, double f) {
        std::printf("backfill: %5.1f%% %s/%s page: %d candles\n", 100.0 * f, qPrintable(symbol),
                    qPrintable(opt.currency.toUpper()), candles);
        std::fflush(stdout);
    });
    QObject::connect(&backfill, &ms::Backfill::statusChanged, &backfill, [](const ms::SourceStatus &s) {
        std::fprintf(stderr, "backfill: %s\n", qPrintable(s.message));
    });
    QObject::connect(&backfill, &ms::Backfill::finished, &loop, [&](bool ok, const QString &summary) {
        if (!writeError.isEmpty()) {
            std::fprintf(stderr, "marketstream backfill: writing candles failed: %s\n", qPrintable(writeError));
            exitCode = 1;
        } else {
            std::printf("%s; %lld stored, %lld open candle(s) left to the live pipeline\n", qPrintable(summary),
                        static_cast<long long>(stored), static_cast<long long>(skippedOpen));
            exitCode = ok ? 0 : 1;
        }
        std::fflush(stdout);
        loop.quit();
    });
    QMetaObject::invokeMethod(&backfill, [&] { backfill.start(); }, Qt::QueuedConnection);
    loop.exec();
    return exitCode;
}
