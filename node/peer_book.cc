#include "node/peer_book.h"

#include "crdt/op_bodies.h"

namespace nanse {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS peer_addresses(
  address TEXT PRIMARY KEY,
  configured INTEGER NOT NULL DEFAULT 0,
  node BLOB,
  last_attempt INTEGER NOT NULL DEFAULT 0,
  last_success INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_error_at INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS peer_nodes(
  node BLOB PRIMARY KEY,
  address TEXT NOT NULL DEFAULT '',
  outbound INTEGER NOT NULL DEFAULT 0,
  connected INTEGER NOT NULL DEFAULT 0,
  caught_up INTEGER NOT NULL DEFAULT 0,
  seen INTEGER NOT NULL DEFAULT 0,
  last_success INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_error_at INTEGER NOT NULL DEFAULT 0,
  ops_in INTEGER NOT NULL DEFAULT 0,
  ops_out INTEGER NOT NULL DEFAULT 0,
  bytes_in INTEGER NOT NULL DEFAULT 0,
  bytes_out INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS peer_sessions(
  node BLOB PRIMARY KEY,
  started INTEGER NOT NULL,
  ops_in INTEGER NOT NULL,
  ops_out INTEGER NOT NULL,
  bytes_in INTEGER NOT NULL,
  bytes_out INTEGER NOT NULL,
  clock_offset INTEGER);
)sql";

constexpr size_t kMaxErrorText = 500;

int64_t I(uint64_t v) { return static_cast<int64_t>(std::min<uint64_t>(v, INT64_MAX)); }

// Runs one statement, binding `bind` first.
template <typename BindFn>
Status RunOne(detail::SqliteDb& db, const std::string& sql, BindFn bind) {
  auto stmt = db.Cached(sql);
  if (!stmt.ok()) return stmt.status();
  bind(**stmt);
  return (*stmt)->Run();
}

Status EnsureAddressRow(detail::SqliteDb& db, const std::string& address) {
  return RunOne(db, "INSERT OR IGNORE INTO peer_addresses(address) VALUES(?)",
                [&](detail::SqliteStatement& s) { s.Bind(1, address); });
}

std::string Clip(const std::string& text) { return text.substr(0, kMaxErrorText); }

}  // namespace

Result<std::unique_ptr<PeerBook>> PeerBook::Open(const std::string& database_path) {
  NANSE_ASSIGN_OR_RETURN(auto db, detail::SqliteDb::Open(database_path));
  NANSE_RETURN_IF_ERROR(db->Exec(kSchema));
  return std::unique_ptr<PeerBook>(new PeerBook(std::move(db)));
}

Status PeerBook::Add(const std::string& address, int64_t) {
  NANSE_RETURN_IF_ERROR(ValidateAddress(address, "HOST:PORT"));
  NANSE_RETURN_IF_ERROR(EnsureAddressRow(*db_, address));
  return RunOne(*db_, "UPDATE peer_addresses SET configured=1 WHERE address=?",
                [&](detail::SqliteStatement& s) { s.Bind(1, address); });
}

Status PeerBook::Remove(const std::string& address) {
  NANSE_RETURN_IF_ERROR(
      RunOne(*db_, "UPDATE peer_addresses SET configured=0 WHERE address=? AND configured=1",
             [&](detail::SqliteStatement& s) { s.Bind(1, address); }));
  if (db_->Changes() == 0) {
    return Status::NotFound("peer " + address, "it is not among the configured peers");
  }
  return Status::Ok();
}

Result<std::vector<PeerAddress>> PeerBook::Addresses() {
  NANSE_ASSIGN_OR_RETURN(
      auto stmt,
      db_->Prepare("SELECT address, configured, node, last_attempt, last_success, last_error, "
                   "last_error_at, failures FROM peer_addresses "
                   "ORDER BY configured DESC, address"));
  std::vector<PeerAddress> out;
  for (;;) {
    NANSE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    PeerAddress a;
    a.address = stmt.Text(0);
    a.configured = stmt.Int(1) != 0;
    if (!stmt.IsNull(2)) {
      Bytes node = stmt.Blob(2);
      if (node.size() == 32) a.node = ToArray<32>(node);
    }
    a.last_attempt_millis = stmt.Int(3);
    a.last_success_millis = stmt.Int(4);
    a.last_error = stmt.Text(5);
    a.last_error_millis = stmt.Int(6);
    a.failures = static_cast<uint64_t>(stmt.Int(7));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<std::string>> PeerBook::ConfiguredAddresses() {
  NANSE_ASSIGN_OR_RETURN(auto all, Addresses());
  std::vector<std::string> out;
  for (const auto& a : all) {
    if (a.configured) out.push_back(a.address);
  }
  return out;
}

Status PeerBook::RecordAttempt(const std::string& address, int64_t now_millis) {
  NANSE_RETURN_IF_ERROR(EnsureAddressRow(*db_, address));
  return RunOne(*db_, "UPDATE peer_addresses SET last_attempt=? WHERE address=?",
                [&](detail::SqliteStatement& s) { s.Bind(1, now_millis).Bind(2, address); });
}

Status PeerBook::RecordDialSuccess(const std::string& address, const PublicKey& node,
                                   int64_t now_millis) {
  NANSE_RETURN_IF_ERROR(EnsureAddressRow(*db_, address));
  return RunOne(*db_,
                "UPDATE peer_addresses SET node=?, last_success=?, failures=0 WHERE address=?",
                [&](detail::SqliteStatement& s) {
                  s.Bind(1, ByteView(node)).Bind(2, now_millis).Bind(3, address);
                });
}

Status PeerBook::RecordDialFailure(const std::string& address, const std::string& error,
                                   int64_t now_millis) {
  NANSE_RETURN_IF_ERROR(EnsureAddressRow(*db_, address));
  return RunOne(*db_,
                "UPDATE peer_addresses SET last_error=?, last_error_at=?, failures=failures+1 "
                "WHERE address=?",
                [&](detail::SqliteStatement& s) {
                  s.Bind(1, Clip(error)).Bind(2, now_millis).Bind(3, address);
                });
}

Status PeerBook::RecordSession(const SessionUpdate& u, int64_t now_millis) {
  detail::SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  NANSE_RETURN_IF_ERROR(RunOne(*db_, "INSERT OR IGNORE INTO peer_nodes(node) VALUES(?)",
                               [&](detail::SqliteStatement& s) { s.Bind(1, ByteView(u.node)); }));
  NANSE_RETURN_IF_ERROR(
      RunOne(*db_,
             "UPDATE peer_nodes SET address=?, outbound=?, connected=?, caught_up=?, seen=?, "
             "ops_in=ops_in+?, ops_out=ops_out+?, bytes_in=bytes_in+?, bytes_out=bytes_out+? "
             "WHERE node=?",
             [&](detail::SqliteStatement& s) {
               s.Bind(1, u.address)
                   .Bind(2, int64_t{u.outbound})
                   .Bind(3, int64_t{u.connected})
                   .Bind(4, int64_t{u.caught_up})
                   .Bind(5, now_millis)
                   .Bind(6, I(u.delta.ops_in))
                   .Bind(7, I(u.delta.ops_out))
                   .Bind(8, I(u.delta.bytes_in))
                   .Bind(9, I(u.delta.bytes_out))
                   .Bind(10, ByteView(u.node));
             }));
  if (u.caught_up) {
    NANSE_RETURN_IF_ERROR(RunOne(
        *db_, "UPDATE peer_nodes SET last_success=? WHERE node=?",
        [&](detail::SqliteStatement& s) { s.Bind(1, now_millis).Bind(2, ByteView(u.node)); }));
  }
  NANSE_RETURN_IF_ERROR(
      RunOne(*db_,
             "INSERT OR REPLACE INTO peer_sessions(node, started, ops_in, ops_out, bytes_in, "
             "bytes_out, clock_offset) VALUES(?, ?, ?, ?, ?, ?, ?)",
             [&](detail::SqliteStatement& s) {
               s.Bind(1, ByteView(u.node))
                   .Bind(2, u.session_started_millis)
                   .Bind(3, I(u.session.ops_in))
                   .Bind(4, I(u.session.ops_out))
                   .Bind(5, I(u.session.bytes_in))
                   .Bind(6, I(u.session.bytes_out));
               if (u.clock_offset_millis) {
                 s.Bind(7, *u.clock_offset_millis);
               } else {
                 s.BindNull(7);
               }
             }));
  if (!u.error.empty()) {
    NANSE_RETURN_IF_ERROR(
        RunOne(*db_, "UPDATE peer_nodes SET last_error=?, last_error_at=? WHERE node=?",
               [&](detail::SqliteStatement& s) {
                 s.Bind(1, Clip(u.error)).Bind(2, now_millis).Bind(3, ByteView(u.node));
               }));
  }
  return tx.Commit();
}

Status PeerBook::MarkAllDisconnected() {
  return db_->Exec("UPDATE peer_nodes SET connected=0, caught_up=0 WHERE connected=1");
}

Result<std::vector<PeerNode>> PeerBook::Nodes() {
  NANSE_ASSIGN_OR_RETURN(
      auto stmt,
      db_->Prepare("SELECT n.node, address, outbound, connected, caught_up, seen, last_success, "
                   "last_error, last_error_at, n.ops_in, n.ops_out, n.bytes_in, n.bytes_out, "
                   "s.started, s.ops_in, s.ops_out, s.bytes_in, s.bytes_out, s.clock_offset "
                   "FROM peer_nodes n LEFT JOIN peer_sessions s ON s.node = n.node "
                   "ORDER BY n.node"));
  std::vector<PeerNode> out;
  for (;;) {
    NANSE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    Bytes node = stmt.Blob(0);
    if (node.size() != 32) continue;
    PeerNode n;
    n.node = ToArray<32>(node);
    n.address = stmt.Text(1);
    n.outbound = stmt.Int(2) != 0;
    n.connected = stmt.Int(3) != 0;
    n.caught_up = stmt.Int(4) != 0;
    n.seen_millis = stmt.Int(5);
    n.last_success_millis = stmt.Int(6);
    n.last_error = stmt.Text(7);
    n.last_error_millis = stmt.Int(8);
    n.traffic = {static_cast<uint64_t>(stmt.Int(9)), static_cast<uint64_t>(stmt.Int(10)),
                 static_cast<uint64_t>(stmt.Int(11)), static_cast<uint64_t>(stmt.Int(12))};
    if (!stmt.IsNull(13)) {
      n.session_started_millis = stmt.Int(13);
      n.session = {static_cast<uint64_t>(stmt.Int(14)), static_cast<uint64_t>(stmt.Int(15)),
                   static_cast<uint64_t>(stmt.Int(16)), static_cast<uint64_t>(stmt.Int(17))};
      if (!stmt.IsNull(18)) n.clock_offset_millis = stmt.Int(18);
    }
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace nanse
