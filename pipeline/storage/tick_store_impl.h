#pragma once
// Internal to storage/: TickStore's private state, shared by tick_store.cpp and tick_store_reads.cpp.
#include "storage/pg_tick_writer.h"
#include "storage/sqlite_tick_writer.h"
#include "storage/tick_store.h"

#include <QSqlDatabase>

#include <memory>

namespace ms {

struct TickStore::Impl
{
    QSqlDatabase db;
    storage_detail::PgWriterState pg;
    std::unique_ptr<storage_detail::SqliteTickWriter> sqlite;
};

}  // namespace ms
