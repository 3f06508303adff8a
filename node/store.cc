#include "node/store.h"

#include <algorithm>
#include <map>
#include <set>

#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
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

std::string OpLabel(size_t index, const SignedOp& op) {
  return "op " + std::to_string(index + 1) + " (author " + ShortId(op.header.author) + ", seq " +
         std::to_string(op.header.seq) + ")";
}

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

const char* OpStateName(OpState state) {
  switch (state) {
    case OpState::kValid:
      return "valid";
    case OpState::kProof:
      return "proof";
  }
  return "unknown";
}

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

Result<std::optional<Hash>> Store::NetworkId() {
  auto stmt = db_->Cached("SELECT value FROM meta WHERE key='network_id'");
  if (!stmt.ok()) return stmt.status();
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Hash>();
  Bytes b = (*stmt)->Blob(0);
  if (b.size() != 32) return Status::Io("database meta.network_id", "expected 32 bytes");
  return std::optional<Hash>(ToArray<32>(b));
}

Status Store::SetNetworkId(const Hash& network_id) {
  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  auto current = NetworkId();
  if (!current.ok()) return current.status();
  if (*current) {
    if (**current == network_id) return Status::Ok();
    return Status::Invalid("network",
                           "this store already belongs to network " + Base32Encode(**current));
  }
  auto put = db_->Cached("INSERT INTO meta(key, value) VALUES('network_id', ?)");
  if (!put.ok()) return put.status();
  NANSE_RETURN_IF_ERROR((*put)->Bind(1, ByteView(network_id)).Run());
  return tx.Commit();
}

Result<Hlc> Store::ReadHlc() {
  auto stmt = db_->Cached("SELECT value FROM meta WHERE key='hlc'");
  if (!stmt.ok()) return stmt.status();
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Hlc();
  return Hlc(static_cast<uint64_t>((*stmt)->Int(0)));
}

Status Store::WriteHlc(Hlc hlc) {
  auto stmt = db_->Cached("INSERT OR REPLACE INTO meta(key, value) VALUES('hlc', ?)");
  if (!stmt.ok()) return stmt.status();
  return (*stmt)->Bind(1, static_cast<int64_t>(hlc.packed())).Run();
}

Result<Hlc> Store::CurrentHlc() { return ReadHlc(); }

Status Store::ObserveClock(Hlc hlc) {
  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  NANSE_ASSIGN_OR_RETURN(const Hlc last, ReadHlc());
  NANSE_RETURN_IF_ERROR(WriteHlc(HlcObserve(last, hlc)));
  return tx.Commit();
}

