#pragma once
#include "runtime/config.h"

#include <QMainWindow>

namespace ms {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const PipelineConfig &base, const QString &settingsFile = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

public Q_SLOTS:
    void startPipeline();
    void stopPipeline();

private:
    PipelineConfig m_base;
    QString m_settingsFile;
};

}  // namespace ms
