// PowerBiView's export: off the GUI thread, progress in words, and a result that always says what
// happened (the folder, or why nothing was written).
#include "powerbi/powerbi_view.h"

#include "reporting/powerbi_export.h"
#include "storage/database_url.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QUrl>
#include <QtConcurrent>

namespace ms {

void PowerBiView::startExport(const QString &outDir)
{
    if (m_export.isRunning())
        return;
    m_exportDir = QDir::cleanPath(QDir(outDir).absolutePath());
    if (m_url.isEmpty()) {
        finishExport({false, tr("There is no database to export: none is configured (Settings → Database).")},
                     m_exportDir);
        return;
    }
    m_cancelExport->store(false);
    m_progressPercent = 0;
    m_progressLabel = tr("Starting the export…");
    auto *dialog = new QProgressDialog(m_progressLabel, tr("Cancel"), 0, 100, this);
    dialog->setObjectName(QStringLiteral("powerBiExportProgress"));
    dialog->setWindowTitle(tr("Power BI export"));
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(0);
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const std::shared_ptr<std::atomic_bool> cancel = m_cancelExport;
    connect(dialog, &QProgressDialog::canceled, this, [cancel] { cancel->store(true); });
    connect(&m_export, &QFutureWatcher<ExportOutcome>::finished, dialog, &QProgressDialog::close,
            Qt::SingleShotConnection);
    m_exportButton->setEnabled(false);
    m_exportStatus->setText(tr("Exporting to %1…").arg(QDir::toNativeSeparators(m_exportDir)));

    // Progress arrives on the export thread; the dialog and this widget outlive it (the destructor
    // waits for the export), the QPointer covers a dialog the user closed.
    QPointer<QProgressDialog> guard(dialog);
    QPointer<PowerBiView> self(this);
    const auto progress = [guard, self](int percent, QString label) {
        QMetaObject::invokeMethod(self, [guard, self, percent, label] {
            if (!self)
                return;
            self->m_progressPercent = qMax(self->m_progressPercent, percent);
            self->m_progressLabel = label;
            if (guard) {
                guard->setValue(self->m_progressPercent);
                guard->setLabelText(label);
            }
        }, Qt::QueuedConnection);
    };
    m_export.setFuture(QtConcurrent::run(&PowerBiView::runExport, m_url, m_exportDir, progress, cancel.get()));
}

PowerBiView::ExportOutcome PowerBiView::runExport(const QString &urlText, const QString &outDir,
                                                  const std::function<void(int, QString)> &progress,
                                                  const std::atomic_bool *cancel)
{
    Result<DatabaseUrl> url = DatabaseUrl::parse(urlText);
    if (!url)
        return {false, tr("Export failed: the database URL is not valid (%1).").arg(url.errorMessage())};
    if (url->isSqlite() && url->sqlitePath != QLatin1String(":memory:") && !QFileInfo::exists(url->sqlitePath))
        return {false, tr("Nothing to export: there is no database at %1 yet. Press Start first.")
                           .arg(QDir::toNativeSeparators(url->sqlitePath))};
    ExportOptions options;
    options.cancel = cancel;
    options.failWhenEmpty = true;
    options.progress = [&progress](const ExportProgress &p) {
        if (p.stepCount <= 0)
            return;
        if (p.step == QLatin1String("done")) {
            progress(100, p.label);
            return;
        }
        const double within = p.rowsTotal > 0 ? qBound(0.0, double(p.rowsDone) / double(p.rowsTotal), 1.0) : 0.0;
        progress(int(99.0 * (qMax(0, p.stepIndex - 1) + within) / p.stepCount), p.label);
    };
    Result<ExportSummary> r = exportPowerBi(url.value(), outDir, options);
    if (!r) {
        if (r.error().code == QLatin1String("empty"))
            return {false, r.errorMessage()};
        if (r.error().code == QLatin1String("cancelled"))
            return {false, tr("Export cancelled: nothing was left half-written in %1.").arg(QDir::toNativeSeparators(outDir))};
        return {false, tr("Export failed: %1").arg(r.errorMessage())};
    }
    QString text = tr("Exported %n file(s), %1 rows, to %2", nullptr, int(r->files.size()))
                       .arg(QLocale().toString(r->csvRows), QDir::toNativeSeparators(outDir));
    for (const QString &note : std::as_const(r->notes))
        text += QStringLiteral("\n") + note;
    return {true, text};
}

void PowerBiView::finishExport(const ExportOutcome &outcome, const QString &outDir)
{
    m_exportButton->setEnabled(true);
    m_lastExportMessage = outcome.message;
    m_exportStatus->setText(outcome.message.section(u'\n', 0, 0));
    auto *box = new QMessageBox(outcome.ok ? QMessageBox::Information : QMessageBox::Warning, tr("Power BI export"),
                                outcome.message, QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("powerBiExportResult"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (outcome.ok) {
        QPushButton *open = box->addButton(tr("Open folder"), QMessageBox::ActionRole);
        open->setObjectName(QStringLiteral("openExportFolder"));
        connect(open, &QPushButton::clicked, this,
                [outDir] { QDesktopServices::openUrl(QUrl::fromLocalFile(outDir)); });
    }
    box->open();  // window-modal, not a nested event loop
    Q_EMIT exportFinished(outcome.ok, outcome.message);
}

}  // namespace ms
