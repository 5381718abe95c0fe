#include "about_box.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QUrl>
#include <librdkafka/rdkafka.h>

namespace ms::ui {

namespace {
QString link(const QString &url, const QString &text)
{
    return QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), text.toHtmlEscaped());
}
} // namespace

QString documentationFolder()
{
    const QString exeDir = QCoreApplication::applicationDirPath();
    // Installed (.deb: /usr/bin + /usr/share/doc/marketstream), then a build tree (build-*/app/).
    const QStringList candidates{exeDir + QStringLiteral("/../share/doc/marketstream"),
                                 exeDir + QStringLiteral("/../../docs"),
                                 exeDir + QStringLiteral("/../docs")};
    for (const QString &c : candidates) {
        const QFileInfo info(c);
        if (info.isDir() && QDir(c).entryList({QStringLiteral("*.md")}, QDir::Files).size() > 0)
            return info.canonicalFilePath();
    }
    return {};
}

QString aboutHtml()
{
    QString version = QCoreApplication::applicationVersion();
    if (version.isEmpty())
        version = QStringLiteral(MS_VERSION);
    QString html =
        QObject::tr("<h3>MarketStream %1</h3>"
                    "<p>Real-time market data: sources → Kafka → candles → PostgreSQL or SQLite → "
                    "live charts and Power BI.</p>")
            .arg(version.toHtmlEscaped());
    html += QObject::tr("<p>Built with Qt %1 (running on Qt %2) and librdkafka %3.</p>")
                .arg(QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()),
                     QString::fromLatin1(rd_kafka_version_str()));
    html +=
        QObject::tr(
            "<p><b>Licence.</b> MarketStream's own code is GPL-3.0-or-later. This program links "
            "Qt Charts, which is licensed under GPL-3, so this binary is distributed under the "
            "terms "
            "of the GNU General Public License version 3: %1.</p>")
            .arg(link(QStringLiteral("https://www.gnu.org/licenses/gpl-3.0.html"),
                      QStringLiteral("gnu.org/licenses/gpl-3.0")));
    QStringList docs;
    const QString folder = documentationFolder();
    if (!folder.isEmpty()) {
        const QDir dir(folder);
        for (const QString &name : dir.entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name))
            docs << link(QUrl::fromLocalFile(dir.filePath(name)).toString(), name);
        const QFileInfo readme(folder + QStringLiteral("/../README.md"));
        if (readme.exists())
            docs.prepend(link(QUrl::fromLocalFile(readme.canonicalFilePath()).toString(),
                              QStringLiteral("README.md")));
    }
    docs << link(QStringLiteral("https://doc.qt.io/qt-6/"), QObject::tr("Qt documentation"))
         << link(QStringLiteral("https://github.com/confluentinc/librdkafka"),
                 QObject::tr("librdkafka"));
    html +=
        QObject::tr(
            "<p><b>Documentation:</b> %1. <code>marketstream --help</code> lists every option.</p>")
            .arg(docs.join(QStringLiteral(" · ")));
    return html;
}

void showAboutBox(QWidget *parent)
{
    QMessageBox box(parent);
    box.setObjectName(QStringLiteral("aboutBox"));
    box.setWindowTitle(QObject::tr("About MarketStream"));
    box.setIconPixmap(QPixmap(QStringLiteral(":/icons/marketstream.png"))
                          .scaled(64, 64, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    box.setTextFormat(Qt::RichText);
    box.setText(aboutHtml());
    box.setTextInteractionFlags(Qt::TextBrowserInteraction);
    box.setStandardButtons(QMessageBox::Close);
    box.exec();
}

} // namespace ms::ui
