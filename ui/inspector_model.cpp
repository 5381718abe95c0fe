#include "inspector_model.h"

#include <QDateTime>
#include <QStringDecoder>

namespace ms::ui {

QString inspectorCellText(const std::optional<QByteArray> &bytes, int maxChars)
{
    if (!bytes)
        return QStringLiteral("(null)");
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decode(*bytes);
    if (decode.hasError())
        text = QStringLiteral("(binary %1 B) ").arg(bytes->size()) +
               QString::fromLatin1(bytes->left(maxChars / 2).toHex(' '));
    text.replace(u'\n', u' ');
    return text.size() > maxChars ? text.left(maxChars) + QStringLiteral("…") : text;
}

InspectorModel::InspectorModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(std::max(1, capacity))
{
}

int InspectorModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int InspectorModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InspectorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Partition:
        return tr("Partition");
    case Offset:
        return tr("Offset");
    case Timestamp:
        return tr("Timestamp (UTC)");
    case Key:
        return tr("Key");
    case HeadersColumn:
        return tr("Headers");
    case Value:
        return tr("Value");
    default:
        return {};
    }
}

QVariant InspectorModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const kafka::TailRecord &r = m_rows[size_t(index.row())];
    auto headersText = [&](int maxChars) {
        QStringList parts;
        for (const auto &[name, value] : r.headers)
            parts.append(name + u'=' + inspectorCellText(value, maxChars));
        return parts.join(QStringLiteral(", "));
    };
    if (role == SearchRole) {
        return QString(inspectorCellText(r.key, 1 << 20) + u'\n' + headersText(1 << 20) + u'\n' +
                       inspectorCellText(r.value, 1 << 20));
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Partition || index.column() == Offset))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Partition:
        return r.partition;
    case Offset:
        return qlonglong(r.offset);
    case Timestamp:
        return r.timestampMs < 0 ? QStringLiteral("-")
                                 : QDateTime::fromMSecsSinceEpoch(r.timestampMs, Qt::UTC)
                                       .toString(Qt::ISODateWithMs);
    case Key:
        return inspectorCellText(r.key, 60);
    case HeadersColumn:
        return headersText(60);
    case Value:
        return inspectorCellText(r.value, 200);
    default:
        return {};
    }
}

void InspectorModel::append(std::deque<kafka::TailRecord> &&records)
{
    if (records.empty())
        return;
    m_received += qint64(records.size());
    while (records.size() > size_t(m_capacity))
        records.pop_front(); // would be dropped at once anyway
    const int overflow = int(m_rows.size() + records.size()) - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + overflow);
        endRemoveRows();
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(records.size()) - 1);
    for (kafka::TailRecord &r : records)
        m_rows.push_back(std::move(r));
    endInsertRows();
}

void InspectorModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_received = 0;
    endResetModel();
}

} // namespace ms::ui
