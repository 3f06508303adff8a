// Store: opening the database, its schema and migrations, and reading ops back from rows.
#include "node/store.h"

#include "node/store_rows.h"

namespace nanse {
namespace {

using detail::ForEachRow;
using detail::kIndexes;
using detail::kSelectOpColumns;
using detail::ReadStoredOp;
using detail::SqliteStatement;
using detail::SqliteTransaction;

// 2: ops.effect and ops.why (membership verdicts).
constexpr int64_t kSchemaVersion = 2;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key   TEXT PRIMARY KEY,
  value BLOB
) WITHOUT ROWID;
-- The op log. rowid is the local arrival order; the exact received bytes are kept.
CREATE TABLE IF NOT EXISTS ops(
  rowid       INTEGER PRIMARY KEY,
  id          BLOB NOT NULL UNIQUE,
  author      BLOB NOT NULL,
  seq         INTEGER NOT NULL,
  hlc         INTEGER NOT NULL,
  type        TEXT NOT NULL,
  header      BLOB NOT NULL,
  signature   BLOB NOT NULL,
  body        BLOB,              -- NULL once erased
  state       INTEGER NOT NULL,  -- OpState: 0 valid, 1 proof of equivocation
  received_ms INTEGER NOT NULL,
  effect      INTEGER NOT NULL DEFAULT 0,  -- Effect: 0 applied, 1 pending, 2 invalid
  why         TEXT                         -- why not applied
);
CREATE INDEX IF NOT EXISTS ops_by_author ON ops(author, seq);
CREATE INDEX IF NOT EXISTS ops_by_hlc ON ops(hlc);
CREATE INDEX IF NOT EXISTS ops_by_type ON ops(type);
-- One row per author: the end of its chain (the version vector) and where it forked.
CREATE TABLE IF NOT EXISTS heads(
  author   BLOB PRIMARY KEY,
  seq      INTEGER NOT NULL,
  op_id    BLOB NOT NULL,
  fork_seq INTEGER
) WITHOUT ROWID;
)sql";

}  // namespace

namespace detail {

Result<StoredOp> ReadStoredOp(const SqliteStatement& row) {
  Bytes header = row.Blob(0);
  Bytes signature = row.Blob(1);
  std::optional<Bytes> body;
  if (!row.IsNull(2)) body = row.Blob(2);
  std::optional<ByteView> body_view;
  if (body) body_view = ByteView(*body);
  auto op = AssembleOp(header, signature, body_view);
  if (!op.ok())
    return Status::Io("database op", "stored op does not decode: " + op.status().ToString());
  StoredOp stored;
  stored.op = std::move(*op);
  stored.state = static_cast<OpState>(row.Int(3));
  stored.received_millis = row.Int(4);
  stored.verdict.effect = static_cast<Effect>(row.Int(5));
  if (!row.IsNull(6)) stored.verdict.why = row.Text(6);
  return stored;
}

// Steps `stmt` (selecting kSelectOpColumns) to its end, handing each op to `fn` until it
// returns false.
Status ForEachRow(SqliteStatement& stmt, const std::function<bool(StoredOp&&)>& fn) {
  for (;;) {
    auto row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    auto op = ReadStoredOp(stmt);
    if (!op.ok()) return op.status();
    if (!fn(std::move(*op))) return Status::Ok();
  }
}

}  // namespace detail

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  auto db = detail::SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<Store> store(new Store(std::move(*db)));
  NANSE_RETURN_IF_ERROR(store->CreateSchema());
  return store;
}

Status Store::CreateSchema() {
  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  NANSE_RETURN_IF_ERROR(db_->Exec(kSchema));
  NANSE_RETURN_IF_ERROR(directory_.CreateSchema());
  auto get = db_->Prepare("SELECT value FROM meta WHERE key='schema'");
  if (!get.ok()) return get.status();
  auto row = get->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    const int64_t version = get->Int(0);
    get->Reset();
    if (version > kSchemaVersion || version < 1) {
      return Status::Io("database", "schema version " + std::to_string(version) +
                                        " is not supported by this nanse (expects " +
                                        std::to_string(kSchemaVersion) + ")");
    }
    if (version < kSchemaVersion) NANSE_RETURN_IF_ERROR(MigrateSchema(version));
  } else {
    auto put = db_->Prepare("INSERT INTO meta(key, value) VALUES('schema', ?)");
    if (!put.ok()) return put.status();
    NANSE_RETURN_IF_ERROR(put->Bind(1, kSchemaVersion).Run());
  }
  NANSE_RETURN_IF_ERROR(db_->Exec(kIndexes));
  return tx.Commit();
}

Status Store::MigrateSchema(int64_t from_version) {
  if (from_version == 1) {
    // Version 1 applied every op on a chain; judge them all now.
    NANSE_RETURN_IF_ERROR(
        db_->Exec("ALTER TABLE ops ADD COLUMN effect INTEGER NOT NULL DEFAULT 0;"
                  "ALTER TABLE ops ADD COLUMN why TEXT;"));
    NANSE_RETURN_IF_ERROR(RejudgeAll(nullptr));
  }
  auto put = db_->Prepare("UPDATE meta SET value=? WHERE key='schema'");
  if (!put.ok()) return put.status();
  return put->Bind(1, kSchemaVersion).Run();
}

}  // namespace nanse
