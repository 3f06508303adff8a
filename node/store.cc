#include "node/store.h"

#include <algorithm>
#include <map>
#include <set>

#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "node/store_rows.h"

namespace nanse {
namespace {

using detail::SqliteStatement;
using detail::SqliteTransaction;

std::string OpLabel(size_t index, const SignedOp& op) {
  return "op " + std::to_string(index + 1) + " (author " + ShortId(op.header.author) + ", seq " +
         std::to_string(op.header.seq) + ")";
}

}  // namespace

const char* OpStateName(OpState state) {
  switch (state) {
    case OpState::kValid:
      return "valid";
    case OpState::kProof:
      return "proof";
  }
  return "unknown";
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
  bool project_creator_contested = false;
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
      if (verdict.effect == Effect::kApplied) {
        NANSE_ASSIGN_OR_RETURN(const bool contested, CreatesExistingProject(facts));
        project_creator_contested = project_creator_contested || contested;
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
  if (report.equivocations > 0 || project_creator_contested) {
    // A fork drops ops that were applied, membership ops among them; a second project.add of
    // one project id may take "created it" from the author whose edits were applied on that
    // ground. Either way an applied op may lose its effect: judge everything again and
    // recompute the directory.
    if (report.equivocations > 0 || membership_changed) {
      NANSE_RETURN_IF_ERROR(BumpMembershipVersion());
    }
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

Status Store::Rebuild() {
  SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  NANSE_RETURN_IF_ERROR(BumpMembershipVersion());
  NANSE_RETURN_IF_ERROR(RejudgeAll(nullptr));
  return tx.Commit();
}

}  // namespace nanse
