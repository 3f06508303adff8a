// Store: the wait of a node restored from a key backup (it may not author until it holds its
// own chain up to the backup's seq, so it cannot fork itself).
#include "node/store.h"

namespace nanse {

using detail::SqliteTransaction;

// The restore wait is two meta rows, written and removed together: `restored_author` (the
// node's key, 32 bytes) and `restored_awaiting_seq` (its head seq in the backup).
Status Store::MarkRestored(const PublicKey& author, uint64_t seq) {
  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  auto put = db_->Cached("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  if (!put.ok()) return put.status();
  NANSE_RETURN_IF_ERROR(
      (*put)->Bind(1, std::string("restored_author")).Bind(2, ByteView(author)).Run());
  (*put)->Reset();
  NANSE_RETURN_IF_ERROR((*put)
                            ->Bind(1, std::string("restored_awaiting_seq"))
                            .Bind(2, static_cast<int64_t>(seq))
                            .Run());
  return tx.Commit();
}

Result<std::optional<Store::RestoreWait>> Store::RestoreWaiting() {
  auto stmt = db_->Cached(
      "SELECT (SELECT value FROM meta WHERE key='restored_author'), "
      "(SELECT value FROM meta WHERE key='restored_awaiting_seq')");
  if (!stmt.ok()) return stmt.status();
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if ((*stmt)->IsNull(0) || (*stmt)->IsNull(1)) return std::optional<RestoreWait>();
  Bytes author = (*stmt)->Blob(0);
  if (author.size() != 32) return Status::Io("database meta.restored_author", "expected 32 bytes");
  return std::optional<RestoreWait>(
      RestoreWait{ToArray<32>(author), static_cast<uint64_t>((*stmt)->Int(1))});
}

Status Store::CheckRestoreWait(const PublicKey& author) {
  NANSE_ASSIGN_OR_RETURN(auto wait, RestoreWaiting());
  if (!wait || wait->author != author) return Status::Ok();
  if (!override_restore_wait_) {
    return Status::Invalid(
        "node key",
        "this node was restored from a backup and does not yet hold its own ops up to seq " +
            std::to_string(wait->seq) +
            ": import a bundle or sync with a peer first so it learns its own latest op, or use "
            "--force");
  }
  // Overridden: the op about to be authored ends the wait, in the same transaction.
  return db_->Exec("DELETE FROM meta WHERE key IN ('restored_author', 'restored_awaiting_seq')");
}

Status Store::EndRestoreWaitIfCaughtUp() {
  NANSE_ASSIGN_OR_RETURN(auto wait, RestoreWaiting());
  if (!wait) return Status::Ok();
  NANSE_ASSIGN_OR_RETURN(auto head, ReadHead(wait->author));
  // Its next op will be at head seq + 1, past every op the backup knew of.
  if ((head ? head->seq : 0) < wait->seq) return Status::Ok();
  return db_->Exec("DELETE FROM meta WHERE key IN ('restored_author', 'restored_awaiting_seq')");
}

}  // namespace nanse
