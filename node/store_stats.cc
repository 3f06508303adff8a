// Store: figures about the log (counts, sizes, each author's range of timestamps).
#include "node/store.h"

namespace nanse {

Result<std::vector<AuthorClock>> Store::AuthorClocks() {
  // SQLite returns the row of the min()/max() for the bare id column.
  auto oldest =
      db_->Prepare("SELECT author, min(hlc), id FROM ops GROUP BY author ORDER BY author");
  if (!oldest.ok()) return oldest.status();
  auto newest =
      db_->Prepare("SELECT author, max(hlc), id FROM ops GROUP BY author ORDER BY author");
  if (!newest.ok()) return newest.status();
  std::vector<AuthorClock> out;
  for (;;) {
    auto a = oldest->Step();
    if (!a.ok()) return a.status();
    auto b = newest->Step();
    if (!b.ok()) return b.status();
    if (!*a || !*b) break;
    AuthorClock c;
    c.author = ToArray<32>(oldest->Blob(0));
    c.oldest = Hlc(static_cast<uint64_t>(oldest->Int(1)));
    c.oldest_op = ToArray<32>(oldest->Blob(2));
    c.newest = Hlc(static_cast<uint64_t>(newest->Int(1)));
    c.newest_op = ToArray<32>(newest->Blob(2));
    out.push_back(c);
  }
  return out;
}

Result<StoreStats> Store::Stats() {
  auto stmt = db_->Cached(
      "SELECT (SELECT count(*) FROM ops), (SELECT count(*) FROM heads), "
      "(SELECT count(*) FROM heads WHERE fork_seq IS NOT NULL), "
      "(SELECT coalesce(sum(length(header) + length(signature) + coalesce(length(body), 0)), 0) "
      "FROM ops)");
  if (!stmt.ok()) return stmt.status();
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  StoreStats stats;
  stats.ops = static_cast<uint64_t>((*stmt)->Int(0));
  stats.authors = static_cast<uint64_t>((*stmt)->Int(1));
  stats.forked_authors = static_cast<uint64_t>((*stmt)->Int(2));
  stats.bytes = static_cast<uint64_t>((*stmt)->Int(3));
  return stats;
}

}  // namespace nanse
