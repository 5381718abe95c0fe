#pragma once
// The inspector's table: the newest `capacity` messages of a tail, oldest first. Columns:
// partition, offset, timestamp (UTC), key, headers, value (one line). SearchRole on column 0 holds
// everything a text filter should find (key, header names and values, the whole value).
#include "kafka/topic_tail.h"

#include <QAbstractTableModel>
#include <deque>

namespace ms::ui {

class InspectorModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Partition, Offset, Timestamp, Key, HeadersColumn, Value, ColumnCount };
    static constexpr int SearchRole = Qt::UserRole + 1;

    explicit InspectorModel(int capacity = 5000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Appends, dropping the oldest rows beyond the capacity.
    void append(std::deque<kafka::TailRecord> &&records);
    void clear();
    const kafka::TailRecord &record(int row) const { return m_rows.at(size_t(row)); }
    qint64 received() const { return m_received; }

private:
    const int m_capacity;
    std::deque<kafka::TailRecord> m_rows;
    qint64 m_received = 0;
};

// One line of a key, header value or value for the table: text when it is UTF-8, else a hex hint.
QString inspectorCellText(const std::optional<QByteArray> &bytes, int maxChars = 200);

} // namespace ms::ui
