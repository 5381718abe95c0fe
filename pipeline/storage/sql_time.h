#pragma once
// UTC times as the read queries bind and read them (QSqlQuery values, both backends): the text form
// of row_format, so a bound parameter compares the way the stored column does.
#include "storage/row_format.h"

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <string>
#include <string_view>

namespace ms::storage_detail {

inline QString timeParam(qint64 ms)
{
    std::string s;
    rowfmt::appendUtcTimestamp(s, ms);
    return QString::fromLatin1(s.data(), qsizetype(s.size()));
}

// 0 when the value is not a time (NULL, or text in another form).
inline qint64 timeValue(const QVariant &v)
{
    const QByteArray text = v.toString().toLatin1();
    return rowfmt::parseUtcTimestamp(std::string_view(text.constData(), size_t(text.size()))).value_or(0);
}

}  // namespace ms::storage_detail
