#include "main_window.h"

namespace ms {

MainWindow::MainWindow(const PipelineConfig &base, const QString &settingsFile, QWidget *parent)
    : QMainWindow(parent), m_base(base), m_settingsFile(settingsFile)
{
    setWindowTitle(QStringLiteral("MarketStream"));
}

MainWindow::~MainWindow() = default;

void MainWindow::startPipeline() {}
void MainWindow::stopPipeline() {}

}  // namespace ms
