#pragma once
// Internal to storage/: the SQLite write path of TickStore, on the sqlite3 handle behind QSQLITE.
// Owns its prepared statements (finalized in the destructor, before Qt closes the connection).
#include "storage/native_handles.h"
#include "storage/tick_store.h"

namespace ms::storage_detail {

class SqliteTickWriter
{
public:
    explicit SqliteTickWriter(sqlite3 *db) : m_db(db) {}
    ~SqliteTickWriter();
    SqliteTickWriter(const SqliteTickWriter &) = delete;
    SqliteTickWriter &operator=(const SqliteTickWriter &) = delete;

    Result<WriteResult> write(const WriteBatch &batch);
    // Inserts the ticks in a transaction that is rolled back; returns what SQLite said about them.
    Status probeTicks(std::span<const Tick> ticks);

private:
    Status prepare();
    Result<WriteResult> writeInTransaction(const WriteBatch &batch, bool ticksOnly);
    Status writeGaps(const DerivedRows &derived, WriteResult &r);

    sqlite3 *m_db;
    sqlite3_stmt *m_crypto = nullptr;
    sqlite3_stmt *m_stock = nullptr;
    sqlite3_stmt *m_candle = nullptr;
    sqlite3_stmt *m_offset = nullptr;
    sqlite3_stmt *m_late = nullptr;
    sqlite3_stmt *m_indicator = nullptr;
    sqlite3_stmt *m_alert = nullptr;
    sqlite3_stmt *m_alertState = nullptr;
    sqlite3_stmt *m_gap = nullptr;
    sqlite3_stmt *m_gapState = nullptr;
    std::vector<quint8> m_inserted;  // per tick of the batch: 1 = a new row (INSERT changed one)
};

}  // namespace ms::storage_detail
