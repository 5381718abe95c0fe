#pragma once
// A throwaway PostgreSQL 15 server for one test binary: initdb into a temp dir, listen on a unix
// socket there (and a free loopback port), stop and delete on destruction. Runs as the `postgres`
// user when we are root (initdb refuses root). Never a mock: the real server binary.
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace ms::test {

class PgServer
{
public:
    PgServer();
    ~PgServer();
    PgServer(const PgServer &) = delete;
    PgServer &operator=(const PgServer &) = delete;

    // initdb + start; returns false with errorString() set when anything fails.
    bool start();
    bool stop();      // fast shutdown
    bool resume();    // start again on the same data directory after stop()
    bool restart();   // pg_ctl restart -m fast (for "database restarted mid-run" tests)
    bool isRunning() const { return m_running; }

    QString host() const;     // the socket directory
    int port() const { return m_port; }
    QString user() const { return QStringLiteral("postgres"); }
    // libpq URI for a database on this server (created on demand by createDatabase()).
    QString url(const QString &database = QStringLiteral("postgres")) const;
    bool createDatabase(const QString &name);
    // Runs SQL with psql as the superuser; returns stdout (trimmed). Empty on error.
    QString psql(const QString &sql, const QString &database = QStringLiteral("postgres")) const;
    QString errorString() const { return m_error; }
    QString dataDir() const;

private:
    bool run(const QString &program, const QStringList &args, int timeoutMs, QString *out = nullptr) const;
    std::unique_ptr<QTemporaryDir> m_dir;
    int m_port = 0;
    bool m_running = false;
    mutable QString m_error;
};

}  // namespace ms::test