Result<std::optional<Head>> Store::ReadHead(const PublicKey& author) {
  auto stmt = db_->Cached("SELECT seq, op_id, fork_seq FROM heads WHERE author=?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->Bind(1, ByteView(author));
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Head>();
  Head head;
  head.author = author;
  head.seq = static_cast<uint64_t>((*stmt)->Int(0));
  head.op_id = ToArray<32>((*stmt)->Blob(1));
  if (!(*stmt)->IsNull(2)) head.fork_seq = static_cast<uint64_t>((*stmt)->Int(2));
  return std::optional<Head>(head);
}

Status Store::WriteHead(const Head& head) {
  auto stmt =
      db_->Cached("INSERT OR REPLACE INTO heads(author, seq, op_id, fork_seq) VALUES(?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  SqliteStatement& s = **stmt;
  s.Bind(1, ByteView(head.author))
      .Bind(2, static_cast<int64_t>(head.seq))
      .Bind(3, ByteView(head.op_id));
  if (head.fork_seq) {
    s.Bind(4, static_cast<int64_t>(*head.fork_seq));
  } else {
    s.BindNull(4);
  }
  return s.Run();
}

Status Store::InsertOp(const SignedOp& op, OpState state, const Verdict& verdict,
                       int64_t wall_millis) {
  auto stmt = db_->Cached(
      "INSERT INTO ops(id, author, seq, hlc, type, header, signature, body, state, received_ms, "
      "effect, why) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  SqliteStatement& s = **stmt;
  s.Bind(1, ByteView(op.id))
      .Bind(2, ByteView(op.header.author))
      .Bind(3, static_cast<int64_t>(op.header.seq))
      .Bind(4, static_cast<int64_t>(op.header.hlc.packed()))
      .Bind(5, op.header.type)
      .Bind(6, ByteView(op.header_bytes))
      .Bind(7, ByteView(op.signature));
  if (op.body) {
    s.Bind(8, ByteView(*op.body));
  } else {
    s.BindNull(8);
  }
  s.Bind(9, static_cast<int64_t>(state)).Bind(10, wall_millis);
  s.Bind(11, static_cast<int64_t>(verdict.effect));
  if (verdict.why.empty()) {
    s.BindNull(12);
  } else {
    s.Bind(12, verdict.why);
  }
  NANSE_RETURN_IF_ERROR(s.Run());
  // The op and its effect on the directory commit in the same transaction.
  if (state == OpState::kValid && verdict.effect == Effect::kApplied) return directory_.Apply(op);
  return Status::Ok();
}

Result<SignedOp> Store::CreateGenesis(const SigningKey& key, const std::string& network_name,
                                      int64_t wall_millis) {
  NANSE_RETURN_IF_ERROR(ValidateName(network_name, "network name"));
  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  auto current = NetworkId();
  if (!current.ok()) return current.status();
  if (*current) return Status::AlreadyExists("network", "this store already has a network");
  auto last = ReadHlc();
  if (!last.ok()) return last.status();
  OpDraft draft;
  draft.seq = 1;
  draft.hlc = HlcTick(*last, wall_millis);
  draft.type = "genesis";
  draft.body = EncodeGenesisBody({network_name});
  auto op = SignOp(key, Hash{}, draft);
  if (!op.ok()) return op.status();
  auto put = db_->Cached("INSERT INTO meta(key, value) VALUES('network_id', ?)");
  if (!put.ok()) return put.status();
  NANSE_RETURN_IF_ERROR((*put)->Bind(1, ByteView(op->id)).Run());
  NANSE_RETURN_IF_ERROR(InsertOp(*op, OpState::kValid, Verdict{}, wall_millis));
  NANSE_RETURN_IF_ERROR(BumpMembershipVersion());
  NANSE_RETURN_IF_ERROR(WriteHead({key.public_key(), 1, op->id, std::nullopt}));
  NANSE_RETURN_IF_ERROR(WriteHlc(draft.hlc));
  NANSE_RETURN_IF_ERROR(tx.Commit());
  return op;
}

Result<SignedOp> Store::AppendLocal(const SigningKey& key, const std::string& type, Bytes body,
                                    int64_t wall_millis) {
  std::vector<LocalOp> one;
  one.push_back({type, std::move(body)});
  NANSE_ASSIGN_OR_RETURN(auto ops, AppendLocalBatch(key, std::move(one), wall_millis));
  return std::move(ops[0]);
}

Result<std::vector<SignedOp>> Store::AppendLocalBatch(const SigningKey& key,
                                                      std::vector<LocalOp> batch,
                                                      int64_t wall_millis) {
  for (const LocalOp& l : batch) {
    NANSE_RETURN_IF_ERROR(ValidateOpBody(l.type, l.body));
    if (l.type == "genesis") return Status::Usage("op type", "use CreateGenesis for a genesis op");
  }
  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  auto network = NetworkId();
  if (!network.ok()) return network.status();
  if (!*network) return Status::Usage("network", "this store has no network yet");
  NANSE_RETURN_IF_ERROR(CheckRestoreWait(key.public_key()));
  auto head = ReadHead(key.public_key());
  if (!head.ok()) return head.status();
  if (*head && (*head)->fork_seq) {
    return Status::Invalid("node key", "this node's key signed two different ops at seq " +
                                           std::to_string(*(*head)->fork_seq) +
                                           ": it is in use on another device, so this node may "
                                           "no longer author ops");
  }
  auto last = ReadHlc();
  if (!last.ok()) return last.status();
  NANSE_ASSIGN_OR_RETURN(const MembershipView before, Membership());
  bool membership_changed = false;
  Hlc hlc = *last;
  uint64_t seq = *head ? (*head)->seq : 0;
  std::optional<Hash> prev;
  if (*head) prev = (*head)->op_id;
  std::vector<SignedOp> out;
  for (LocalOp& l : batch) {
    OpDraft draft;
    draft.seq = ++seq;
    draft.prev = prev;
    hlc = HlcTick(hlc, wall_millis);
    draft.hlc = hlc;
    draft.type = l.type;
    draft.body = std::move(l.body);
    auto op = SignOp(key, **network, draft);
    if (!op.ok()) return op.status();
    NANSE_RETURN_IF_ERROR(CheckAuthoring(*op, before));
    Verdict verdict;
    if (IsMembershipOpType(op->header.type)) {
      verdict = {Effect::kPending, "being judged"};  // Rejudge below sets it
      membership_changed = true;
    } else {
      NANSE_ASSIGN_OR_RETURN(const OpFacts facts, FactsOf(*op));
      NANSE_ASSIGN_OR_RETURN(verdict, JudgeAgainst(before, facts));
    }
    NANSE_RETURN_IF_ERROR(InsertOp(*op, OpState::kValid, verdict, wall_millis));
    if (membership_changed) NANSE_RETURN_IF_ERROR(BumpMembershipVersion());
    prev = op->id;
    out.push_back(std::move(*op));
  }
  if (!out.empty()) {
    NANSE_RETURN_IF_ERROR(WriteHead({key.public_key(), seq, *prev, std::nullopt}));
    NANSE_RETURN_IF_ERROR(WriteHlc(hlc));
  }
  if (membership_changed) {
    IngestReport ignored;
    NANSE_RETURN_IF_ERROR(Rejudge(before, false, ignored));
  }
  NANSE_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<IngestReport> Store::Ingest(std::span<const SignedOp> ops, int64_t wall_millis) {
  IngestReport report;
  report.received = ops.size();
  auto network = NetworkId();
  if (!network.ok()) return network.status();
  if (!*network) return Status::Usage("network", "this store has no network yet");

  // 1. Everything that needs no database: signature, network, type, body. One bad op rejects
  //    the batch: whoever sent it is not to be trusted with the rest.
  for (size_t i = 0; i < ops.size(); ++i) {
    Status s = VerifyOp(ops[i], **network);
    if (s.ok() && !IsKnownOpType(ops[i].header.type)) {
      s = Status::Malformed("op.header.type", "unknown op type '" + ops[i].header.type + "'");
    }
    if (s.ok() && ops[i].body) s = ValidateOpBody(ops[i].header.type, *ops[i].body);
    if (!s.ok()) return Status::Invalid(OpLabel(i, ops[i]), s.ToString());
  }

  // 2. Chains, in (author, seq) order so a batch may arrive in any order.
  std::vector<size_t> order(ops.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const OpHeader& x = ops[a].header;
    const OpHeader& y = ops[b].header;
    return std::tie(x.author, x.seq, ops[a].id) < std::tie(y.author, y.seq, ops[b].id);
  });

  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  auto hlc = ReadHlc();
  if (!hlc.ok()) return hlc.status();
  Hlc observed = *hlc;
  auto exists = db_->Cached("SELECT 1 FROM ops WHERE id=?");
  if (!exists.ok()) return exists.status();
  NANSE_ASSIGN_OR_RETURN(const MembershipView before, Membership());
  bool membership_changed = false;
  bool project_facts_added = false;
  std::set<PublicKey> claimants;  // authors that may be admitted by this very batch
  for (const SignedOp& op : ops) {
    if (op.header.type == "claim") claimants.insert(op.header.author);
  }

  std::map<PublicKey, std::optional<Head>> heads;  // touched authors, as updated so far
  for (size_t k = 0; k < order.size(); ++k) {
    const SignedOp* op = &ops[order[k]];
    (*exists)->Reset();
    (*exists)->Bind(1, ByteView(op->id));
    auto found = (*exists)->Step();
    if (!found.ok()) return found.status();
    if (*found) {
      ++report.duplicates;
      continue;
    }
    auto it = heads.find(op->header.author);
    if (it == heads.end()) {
      auto head = ReadHead(op->header.author);
      if (!head.ok()) return head.status();
      it = heads.emplace(op->header.author, *head).first;
    }
    std::optional<Head>& head = it->second;
    const uint64_t head_seq = head ? head->seq : 0;
    const uint64_t seq = op->header.seq;

    if (head && head->fork_seq && seq > *head->fork_seq) {
      ++report.ignored;  // past the fork of an author that equivocated
      continue;
    }
    if (seq <= head_seq) {
      // A different op at a seq this author already used: it equivocated.
      NANSE_RETURN_IF_ERROR(RecordFork(*op, *head, wall_millis, report));
      continue;
    }
    if (seq > kMaxPendingSeq && !before.nodes.count(op->header.author) &&
        !claimants.count(op->header.author)) {
      ++report.deferred;  // its admission has not reached this store: hold no more of it
      continue;
    }
    if (seq > head_seq + 1) {
      return Status::Invalid(OpLabel(order[k], *op),
                             "missing earlier ops of this author: this node holds up to seq " +
                                 std::to_string(head_seq) + " (ops must arrive in chain order)");
    }
    const std::optional<Hash> expected_prev =
        head ? std::optional<Hash>(head->op_id) : std::nullopt;
    if (op->header.prev != expected_prev) {
      // Of several ops at this seq in the batch (a fork's proof pair), the one that extends
      // the chain goes first; the others then count as proof.
      size_t j = k + 1;
      while (j < order.size() && ops[order[j]].header.author == op->header.author &&
             ops[order[j]].header.seq == seq && ops[order[j]].header.prev != expected_prev) {
        ++j;
      }
      if (j < order.size() && ops[order[j]].header.author == op->header.author &&
          ops[order[j]].header.seq == seq) {
        std::swap(order[k], order[j]);
        --k;  // unsigned wrap-around is defined: the loop's ++k brings it back to this index
        continue;
      }
      return Status::Invalid(
          OpLabel(order[k], *op),
          "broken chain: prev does not match this node's op at seq " + std::to_string(head_seq));
    }
    Verdict verdict;
    if (op->header.type == "genesis" || IsMembershipOpType(op->header.type)) {
      verdict = {Effect::kPending, "being judged"};  // Rejudge below sets it
      membership_changed = true;
    } else {
      NANSE_ASSIGN_OR_RETURN(const OpFacts facts, FactsOf(*op));
      NANSE_ASSIGN_OR_RETURN(verdict, JudgeAgainst(before, facts));
      if (verdict.effect == Effect::kApplied &&
          (!facts.participants.empty() || !facts.projects_created.empty())) {
        project_facts_added = true;
      }
    }
    NANSE_RETURN_IF_ERROR(InsertOp(*op, OpState::kValid, verdict, wall_millis));
    if (!head) head = Head{op->header.author, 0, {}, std::nullopt};
    head->seq = seq;
    head->op_id = op->id;
    NANSE_RETURN_IF_ERROR(WriteHead(*head));
    observed = HlcObserve(observed, op->header.hlc);
    ++report.added;
  }
  if (observed != *hlc) NANSE_RETURN_IF_ERROR(WriteHlc(observed));
  if (report.equivocations > 0) {
    // A fork drops ops that were applied, membership ops among them: judge everything again
    // and recompute the directory without them.
    NANSE_RETURN_IF_ERROR(BumpMembershipVersion());
    NANSE_RETURN_IF_ERROR(RejudgeAll(&report));
  } else if (membership_changed) {
    NANSE_RETURN_IF_ERROR(BumpMembershipVersion());
    NANSE_RETURN_IF_ERROR(Rejudge(before, false, report));
  } else if (project_facts_added) {
    NANSE_ASSIGN_OR_RETURN(const MembershipView view, Membership());
    NANSE_RETURN_IF_ERROR(RejudgeProjectEdits(view, false, &report));
  }
  // A batch from elsewhere may have brought a restored node its own latest ops.
  if (report.received > 0) NANSE_RETURN_IF_ERROR(EndRestoreWaitIfCaughtUp());
  NANSE_RETURN_IF_ERROR(tx.Commit());
  return report;
}

Status Store::RecordFork(const SignedOp& op, Head& head, int64_t wall_millis,
                         IngestReport& report) {
  const uint64_t seq = op.header.seq;
  const bool new_fork = !head.fork_seq || seq < *head.fork_seq;
  NANSE_RETURN_IF_ERROR(
      InsertOp(op, OpState::kProof, {Effect::kInvalid, "proof of an equivocation"}, wall_millis));
  const ByteView author(head.author);
  const auto s = static_cast<int64_t>(seq);
  // Nothing past the fork is kept; at the fork, the two lowest ids are the proof.
  auto drop_later = db_->Cached("DELETE FROM ops WHERE author=? AND seq>?");
  if (!drop_later.ok()) return drop_later.status();
  NANSE_RETURN_IF_ERROR((*drop_later)->Bind(1, author).Bind(2, s).Run());
  auto mark = db_->Cached(
      "UPDATE ops SET state=1, effect=2, why='proof of an equivocation' WHERE author=? AND seq=?");
  if (!mark.ok()) return mark.status();
  NANSE_RETURN_IF_ERROR((*mark)->Bind(1, author).Bind(2, s).Run());
  auto prune = db_->Cached(
      "DELETE FROM ops WHERE author=?1 AND seq=?2 AND id NOT IN "
      "(SELECT id FROM ops WHERE author=?1 AND seq=?2 ORDER BY id LIMIT 2)");
  if (!prune.ok()) return prune.status();
  NANSE_RETURN_IF_ERROR((*prune)->Bind(1, author).Bind(2, s).Run());
  const bool op_kept = db_->Changes() == 0;
  auto lowest = db_->Cached("SELECT id FROM ops WHERE author=? AND seq=? ORDER BY id LIMIT 1");
  if (!lowest.ok()) return lowest.status();
  (*lowest)->Bind(1, author).Bind(2, s);
  auto row = (*lowest)->Step();
  if (!row.ok()) return row.status();
  head.seq = seq;
  head.op_id = ToArray<32>((*lowest)->Blob(0));
  head.fork_seq = seq;
  NANSE_RETURN_IF_ERROR(WriteHead(head));
  if (new_fork) {
    ++report.equivocations;
  } else if (!op_kept) {
    ++report.ignored;  // a third variant at the fork, with a higher id than the proof pair
  }
  return Status::Ok();
}

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

Status Store::ForEachOpSince(const VersionVector& since,
                             const std::function<bool(StoredOp&&)>& fn) {
  auto heads = Heads();
  if (!heads.ok()) return heads.status();
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

Status Store::Rebuild() {
  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  NANSE_RETURN_IF_ERROR(BumpMembershipVersion());
  NANSE_RETURN_IF_ERROR(RejudgeAll(nullptr));
  return tx.Commit();
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
