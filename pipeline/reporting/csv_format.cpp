#include "reporting/csv_format.h"

#include <QDate>
#include <QDateTime>

#include <charconv>
#include <cmath>

namespace ms::reporting {

void appendCsvText(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    bool quote = utf8.isEmpty() || utf8.front() == ' ' || utf8.back() == ' ';
    for (char c : utf8) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        out.append(utf8);
        return;
    }
    out.append('"');
    for (char c : utf8) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

void appendCsvDouble(QByteArray &out, double value)
{
    if (!std::isfinite(value))
        return;  // no CSV reader agrees on "inf"/"nan": written as NULL
    char buf[32];  // the longest shortest form is 24 characters ("-2.2250738585072014e-308")
    const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, qsizetype(r.ptr - buf));
}

QString isoUtc(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QDateTime) {
        return value.toDateTime().toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + u'Z';
    }
    QString s = value.toString().trimmed();
    if (s.size() > 10 && s.at(10) == u' ')
        s[10] = u'T';
    if (!s.endsWith(u'Z') && !s.contains(u'+'))
        s += u'Z';
    return s;
}

void appendCsvValue(QByteArray &out, const QVariant &value, ColumnType type)
{
    if (value.isNull())
        return;
    switch (type) {
    case ColumnType::Int64:
        out.append(QByteArray::number(value.toLongLong()));
        return;
    case ColumnType::Double:
        appendCsvDouble(out, value.toDouble());
        return;
    case ColumnType::Boolean: {
        const bool b = value.metaType().id() == QMetaType::QString
                           ? (value.toString() == QLatin1String("1") || value.toString() == QLatin1String("true")
                              || value.toString() == QLatin1String("t"))
                           : value.toBool();
        out.append(b ? "true" : "false");
        return;
    }
    case ColumnType::DateTime:
        out.append(isoUtc(value).toLatin1());
        return;
    case ColumnType::UtcDateTime: {
        if (value.metaType().id() == QMetaType::QDateTime) {  // its fields are UTC whatever spec the driver gave it
            const QDateTime dt = value.toDateTime();
            out.append(QDateTime(dt.date(), dt.time(), Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")).toLatin1());
            return;
        }
        QString s = isoUtc(value);
        if (s.endsWith(u'Z'))
            s.chop(1);  // a zone-less UTC time, as Power BI's datetime type reads it
        out.append(s.toLatin1());
        return;
    }
    case ColumnType::Date:
        if (value.metaType().id() == QMetaType::QDate)
            out.append(value.toDate().toString(Qt::ISODate).toLatin1());
        else
            out.append(value.toString().left(10).toLatin1());
        return;
    case ColumnType::String:
        appendCsvText(out, value.toString());
        return;
    }
}

QByteArray csvHeader(const ViewInfo &view)
{
    QByteArray out;
    for (qsizetype i = 0; i < view.columns.size(); ++i) {
        if (i)
            out.append(',');
        appendCsvText(out, view.columns.at(i).name);
    }
    out.append("\r\n");
    return out;
}

}  // namespace ms::reporting
