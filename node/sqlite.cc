#include "node/sqlite.h"

namespace nanse::detail {

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, ByteView value) {
  // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may go away before Step.
  sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, const std::string& value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Status::Io("database", std::string(sqlite3_errmsg(db_)) + " in: " + sqlite3_sql(stmt_));
}

Status SqliteStatement::Run() {
  auto r = Step();
  if (!r.ok()) return r.status();
  sqlite3_reset(stmt_);
  return Status::Ok();
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

Bytes SqliteStatement::Blob(int column) const {
  auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? Bytes(p, p + n) : Bytes();
}

std::string SqliteStatement::Text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::string SqliteStatement::RowAsText() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const int n = sqlite3_column_count(stmt_);
  for (int i = 0; i < n; ++i) {
    if (i) out += "|";
    switch (sqlite3_column_type(stmt_, i)) {
      case SQLITE_NULL:
        out += "null";
        break;
      case SQLITE_BLOB:
        for (uint8_t b : Blob(i)) {
          out.push_back(kHex[b >> 4]);
          out.push_back(kHex[b & 15]);
        }
        break;
      default:
        out += Text(i);
    }
  }
  return out;
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    if (raw) sqlite3_close(raw);
    return Status::Io("database " + path, msg);
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw));
  sqlite3_busy_timeout(raw, 10000);
  sqlite3_extended_result_codes(raw, 1);
  // WAL lets the daemon and the CLI share the file; FULL makes every commit durable before
  // the CLI reports "saved" (SD cards on a Pi lose power).
  NANSE_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  NANSE_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=FULL"));
  NANSE_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  return db;
}

SqliteDb::~SqliteDb() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close_v2(db_);
}

Result<CachedStatement> SqliteDb::Cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    it = cache_.emplace(sql, std::make_unique<SqliteStatement>(std::move(*stmt))).first;
  }
  it->second->Reset();
  return CachedStatement(it->second.get());
}

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Status::Io("database", msg);
  }
  return Status::Ok();
}

Result<SqliteStatement> SqliteDb::Prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK)
    return Status::Io("database", std::string(sqlite3_errmsg(db_)) + " in: " + sql);
  return SqliteStatement(db_, stmt);
}

}  // namespace nanse::detail
