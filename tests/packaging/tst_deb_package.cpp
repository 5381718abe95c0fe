// The .deb, end to end: CPack builds it from this build tree (installer/CPackConfig.cmake),
// dpkg-deb inspects its control fields and file list, then it is unpacked into a temporary root and
// the unpacked binary runs: --version, and a short headless run into SQLite.
#include "packaging_util.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ms::test;

class TstDebPackage : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_deb;
    QString m_root;  // unpacked package

    QString field(const QString &name) const
    {
        const ProcessResult r = runTool(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, name});
        return r.ok() ? QString::fromUtf8(r.out).trimmed() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString binDir = QStringLiteral(MS_BINARY_DIR);
        const QString config = binDir + QStringLiteral("/CPackConfig.cmake");
        QVERIFY2(QFile::exists(config), "no CPackConfig.cmake in the build tree (installer/CPackConfig.cmake not included?)");
        // cpack packages the built binary, a build dependency of this test: missing is a failure.
        QVERIFY2(QFile::exists(QStringLiteral(MS_APP_PATH)), MS_APP_PATH " is missing");
        const QString out = m_dir.filePath(QStringLiteral("out"));
        const ProcessResult r = runTool(QStringLiteral("cpack"),
            {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), out, QStringLiteral("--config"), config},
            240000, binDir);
        QVERIFY2(r.ok(), qPrintable(QStringLiteral("cpack failed: ") + r.describe()));
        const QStringList debs = QDir(out).entryList({QStringLiteral("marketstream_*.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        m_deb = QDir(out).filePath(debs.first());
        m_root = m_dir.filePath(QStringLiteral("root"));
        const ProcessResult x = runTool(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root});
        QVERIFY2(x.ok(), qPrintable(x.describe()));
    }

    void controlFields()
    {
        QCOMPARE(field(QStringLiteral("Package")), QStringLiteral("marketstream"));
        QCOMPARE(field(QStringLiteral("Version")), QStringLiteral(MS_VERSION));
        QVERIFY(!field(QStringLiteral("Section")).isEmpty());
        QVERIFY(field(QStringLiteral("Maintainer")).contains(QLatin1Char('@')));
        const QString description = field(QStringLiteral("Description"));
        QVERIFY2(description.contains(QLatin1String("GPL-3")), qPrintable(description));
        // Depends: dpkg-shlibdeps found the libraries, the plugins were added by hand.
        const QString depends = field(QStringLiteral("Depends"));
        for (const char *pkg : {"libqt6core6", "libqt6network6", "libqt6sql6", "librdkafka1", "libpq5",
                                "libqt6sql6-psql", "libqt6sql6-sqlite"})
            QVERIFY2(depends.contains(QLatin1String(pkg)), qPrintable(QString::fromLatin1(pkg) + QStringLiteral(" not in Depends: ") + depends));
        // Versioned, as dpkg-shlibdeps writes them: "libqt6core6 (>= 6.x)".
        QVERIFY2(QRegularExpression(QStringLiteral("libqt6core6 \\(>= 6\\.")).match(depends).hasMatch(), qPrintable(depends));
    }

    void fileList()
    {
        const ProcessResult r = runTool(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), m_deb});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        const QString listing = QString::fromUtf8(r.out);
        for (const char *path : {"./usr/bin/marketstream", "./usr/share/applications/marketstream.desktop",
                                 "./usr/share/icons/hicolor/scalable/apps/marketstream.svg",
                                 "./usr/share/icons/hicolor/256x256/apps/marketstream.png",
                                 "./usr/share/doc/marketstream/copyright"})
            QVERIFY2(listing.contains(QLatin1String(path)), path);
        // Everything under /usr: nothing from the build machine (/work, /tmp, build dirs) leaks in.
        for (const QString &line : listing.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const QString path = line.section(QLatin1Char(' '), -1);
            QVERIFY2(path == QLatin1String("./") || path.startsWith(QLatin1String("./usr/")) || path == QLatin1String("./usr"),
                     qPrintable(line));
        }
        const QFileInfo bin(m_root + QStringLiteral("/usr/bin/marketstream"));
        QVERIFY(bin.isExecutable());
    }

    void desktopEntry()
    {
        const QString text = readText(m_root + QStringLiteral("/usr/share/applications/marketstream.desktop"));
        QVERIFY(text.startsWith(QLatin1String("[Desktop Entry]")));
        QMap<QString, QString> keys;
        for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const qsizetype eq = line.indexOf(QLatin1Char('='));
            if (eq > 0)
                keys.insert(line.left(eq), line.mid(eq + 1));
        }
        QCOMPARE(keys.value(QStringLiteral("Type")), QStringLiteral("Application"));
        QCOMPARE(keys.value(QStringLiteral("Exec")).section(QLatin1Char(' '), 0, 0), QStringLiteral("marketstream"));
        QCOMPARE(keys.value(QStringLiteral("Icon")), QStringLiteral("marketstream"));  // matches the icon files' name
        QVERIFY(keys.value(QStringLiteral("Categories")).endsWith(QLatin1Char(';')));
        QVERIFY(!keys.value(QStringLiteral("Name")).isEmpty());
    }

    void unpackedVersion()
    {
        const ProcessResult r = runTool(m_root + QStringLiteral("/usr/bin/marketstream"), {QStringLiteral("--version")}, 20000);
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QLatin1String(MS_VERSION)), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("Qt 6.")), qPrintable(QStringLiteral("--version must name the Qt it runs with: ") + out));
        QVERIFY2(out.contains(QLatin1String("librdkafka 2.")), qPrintable(QStringLiteral("--version must name librdkafka: ") + out));
    }

    void unpackedHeadlessRun()
    {
        const QString bin = m_root + QStringLiteral("/usr/bin/marketstream");
        const ProcessResult help = runTool(bin, {QStringLiteral("--help")}, 20000);
        QVERIFY2(help.out.contains("--headless"), help.out.constData());
        const QString db = m_dir.filePath(QStringLiteral("run.sqlite"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        const ProcessResult r = runTool(bin,
            {QStringLiteral("--headless"), QStringLiteral("--source"), QStringLiteral("simulator"), QStringLiteral("--seed"),
             QStringLiteral("7"), QStringLiteral("--rate"), QStringLiteral("0"), QStringLiteral("--max-ticks"),
             QStringLiteral("200"), QStringLiteral("--db"), QStringLiteral("sqlite://") + db},
            120000, m_dir.path(), {}, env);
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        const QJsonObject summary = QJsonDocument::fromJson(lines.last()).object();
        QVERIFY2(!summary.isEmpty(), qPrintable(QStringLiteral("last stdout line is not the JSON summary: ") + r.describe()));
        QCOMPARE(summary.value(QLatin1String("stored")).toInteger(), 200);
        QCOMPARE(summary.value(QLatin1String("rejected")).toInteger(), 0);
        QVERIFY(QFileInfo(db).size() > 0);
    }
};

QTEST_GUILESS_MAIN(TstDebPackage)
#include "tst_deb_package.moc"
