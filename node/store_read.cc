// Store: the read side: heads and vectors, ops since a vector, recent ops, and the consistency
// check.
#include "node/store.h"

#include <algorithm>

#include "crdt/text_codec.h"
#include "node/store_rows.h"

namespace nanse {

using detail::ForEachRow;
using detail::kSelectOpColumns;
using detail::ReadStoredOp;

Result<std::vector<Head>> Store::Heads() {
  auto stmt = db_->Cached("SELECT author, seq, op_id, fork_seq FROM heads ORDER BY author");
  if (!stmt.ok()) return stmt.status();
  std::vector<Head> heads;
  for (;;) {
    auto row = (*stmt)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Head h;
    h.author = ToArray<32>((*stmt)->Blob(0));
    h.seq = static_cast<uint64_t>((*stmt)->Int(1));
    h.op_id = ToArray<32>((*stmt)->Blob(2));
    if (!(*stmt)->IsNull(3)) h.fork_seq = static_cast<uint64_t>((*stmt)->Int(3));
    heads.push_back(h);
  }
  return heads;
}

Result<VersionVector> Store::Vector() {
  auto heads = Heads();
  if (!heads.ok()) return heads.status();
  VersionVector vv;
  for (const Head& h : *heads) vv.Advance(h.author, h.seq);
  return vv;
}

Status Store::ForEachOpSince(const VersionVector& since, const std::function<bool(StoredOp&&)>& fn,
                             const std::set<PublicKey>& first) {
  auto heads = Heads();
  if (!heads.ok()) return heads.status();
  std::stable_partition(heads->begin(), heads->end(),
                        [&](const Head& h) { return first.count(h.author) > 0; });
  auto stmt =
      db_->Prepare(std::string(kSelectOpColumns) + "WHERE author=? AND seq>? ORDER BY seq, id");
  if (!stmt.ok()) return stmt.status();
  for (const Head& head : *heads) {
    uint64_t from = since.Get(head.author);
    // A holder at or past the fork may hold one branch without knowing of the other: send it
    // the proof pair (a duplicate costs it nothing).
    if (head.fork_seq && from >= *head.fork_seq) from = *head.fork_seq - 1;
    if (from >= head.seq) continue;
    stmt->Reset();
    stmt->Bind(1, ByteView(head.author)).Bind(2, static_cast<int64_t>(from));
    bool go_on = true;
    NANSE_RETURN_IF_ERROR(
        ForEachRow(*stmt, [&](StoredOp&& op) { return go_on = fn(std::move(op)); }));
    if (!go_on) break;
  }
  return Status::Ok();
}

Result<int64_t> Store::DataVersion() {
  auto stmt = db_->Cached("PRAGMA data_version");
  if (!stmt.ok()) return stmt.status();
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Io("database", "PRAGMA data_version returned no row");
  return (*stmt)->Int(0);
}

Result<std::vector<StoredOp>> Store::RecentOps(const std::optional<PublicKey>& author,
                                               size_t limit) {
  std::string sql = std::string(kSelectOpColumns) + (author ? "WHERE author=? " : "") +
                    "ORDER BY hlc DESC, author DESC, seq DESC LIMIT ?";
  auto stmt = db_->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  int index = 1;
  if (author) stmt->Bind(index++, ByteView(*author));
  stmt->Bind(index, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  std::vector<StoredOp> out;
  NANSE_RETURN_IF_ERROR(ForEachRow(*stmt, [&](StoredOp&& op) {
    out.push_back(std::move(op));
    return true;
  }));
  return out;
}

Result<std::optional<StoredOp>> Store::GetOp(const Hash& id) {
  auto stmt = db_->Cached(std::string(kSelectOpColumns) + "WHERE id=?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->Bind(1, ByteView(id));
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StoredOp>();
  auto op = ReadStoredOp(**stmt);
  if (!op.ok()) return op.status();
  return std::optional<StoredOp>(std::move(*op));
}

Result<std::optional<StoredOp>> Store::LatestOfType(const PublicKey& author,
                                                    const std::string& type) {
  auto stmt = db_->Cached(std::string(kSelectOpColumns) +
                          "WHERE author=? AND type=? AND state=0 ORDER BY seq DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->Bind(1, ByteView(author)).Bind(2, type);
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StoredOp>();
  auto op = ReadStoredOp(**stmt);
  if (!op.ok()) return op.status();
  return std::optional<StoredOp>(std::move(*op));
}

Result<std::vector<std::string>> Store::Check() {
  std::vector<std::string> problems;
  {
    auto stmt = db_->Prepare("PRAGMA integrity_check");
    if (!stmt.ok()) return stmt.status();
    for (;;) {
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (stmt->Text(0) != "ok") problems.push_back("sqlite: " + stmt->Text(0));
    }
  }
  auto heads = Heads();
  if (!heads.ok()) return heads.status();
  auto chain =
      db_->Prepare(std::string(kSelectOpColumns) + "WHERE author=? AND state=0 ORDER BY seq");
  if (!chain.ok()) return chain.status();
  auto at_fork = db_->Prepare(
      "SELECT count(*), min(id), (SELECT count(*) FROM ops WHERE author=?1 AND seq>?2) "
      "FROM ops WHERE author=?1 AND seq=?2 AND state=1");
  if (!at_fork.ok()) return at_fork.status();
  for (const Head& head : *heads) {
    const std::string who = "author " + ShortId(head.author);
    chain->Reset();
    chain->Bind(1, ByteView(head.author));
    uint64_t expected_seq = 1;
    std::optional<Hash> prev;
    for (;;) {
      auto row = chain->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      auto op = ReadStoredOp(*chain);
      if (!op.ok()) {
        problems.push_back(who + ": " + op.status().ToString());
        break;
      }
      const OpHeader& h = op->op.header;
      if (h.seq != expected_seq || h.prev != prev) {
        problems.push_back(who + ": chain broken at seq " + std::to_string(h.seq));
        break;
      }
      prev = op->op.id;
      ++expected_seq;
    }
    const uint64_t chain_end = expected_seq - 1;
    if (head.fork_seq) {
      at_fork->Reset();
      at_fork->Bind(1, ByteView(head.author)).Bind(2, static_cast<int64_t>(*head.fork_seq));
      auto row = at_fork->Step();
      if (!row.ok()) return row.status();
      if (at_fork->Int(0) != 2 || at_fork->Int(2) != 0 || chain_end + 1 != *head.fork_seq ||
          head.seq != *head.fork_seq || ToArray<32>(at_fork->Blob(1)) != head.op_id) {
        problems.push_back(who + ": fork at seq " + std::to_string(*head.fork_seq) +
                           " is not held as its proof pair and the chain before it");
      }
    } else if (chain_end != head.seq || prev != head.op_id) {
      problems.push_back(who + ": head says seq " + std::to_string(head.seq) +
                         " but the log's chain ends at seq " + std::to_string(chain_end));
    }
  }
  return problems;
}

}  // namespace nanse
