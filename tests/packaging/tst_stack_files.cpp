// The Docker stack's files, checked without a Docker engine (none runs here): docker-compose.yml
// parses with Debian's docker-compose, every service has a pinned image or an existing Dockerfile,
// start order rests on health checks, the Dockerfile's apt lists match scripts/install-deps.sh and
// the binary's real library needs, the environment the compose file hands the app uses only names
// the app reads, and .env.example covers every variable without holding a real secret.
#include "packaging_util.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ms::test;

namespace {

const QString kSource = QStringLiteral(MS_SOURCE_DIR);

QString src(const QString &rel) { return kSource + QLatin1Char('/') + rel; }

// The environment without anything that could leak into compose's interpolation from the caller.
QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &k : keys) {
        if (k.startsWith(QLatin1String("MS_")) || k.startsWith(QLatin1String("POSTGRES_"))
            || k.startsWith(QLatin1String("COMPOSE_")) || k.endsWith(QLatin1String("_API_KEY"))
            || k == QLatin1String("KAFKA_BOOTSTRAP_SERVERS") || k == QLatin1String("DATABASE_URL"))
            env.remove(k);
    }
    return env;
}

ProcessResult composeConfig(const QString &envFile, const QStringList &extra = {})
{
    QStringList args{QStringLiteral("--project-directory"), kSource, QStringLiteral("--env-file"), envFile,
                     QStringLiteral("-f"), src(QStringLiteral("docker-compose.yml")), QStringLiteral("config")};
    args += extra;
    return runTool(QStringLiteral("docker-compose"), args, 60000, kSource, {}, cleanEnvironment());
}

// KEY=VALUE lines of an env file (comments and blanks skipped).
QMap<QString, QString> envFileEntries(const QString &text)
{
    QMap<QString, QString> out;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0)
            out.insert(line.left(eq).trimmed(), line.mid(eq + 1).trimmed());
    }
    return out;
}

}  // namespace

