#include "pg_server.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>

#include <unistd.h>

namespace ms::test {

namespace {
const QString kBin = QStringLiteral("/usr/lib/postgresql/15/bin/");

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}
}  // namespace

PgServer::PgServer() = default;

PgServer::~PgServer()
{
    if (m_running)
        stop();
}

QString PgServer::dataDir() const
{
    return m_dir ? m_dir->path() + QStringLiteral("/data") : QString();
}

QString PgServer::host() const
{
    return m_dir ? m_dir->path() : QString();
}

QString PgServer::url(const QString &database) const
{
    // Socket directory as host (percent-encoded), trust authentication: no password to leak.
    return QStringLiteral("postgresql://postgres@%1:%2/%3")
        .arg(QStringLiteral("127.0.0.1"))
        .arg(m_port)
        .arg(database);
}

bool PgServer::run(const QString &program, const QStringList &args, int timeoutMs, QString *out) const
{
    QProcess p;
    QString prog = program;
    QStringList a = args;
    if (::geteuid() == 0) {
        a.prepend(program);
        a.prepend(QStringLiteral("--"));
        a.prepend(QStringLiteral("postgres"));
        a.prepend(QStringLiteral("-u"));
        prog = QStringLiteral("runuser");
    }
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(prog, a);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(1000);
        m_error = QStringLiteral("%1 timed out").arg(program);
        return false;
    }
    const QString output = QString::fromLocal8Bit(p.readAll());
    if (out)
        *out = output.trimmed();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed (%2): %3").arg(program).arg(p.exitCode()).arg(output.left(2000));
        return false;
    }
    return true;
}

bool PgServer::start()
{
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/ms-pg-XXXXXX"));
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot create temp dir");
        return false;
    }
    // The postgres user must own the directory.
    if (::geteuid() == 0) {
        QProcess::execute(QStringLiteral("chown"), {QStringLiteral("postgres:postgres"), m_dir->path()});
    }
    if (!run(kBin + QStringLiteral("initdb"),
             {QStringLiteral("--no-sync"), QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-U"),
              QStringLiteral("postgres"), QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C"),
              QStringLiteral("-D"), dataDir()},
             60000))
        return false;
    m_port = freePort();
    QFile conf(dataDir() + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append))
        return false;
    conf.write(QStringLiteral("port = %1\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%2'\n"
                              "fsync = on\nmax_connections = 60\nshared_buffers = 128MB\n")
                   .arg(m_port)
                   .arg(m_dir->path())
                   .toUtf8());
    conf.close();
    if (::geteuid() == 0)
        QProcess::execute(QStringLiteral("chown"), {QStringLiteral("postgres:postgres"), conf.fileName()});
    if (!run(kBin + QStringLiteral("pg_ctl"),
             {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_dir->path() + QStringLiteral("/server.log"),
              QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("start")},
             40000))
        return false;
    m_running = true;
    return true;
}

bool PgServer::stop()
{
    if (!m_running)
        return true;
    m_running = false;
    return run(kBin + QStringLiteral("pg_ctl"),
               {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("immediate"),
                QStringLiteral("-w"), QStringLiteral("stop")},
               30000);
}

bool PgServer::resume()
{
    if (m_running)
        return true;
    m_running = run(kBin + QStringLiteral("pg_ctl"),
                    {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_dir->path() + QStringLiteral("/server.log"),
                     QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("start")},
                    40000);
    return m_running;
}

bool PgServer::restart()
{
    return run(kBin + QStringLiteral("pg_ctl"),
               {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_dir->path() + QStringLiteral("/server.log"),
                QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("restart")},
               40000);
}

bool PgServer::createDatabase(const QString &name)
{
    return run(QStringLiteral("/usr/lib/postgresql/15/bin/createdb"),
               {QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
                QStringLiteral("postgres"), name},
               30000);
}

QString PgServer::psql(const QString &sql, const QString &database) const
{
    QString out;
    if (!run(QStringLiteral("/usr/lib/postgresql/15/bin/psql"),
             {QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
              QStringLiteral("postgres"), QStringLiteral("-d"), database, QStringLiteral("-tAX"),
              QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), sql},
             60000, &out))
        return {};
    return out;
}

}  // namespace ms::test
