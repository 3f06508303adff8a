// A minimal RAII layer over SQLite's C API: a connection, prepared statements, transactions.
// Errors come back as Status::Io naming the statement's purpose and SQLite's message.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "crdt/bytes.h"
#include "crdt/status.h"

namespace nanse::detail {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Binds are 1-based, as in SQLite.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, ByteView value);
  SqliteStatement& Bind(int index, const std::string& value);
  SqliteStatement& BindNull(int index);

  // Steps once: true when a row is ready, false when done. Errors become a Status.
  Result<bool> Step();
  // Steps to completion, expecting no rows.
  Status Run();
  void Reset();

  int64_t Int(int column) const;
  Bytes Blob(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  // Every column of the current row as text ("|"-separated; blobs in hex, NULL as "null").
  std::string RowAsText() const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// A cached statement on loan (SqliteDb::Cached): reset when the loan ends, so that a row left
// unread does not keep a read transaction open on the connection. An open read transaction
// pins an old snapshot: this connection would not see other processes' commits, its next
// write would fail with SQLITE_BUSY at once, and the WAL could not be checkpointed.
class CachedStatement {
 public:
  explicit CachedStatement(SqliteStatement* statement) : statement_(statement) {}
  CachedStatement(CachedStatement&& other) noexcept
      : statement_(std::exchange(other.statement_, nullptr)) {}
  CachedStatement& operator=(CachedStatement&&) = delete;
  ~CachedStatement() {
    if (statement_) statement_->Reset();
  }
  SqliteStatement* operator->() const { return statement_; }
  SqliteStatement& operator*() const { return *statement_; }

 private:
  SqliteStatement* statement_;
};

class SqliteDb {
 public:
  // Opens (or creates) the database file with WAL and synchronous=FULL.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();

  Status Exec(const std::string& sql);
  Result<SqliteStatement> Prepare(const std::string& sql);
  // A prepared statement kept for the connection's lifetime, reset and with no bindings, lent
  // until the returned object dies (then reset again). One loan per statement text at a time.
  Result<CachedStatement> Cached(const std::string& sql);
  sqlite3* raw() { return db_; }
  int64_t Changes() const { return sqlite3_changes64(db_); }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<std::string, std::unique_ptr<SqliteStatement>> cache_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless committed.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db) : db_(db) {}
  Status Begin() {
    Status s = db_.Exec("BEGIN IMMEDIATE");
    active_ = s.ok();
    return s;
  }
  Status Commit() {
    Status s = db_.Exec("COMMIT");
    if (s.ok()) active_ = false;
    return s;
  }
  ~SqliteTransaction() {
    if (active_) (void)db_.Exec("ROLLBACK");
  }

 private:
  SqliteDb& db_;
  bool active_ = false;
};

}  // namespace nanse::detail
