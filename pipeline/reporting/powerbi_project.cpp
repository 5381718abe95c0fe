#include "reporting/powerbi_project.h"

#include "reporting/starter_report.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace ms::reporting {

namespace {

const QString kSchemaBase = QStringLiteral("https://developer.microsoft.com/json-schemas/fabric/");

QString schemaUrl(const QString &rest)
{
    return kSchemaBase + rest;
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

// A 20-hex-character id (like Desktop's page/visual names), stable for a given seed.
QString stableId(const QString &seed)
{
    return QString::fromLatin1(QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha1).toHex().left(20));
}

}  // namespace

QByteArray pbidsJson(const QString &server, const QString &database)
{
    const QJsonObject details{{QStringLiteral("protocol"), QStringLiteral("postgresql")},
                              {QStringLiteral("address"), QJsonObject{{QStringLiteral("server"), server},
                                                                      {QStringLiteral("database"), database}}}};
    const QJsonObject connection{{QStringLiteral("details"), details},
                                 {QStringLiteral("options"), QJsonObject{}},
                                 {QStringLiteral("mode"), QStringLiteral("DirectQuery")}};
    return json(QJsonObject{{QStringLiteral("version"), QStringLiteral("0.1")},
                            {QStringLiteral("connections"), QJsonArray{connection}}});
}

QMap<QString, QByteArray> buildPowerBiProject(const QList<ViewInfo> &views, const TmdlParams &params)
{
    QMap<QString, QByteArray> files;
    const QString name = params.modelName;
    const QString sm = name + QStringLiteral(".SemanticModel/");
    const QString rep = name + QStringLiteral(".Report/");

    files.insert(name + QStringLiteral(".pbip"),
                 json(QJsonObject{{QStringLiteral("$schema"), schemaUrl(QStringLiteral("pbip/pbipProperties/1.0.0/schema.json"))},
                                  {QStringLiteral("version"), QStringLiteral("1.0")},
                                  {QStringLiteral("artifacts"),
                                   QJsonArray{QJsonObject{{QStringLiteral("report"),
                                                           QJsonObject{{QStringLiteral("path"), QString(name + QStringLiteral(".Report"))}}}}}},
                                  {QStringLiteral("settings"), QJsonObject{{QStringLiteral("enableAutoRecovery"), true}}}}));

    files.insert(sm + QStringLiteral("definition.pbism"),
                 json(QJsonObject{{QStringLiteral("$schema"),
                                   schemaUrl(QStringLiteral("item/semanticModel/definitionProperties/1.0.0/schema.json"))},
                                  {QStringLiteral("version"), QStringLiteral("4.0")},
                                  {QStringLiteral("settings"), QJsonObject{}}}));
    const QMap<QString, QString> tmdl = buildTmdl(views, params);
    for (auto it = tmdl.cbegin(); it != tmdl.cend(); ++it)
        files.insert(sm + it.key(), it.value().toUtf8());

    files.insert(rep + QStringLiteral("definition.pbir"),
                 json(QJsonObject{{QStringLiteral("$schema"),
                                   schemaUrl(QStringLiteral("item/report/definitionProperties/2.0.0/schema.json"))},
                                  {QStringLiteral("version"), QStringLiteral("4.0")},
                                  {QStringLiteral("datasetReference"),
                                   QJsonObject{{QStringLiteral("byPath"),
                                                QJsonObject{{QStringLiteral("path"), QString(QStringLiteral("../") + name + QStringLiteral(".SemanticModel"))}}}}}}));
    files.insert(rep + QStringLiteral("definition/version.json"),
                 json(QJsonObject{{QStringLiteral("$schema"),
                                   schemaUrl(QStringLiteral("item/report/definition/versionMetadata/1.0.0/schema.json"))},
                                  {QStringLiteral("version"), QStringLiteral("2.0.0")}}));
    const QJsonObject baseTheme{{QStringLiteral("name"), QStringLiteral("CY24SU10")},
                                {QStringLiteral("reportVersionAtImport"),
                                 QJsonObject{{QStringLiteral("visual"), QStringLiteral("1.8.0")},
                                             {QStringLiteral("report"), QStringLiteral("2.0.0")},
                                             {QStringLiteral("page"), QStringLiteral("1.3.0")}}},
                                {QStringLiteral("type"), QStringLiteral("SharedResources")}};
    files.insert(rep + QStringLiteral("definition/report.json"),
                 json(QJsonObject{{QStringLiteral("$schema"),
                                   schemaUrl(QStringLiteral("item/report/definition/report/3.0.0/schema.json"))},
                                  {QStringLiteral("themeCollection"), QJsonObject{{QStringLiteral("baseTheme"), baseTheme}}},
                                  {QStringLiteral("resourcePackages"),
                                   QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("SharedResources")},
                                                          {QStringLiteral("type"), QStringLiteral("SharedResources")},
                                                          {QStringLiteral("items"),
                                                           QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("CY24SU10")},
                                                                                  {QStringLiteral("path"), QStringLiteral("BaseThemes/CY24SU10.json")},
                                                                                  {QStringLiteral("type"), QStringLiteral("BaseTheme")}}}}}}}}));

    QJsonArray pageOrder;
    for (const ReportPage &page : starterReport())
        pageOrder.append(stableId(name + u'/' + page.displayName));
    files.insert(rep + QStringLiteral("definition/pages/pages.json"),
                 json(QJsonObject{{QStringLiteral("$schema"),
                                   schemaUrl(QStringLiteral("item/report/definition/pagesMetadata/1.0.0/schema.json"))},
                                  {QStringLiteral("pageOrder"), pageOrder},
                                  {QStringLiteral("activePageName"), pageOrder.first()}}));
    for (const ReportPage &page : starterReport()) {
        const QString pageId = stableId(name + u'/' + page.displayName);
        const QString pageDir = rep + QStringLiteral("definition/pages/") + pageId + u'/';
        files.insert(pageDir + QStringLiteral("page.json"),
                     json(QJsonObject{{QStringLiteral("$schema"), schemaUrl(QStringLiteral("item/report/definition/page/2.0.0/schema.json"))},
                                      {QStringLiteral("name"), pageId},
                                      {QStringLiteral("displayName"), page.displayName},
                                      {QStringLiteral("displayOption"), QStringLiteral("FitToPage")},
                                      {QStringLiteral("height"), 720},
                                      {QStringLiteral("width"), 1280}}));
        for (int i = 0; i < page.visuals.size(); ++i) {
            const QString vid = stableId(pageId + QString::number(i));
            files.insert(pageDir + QStringLiteral("visuals/") + vid + QStringLiteral("/visual.json"),
                         json(visualContainerJson(vid, page.visuals.at(i), (i + 1) * 1000)));
        }
    }
    // Desktop keeps user-local state in .pbi/: keep it out of version control.
    files.insert(sm + QStringLiteral(".gitignore"), QByteArrayLiteral("**/.pbi/localSettings.json\n**/.pbi/cache.abf\n"));
    files.insert(rep + QStringLiteral(".gitignore"), QByteArrayLiteral("**/.pbi/localSettings.json\n"));
    return files;
}

Result<QStringList> writeFiles(const QString &outDir, const QMap<QString, QByteArray> &files)
{
    QStringList written;
    const QDir root(outDir);
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString path = root.filePath(it.key());
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return makeError(QStringLiteral("cannot create the folder for %1").arg(path), QStringLiteral("io"));
        QSaveFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(it.value()) != it.value().size() || !f.commit())
            return makeError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()), QStringLiteral("io"));
        written.append(it.key());
    }
    return written;
}

}  // namespace ms::reporting
