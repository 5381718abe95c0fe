#include "main_window.h"

namespace ms {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("MarketStream"));
}

}  // namespace ms