class TstStackFiles : public QObject
{
    Q_OBJECT
    QJsonObject m_services;  // resolved compose config (with .env.example), as JSON
    QJsonObject m_volumes;

private Q_SLOTS:
    void initTestCase()
    {
        const ProcessResult r = composeConfig(src(QStringLiteral(".env.example")));
        QVERIFY2(r.ok(), qPrintable(QStringLiteral("docker-compose config failed: ") + r.describe()));
        // docker-compose prints YAML; python3-yaml is a dependency of Debian's docker-compose.
        const ProcessResult j = runTool(QStringLiteral("python3"),
            {QStringLiteral("-c"), QStringLiteral("import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)")},
            30000, {}, r.out);
        QVERIFY2(j.ok(), qPrintable(j.describe()));
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(j.out, &err);
        QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString()));
        m_services = doc.object().value(QLatin1String("services")).toObject();
        m_volumes = doc.object().value(QLatin1String("volumes")).toObject();
        QVERIFY(!m_services.isEmpty());
    }

    void composeQuietValidation()
    {
        const ProcessResult r = composeConfig(src(QStringLiteral(".env.example")), {QStringLiteral("-q")});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
    }

    void expectedServices()
    {
        for (const char *name : {"kafka", "kafka-init", "postgres", "migrate", "marketstream", "consumer", "kafka-ui",
                                 "prometheus", "grafana"})
            QVERIFY2(m_services.contains(QLatin1String(name)), name);
        // Opt-in extras stay behind profiles; the core stack has none.
        QCOMPARE(m_services.value(QLatin1String("kafka-ui")).toObject().value(QLatin1String("profiles")).toArray().first().toString(),
                 QStringLiteral("ui"));
        QCOMPARE(m_services.value(QLatin1String("consumer")).toObject().value(QLatin1String("profiles")).toArray().first().toString(),
                 QStringLiteral("scale"));
        for (const char *monitoring : {"prometheus", "grafana"})
            QCOMPARE(m_services.value(QLatin1String(monitoring)).toObject().value(QLatin1String("profiles")).toArray()
                         .first().toString(),
                     QStringLiteral("monitoring"));
        for (const char *core : {"kafka", "kafka-init", "postgres", "migrate", "marketstream"})
            QVERIFY2(!m_services.value(QLatin1String(core)).toObject().contains(QLatin1String("profiles")), core);
    }

    void missingPasswordIsRefused()
    {
        // No default password: compose must stop with a message naming the variable.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile f(dir.filePath(QStringLiteral("no-password.env")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("MS_POSTGRES_USER=marketstream\n");
        f.close();
        const ProcessResult r = composeConfig(f.fileName(), {QStringLiteral("-q")});
        QVERIFY(r.started && r.finished);
        QVERIFY2(r.exitCode != 0, qPrintable(r.describe()));
        QVERIFY2(r.err.contains("MS_POSTGRES_PASSWORD"), qPrintable(r.describe()));
    }

    void everyServiceHasImageOrDockerfile()
    {
        for (auto it = m_services.begin(); it != m_services.end(); ++it) {
            const QJsonObject svc = it.value().toObject();
            const QString name = it.key();
            const QJsonObject build = svc.value(QLatin1String("build")).toObject();
            if (!build.isEmpty()) {
                const QString context = build.value(QLatin1String("context")).toString();
                const QString dockerfile = build.value(QLatin1String("dockerfile")).toString(QStringLiteral("Dockerfile"));
                const QString path = QDir(context).filePath(dockerfile);
                QVERIFY2(QFile::exists(path), qPrintable(name + QStringLiteral(": no Dockerfile at ") + path));
                continue;
            }
            const QString image = svc.value(QLatin1String("image")).toString();
            QVERIFY2(!image.isEmpty(), qPrintable(name + QStringLiteral(": neither image nor build")));
            // Pinned: a tag other than latest.
            const QString tag = image.section(QLatin1Char(':'), 1);
            QVERIFY2(!tag.isEmpty() && tag != QLatin1String("latest"), qPrintable(name + QStringLiteral(": unpinned image ") + image));
        }
        // The init script the topic service mounts exists and is what it runs.
        const QJsonObject init = m_services.value(QLatin1String("kafka-init")).toObject();
        const QString mount = init.value(QLatin1String("volumes")).toArray().first().toString();
        const QString host = mount.section(QLatin1Char(':'), 0, 0);
        QVERIFY2(QFile::exists(QDir(kSource).filePath(host)), qPrintable(mount));
    }

    void startOrderRestsOnHealthChecks()
    {
        for (const char *name : {"kafka", "postgres"}) {
            const QJsonObject hc = m_services.value(QLatin1String(name)).toObject().value(QLatin1String("healthcheck")).toObject();
            QVERIFY2(!hc.value(QLatin1String("test")).toArray().isEmpty(), name);
        }
        for (auto it = m_services.begin(); it != m_services.end(); ++it) {
            const QJsonObject deps = it.value().toObject().value(QLatin1String("depends_on")).toObject();
            for (auto d = deps.begin(); d != deps.end(); ++d) {
                const QString cond = d.value().toObject().value(QLatin1String("condition")).toString();
                QVERIFY2(cond == QLatin1String("service_healthy") || cond == QLatin1String("service_completed_successfully"),
                         qPrintable(it.key() + QStringLiteral(" → ") + d.key() + QStringLiteral(": ") + cond));
                QVERIFY2(m_services.contains(d.key()), qPrintable(d.key()));
            }
        }
        // Migrations run once, after PostgreSQL is up; every app container waits for them and the topics.
        const QJsonObject migrate = m_services.value(QLatin1String("migrate")).toObject();
        QCOMPARE(migrate.value(QLatin1String("command")).toArray().first().toString(), QStringLiteral("--migrate-only"));
        QCOMPARE(migrate.value(QLatin1String("depends_on")).toObject().value(QLatin1String("postgres")).toObject()
                     .value(QLatin1String("condition")).toString(), QStringLiteral("service_healthy"));
        for (const char *app : {"marketstream", "consumer"}) {
            const QJsonObject deps = m_services.value(QLatin1String(app)).toObject().value(QLatin1String("depends_on")).toObject();
            QCOMPARE(deps.value(QLatin1String("migrate")).toObject().value(QLatin1String("condition")).toString(),
                     QStringLiteral("service_completed_successfully"));
            QCOMPARE(deps.value(QLatin1String("kafka-init")).toObject().value(QLatin1String("condition")).toString(),
                     QStringLiteral("service_completed_successfully"));
        }
    }

    void monitoringScrapesWhatTheAppServes()
    {
        // Prometheus scrapes the port the app containers serve /metrics on, on every interface of
        // the container (the compose network), and Grafana mounts what it provisions.
        const QString prometheusYml = readText(src(QStringLiteral("docker/prometheus/prometheus.yml")));
        for (const char *app : {"marketstream", "consumer"}) {
            const QJsonArray cmd = m_services.value(QLatin1String(app)).toObject().value(QLatin1String("command")).toArray();
            QStringList args;
            for (const QJsonValue &v : cmd)
                args << v.toString();
            const qsizetype port = args.indexOf(QStringLiteral("--metrics-port"));
            QVERIFY2(port >= 0 && port + 1 < args.size(), app);
            QVERIFY2(prometheusYml.contains(QLatin1Char(':') + args[port + 1]) || prometheusYml.contains(QStringLiteral("port: ") + args[port + 1]),
                     qPrintable(QStringLiteral("prometheus.yml does not scrape port ") + args[port + 1]));
            const qsizetype bind = args.indexOf(QStringLiteral("--metrics-bind"));
            QVERIFY2(bind >= 0 && args.value(bind + 1) == QStringLiteral("0.0.0.0"), app);
        }
        QVERIFY(prometheusYml.contains(QStringLiteral("marketstream:")));
        const QJsonArray grafanaVolumes = m_services.value(QLatin1String("grafana")).toObject().value(QLatin1String("volumes")).toArray();
        QVERIFY(!grafanaVolumes.isEmpty());
        for (const QJsonValue &v : grafanaVolumes) {
            const QString host = v.toString().section(QLatin1Char(':'), 0, 0);
            if (host.startsWith(QLatin1Char('/')) || host.startsWith(QLatin1Char('.')))
                QVERIFY2(QFileInfo::exists(host) || QFileInfo::exists(QDir(kSource).filePath(host)), qPrintable(v.toString()));
        }
        QVERIFY(QFile::exists(src(QStringLiteral("docker/grafana/dashboards/marketstream.json"))));
        QVERIFY(QFile::exists(src(QStringLiteral("docker/grafana/provisioning/datasources/prometheus.yml"))));
    }

    void dataLivesInNamedVolumes()
    {
        const QMap<QString, QString> expected{{QStringLiteral("kafka"), QStringLiteral("/var/lib/kafka/data")},
                                              {QStringLiteral("postgres"), QStringLiteral("/var/lib/postgresql/data")}};
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            const QJsonArray vols = m_services.value(it.key()).toObject().value(QLatin1String("volumes")).toArray();
            bool found = false;
            for (const QJsonValue &v : vols) {
                const QString spec = v.toString();
                const QString volume = spec.section(QLatin1Char(':'), 0, 0);
                if (spec.section(QLatin1Char(':'), 1, 1) == it.value()) {
                    found = true;
                    QVERIFY2(m_volumes.contains(volume), qPrintable(it.key() + QStringLiteral(": not a named volume: ") + spec));
                }
            }
            QVERIFY2(found, qPrintable(it.key() + QStringLiteral(" keeps no data in a volume")));
        }
    }

    void topicsAreTheAppDefaults()
    {
        // The app's default topic names (pipeline/runtime/config.h) are the ones created at start.
        const QString configH = readText(src(QStringLiteral("pipeline/runtime/config.h")));
        QStringList appTopics;
        const QRegularExpression re(QStringLiteral("(?:crypto|stock)Topic = QStringLiteral\\(\"([^\"]+)\"\\)"));
        for (auto m = re.globalMatch(configH); m.hasNext();)
            appTopics += m.next().captured(1);
        QCOMPARE(sorted(appTopics), sorted({QStringLiteral("crypto_topic"), QStringLiteral("stock_topic")}));
        const QJsonObject env = m_services.value(QLatin1String("kafka-init")).toObject().value(QLatin1String("environment")).toObject();
        QCOMPARE(sorted(env.value(QLatin1String("KAFKA_TOPICS")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts)), sorted(appTopics));
        QVERIFY(env.value(QLatin1String("KAFKA_PARTITIONS")).toString().toInt() >= 2);
        const QString script = readText(src(QStringLiteral("docker/kafka-create-topics.sh")));
        QVERIFY(script.contains(QLatin1String("--topic \"$topic\"")));
        QVERIFY(script.contains(QLatin1String("--topic \"$topic.dlq\"")));
        QVERIFY(script.contains(QLatin1String("--if-not-exists")));
        // KRaft, no ZooKeeper anywhere.
        const QJsonObject kafkaEnv = m_services.value(QLatin1String("kafka")).toObject().value(QLatin1String("environment")).toObject();
        QVERIFY(kafkaEnv.value(QLatin1String("KAFKA_PROCESS_ROLES")).toString().contains(QLatin1String("controller")));
        for (auto it = m_services.begin(); it != m_services.end(); ++it) {
            QVERIFY2(!it.key().contains(QLatin1String("zookeeper"), Qt::CaseInsensitive), qPrintable(it.key()));
            const QString image = it.value().toObject().value(QLatin1String("image")).toString();
            QVERIFY2(!image.contains(QLatin1String("zookeeper"), Qt::CaseInsensitive), qPrintable(image));
        }
        QVERIFY(!kafkaEnv.contains(QLatin1String("KAFKA_ZOOKEEPER_CONNECT")));
    }

    void appEnvironmentNamesAreReadByTheApp()
    {
        const QSet<QString> known = appEnvKeys();
        QVERIFY2(!known.isEmpty(), "cannot tell which environment keys the app reads "
                                   "(neither marketstream --print-env-keys nor pipeline/runtime/config*.cpp)");
        for (const char *svcName : {"migrate", "marketstream", "consumer"}) {
            const QJsonObject env = m_services.value(QLatin1String(svcName)).toObject().value(QLatin1String("environment")).toObject();
            QVERIFY(!env.isEmpty());
            for (auto it = env.begin(); it != env.end(); ++it)
                QVERIFY2(known.contains(it.key()), qPrintable(QString::fromLatin1(svcName) + QStringLiteral(" passes ")
                                                              + it.key() + QStringLiteral(", which the app does not read")));
        }
    }

    void envExampleCoversEveryVariable()
    {
        const QString compose = readText(src(QStringLiteral("docker-compose.yml")));
        const QMap<QString, QString> example = envFileEntries(readText(src(QStringLiteral(".env.example"))));
        QSet<QString> used;
        const QRegularExpression re(QStringLiteral("\\$\\{([A-Za-z_][A-Za-z0-9_]*)"));
        for (auto m = re.globalMatch(compose); m.hasNext();)
            used.insert(m.next().captured(1));
        QVERIFY(used.contains(QStringLiteral("MS_POSTGRES_PASSWORD")));
        for (const QString &v : std::as_const(used))
            QVERIFY2(example.contains(v), qPrintable(QStringLiteral(".env.example lacks ") + v));
        for (auto it = example.begin(); it != example.end(); ++it)
            QVERIFY2(used.contains(it.key()), qPrintable(QStringLiteral(".env.example sets unused ") + it.key()));
    }

    void envExampleHoldsNoSecret()
    {
        const QMap<QString, QString> example = envFileEntries(readText(src(QStringLiteral(".env.example"))));
        for (auto it = example.begin(); it != example.end(); ++it) {
            const QString &k = it.key();
            const QString &v = it.value();
            if (k.endsWith(QLatin1String("_API_KEY")) || k.contains(QLatin1String("TOKEN")))
                QVERIFY2(v.isEmpty(), qPrintable(k + QStringLiteral(" must be empty in .env.example")));
            if (k.contains(QLatin1String("PASSWORD")))
                QVERIFY2(v.contains(QLatin1String("change-me")), qPrintable(k + QStringLiteral(" must be an obvious placeholder")));
            // Long random-looking values are what leaked keys look like.
            QVERIFY2(!QRegularExpression(QStringLiteral("[A-Za-z0-9+/_-]{24,}")).match(v).hasMatch(),
                     qPrintable(k + QStringLiteral(" looks like a real secret")));
        }
        // .env (the real one) stays out of git and out of the image.
        QVERIFY(readText(src(QStringLiteral(".gitignore"))).split(QLatin1Char('\n')).contains(QStringLiteral(".env")));
        QVERIFY(readText(src(QStringLiteral(".dockerignore"))).split(QLatin1Char('\n')).contains(QStringLiteral(".env")));
    }

    void dockerfileBuildPackagesMatchInstallScript()
    {
        const QStringList script = bashArray(readText(src(QStringLiteral("scripts/install-deps.sh"))), QStringLiteral("PACKAGES"));
        QVERIFY2(script.size() > 5, "no PACKAGES=( ... ) in scripts/install-deps.sh");
        // What install-deps.sh installs only for tests and developer tooling; everything else is
        // needed to build and must be in the image's build stage. A new package in the script
        // fails here until it is added to the Dockerfile or to this list (with a reason).
        const QStringList testAndDevOnly{
            QStringLiteral("git"),                                          // source checkout
            QStringLiteral("postgresql"), QStringLiteral("postgresql-contrib"), // PgServer in tests
            QStringLiteral("kcat"),                                         // external-client test
            QStringLiteral("xvfb"), QStringLiteral("xauth"), QStringLiteral("imagemagick"), // screenshots
            QStringLiteral("docker-compose"), QStringLiteral("dpkg-dev"), QStringLiteral("file"), // packaging tests
            QStringLiteral("python3-jsonschema"),                           // Power BI schema tests
            QStringLiteral("python3-prometheus-client"),                    // /metrics parsed by tests/metrics
            QStringLiteral("clang"), QStringLiteral("libclang-rt-14-dev"),  // libFuzzer targets (tests/fuzz)
        };
        QStringList expected;
        for (const QString &p : script)
            if (!testAndDevOnly.contains(p))
                expected += p;
        const auto stages = dockerfileAptPackages(readText(src(QStringLiteral("Dockerfile"))));
        QVERIFY2(stages.contains(QStringLiteral("build")) && stages.contains(QStringLiteral("runtime")),
                 qPrintable(QStringList(stages.keys()).join(QLatin1Char(','))));
        QCOMPARE(sorted(stages.value(QStringLiteral("build"))), sorted(expected));
        for (const QString &p : testAndDevOnly)
            if (!script.contains(p))
                qWarning("%s is no longer in install-deps.sh: drop it from testAndDevOnly", qPrintable(p));
    }

    void dockerfileRuntimePackagesMatchTheBinary()
    {
        // Packages of the libraries the app binary links (dpkg-shlibdeps), minus the desktop-only
        // ones (the image is built with MS_BUILD_UI=OFF) and what debian:12-slim already has.
        const QString app = QStringLiteral(MS_APP_PATH);
        QVERIFY2(QFile::exists(app), "marketstream is missing (a build dependency of this test)");
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("debian")));
        QFile control(dir.filePath(QStringLiteral("debian/control")));
        QVERIFY(control.open(QIODevice::WriteOnly));
        control.write("Source: probe\n\nPackage: probe\nArchitecture: any\n");
        control.close();
        const ProcessResult r = runTool(QStringLiteral("dpkg-shlibdeps"), {QStringLiteral("-O"), QStringLiteral("-e"), app}, 60000, dir.path());
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QStringList linked;
        const QString line = QString::fromUtf8(r.out).trimmed().section(QLatin1Char('='), 1);
        for (const QString &dep : line.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString pkg = dep.trimmed().section(QLatin1Char(' '), 0, 0);
            // qt6-*-abi are virtual packages the library packages provide (ABI pinning), not installable.
            if (!pkg.endsWith(QLatin1String("-abi")))
                linked += pkg;
        }
        QVERIFY2(linked.contains(QStringLiteral("libqt6core6")), qPrintable(line));
        QStringList desktopOnly{QStringLiteral("libqt6gui6"), QStringLiteral("libqt6widgets6"),
            QStringLiteral("libqt6charts6"), QStringLiteral("libqt6opengl6"), QStringLiteral("libqt6openglwidgets6"),
            QStringLiteral("libqt6keychain1"), QStringLiteral("libqt6dbus6"), QStringLiteral("libgl1"),
            QStringLiteral("libopengl0"), QStringLiteral("libglx0"), QStringLiteral("libegl1"), QStringLiteral("libxkbcommon0")};
