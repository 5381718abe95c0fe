#pragma once
// Internal to storage/: TickStore's private state, shared by tick_store.cpp and tick_store_reads.cpp.
#include "storage/pg_tick_writer.h"
#include "storage/sqlite_tick_writer.h"
#include "storage/tick_store.h"

#include <QSqlDatabase>

#include <memory>
#include <optional>
#include <utility>

#include <sys/types.h>

namespace ms {

struct TickStore::Impl
{
    QSqlDatabase db;
    storage_detail::PgWriterState pg;
    std::unique_ptr<storage_detail::SqliteTickWriter> sqlite;
    std::optional<std::pair<dev_t, ino_t>> sqliteFile;  // (device, inode) of the file opened
};

}  // namespace ms
