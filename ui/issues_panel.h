#pragma once
// The Issues panel: IssueLog entries (time, severity, component, message), newest last, filterable
// by minimum severity and text, Ctrl+C copies the selected rows as tab-separated text.
// pull() is called once per frame and reads what is new in the IssueLog.
#include "runtime/issue_log.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QTableView;

namespace ms::ui {

class IssuesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Severity, Component, Message, ColumnCount };
    explicit IssuesModel(QObject *parent = nullptr);

    void append(std::vector<IssueEntry> entries);
    const IssueEntry &entry(int row) const { return m_entries.at(size_t(row)); }
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::deque<IssueEntry> m_entries;
    static constexpr size_t capacity = 5000;
};

class IssuesFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setMinimumSeverity(ms::Severity s);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    ms::Severity m_min = ms::Severity::Info;
    QString m_text;
};

class IssuesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit IssuesPanel(QWidget *parent = nullptr);

    // Reads the IssueLog entries added since the last call; returns how many arrived.
    int pull();
    // Selected rows (or all visible rows when none is selected) as text, one per line.
    QString selectedText() const;
    void copySelection() const;

    // The details pane under the list: the selected entry whole (word-wrapped, selectable), or the
    // newest error when nothing is selected. Long messages are never cut to a table cell.
    QString detailsText() const;
    QPlainTextEdit *details() const { return m_details; }
    // Selects the newest error (the "details" link of the window's state label goes here).
    void showLatestError();

    int visibleRows() const { return m_filter->rowCount(); }
    int errorCount() const { return m_errors; }
    IssuesFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }

Q_SIGNALS:
    void errorsChanged(int errors);

private:
    void updateDetails();

    IssuesModel *m_model;
    IssuesFilter *m_filter;
    QTableView *m_view;
    QComboBox *m_severity;
    QLineEdit *m_search;
    QPlainTextEdit *m_details;
    qint64 m_lastSeq = 0;
    int m_errors = 0;
};

}  // namespace ms::ui