#ifdef MS_APP_HAS_UI
        // A desktop build also links what only ms_ui uses (ui/CMakeLists.txt): tolerated here; a
        // build with -DMS_BUILD_UI=OFF (as in the image) checks exactly.
        desktopOnly << QStringLiteral("libqt6concurrent6");
#endif
        const QStringList inBaseImage{QStringLiteral("libc6"), QStringLiteral("libgcc-s1"), QStringLiteral("libstdc++6"),
                                      QStringLiteral("zlib1g")};
        const QStringList loadedByName{QStringLiteral("libqt6sql6-psql"), QStringLiteral("libqt6sql6-sqlite")};
        const QStringList dataOnly{QStringLiteral("ca-certificates"), QStringLiteral("tzdata")};
        const QStringList runtime = dockerfileAptPackages(readText(src(QStringLiteral("Dockerfile")))).value(QStringLiteral("runtime"));
        QVERIFY(!runtime.isEmpty());
        for (const QString &p : std::as_const(linked))
            if (!desktopOnly.contains(p) && !inBaseImage.contains(p))
                QVERIFY2(runtime.contains(p), qPrintable(QStringLiteral("runtime stage lacks ") + p));
        for (const QString &p : loadedByName)
            QVERIFY2(runtime.contains(p), qPrintable(QStringLiteral("runtime stage lacks plugin ") + p));
        for (const QString &p : runtime) {
            QVERIFY2(!p.endsWith(QLatin1String("-dev")), qPrintable(p));
            QVERIFY2(linked.contains(p) || loadedByName.contains(p) || dataOnly.contains(p),
                     qPrintable(QStringLiteral("runtime stage installs ") + p + QStringLiteral(", which the binary does not use")));
        }
    }

private:
    static QSet<QString> appEnvKeys()
    {
        QSet<QString> keys;
        const QString app = QStringLiteral(MS_APP_PATH);
        if (QFile::exists(app)) {
            const ProcessResult r = runTool(app, {QStringLiteral("--print-env-keys")}, 10000);
            if (r.ok()) {
                for (const QString &k : QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                    if (QRegularExpression(QStringLiteral("^[A-Z][A-Z0-9_]+$")).match(k.trimmed()).hasMatch())
                        keys.insert(k.trimmed());
                if (!keys.isEmpty())
                    return keys;
            }
        }
        // Fallback: the upper-case string literals of the config code.
        const QStringList files = QDir(src(QStringLiteral("pipeline/runtime"))).entryList({QStringLiteral("config*.cpp")}, QDir::Files);
        const QRegularExpression re(QStringLiteral("\"([A-Z][A-Z0-9]*_[A-Z0-9_]+)\""));
        for (const QString &f : files) {
            const QString text = readText(src(QStringLiteral("pipeline/runtime/")) + f);
            for (auto m = re.globalMatch(text); m.hasNext();)
                keys.insert(m.next().captured(1));
        }
        return keys;
    }
};

QTEST_GUILESS_MAIN(TstStackFiles)
#include "tst_stack_files.moc"
