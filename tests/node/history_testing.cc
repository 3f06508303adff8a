#include "tests/node/history_testing.h"

#include <rapidcheck.h>

#include <algorithm>

#include "crdt/directory_ops.h"
#include "crdt/membership.h"
#include "crdt/msgpack_io.h"
#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "node/dues_report.h"
#include "tests/node/test_home.h"

namespace nanse::testing {
namespace {

constexpr int64_t kT0 = kHistoryT0;

RecordId Rid(uint8_t n) {
  RecordId id{};
  id.fill(n);
  return id;
}

Bytes Str(const std::string& s) {
  detail::MsgpackWriter w;
  w.Str(s);
  return w.Take();
}

Bytes StrList(const std::vector<std::string>& items) {
  detail::MsgpackWriter w;
  w.Array(static_cast<uint32_t>(items.size()));
  for (const auto& s : items) w.Str(s);
  return w.Take();
}

// Authors ops on their own chains, remembering every write op id so later writes can name
// some of them as replaced, as a node would after seeing them.
class OpFactory {
 public:
  OpFactory(const Hash& network, std::vector<SigningKey> keys) : network_(network), keys_(keys) {
    chains_.resize(keys_.size());
  }

  void Emit(size_t author, const std::string& type, Result<Bytes> body, uint64_t hlc_millis) {
    RC_ASSERT(body.ok());
    Chain& c = chains_[author];
    OpDraft d;
    d.seq = ++c.seq;
    d.prev = c.prev;
    c.hlc = std::max(c.hlc + 1, hlc_millis);
    d.hlc = Hlc::FromParts(c.hlc, 0);
    d.type = type;
    d.body = *body;
    auto op = SignOp(keys_[author], network_, d);
    RC_ASSERT(op.ok());
    c.prev = op->id;
    ops_.push_back(*op);
  }

  std::vector<Hash> SomeEarlierOps(std::mt19937& rng) {
    std::vector<Hash> out;
    if (ops_.empty()) return out;
    std::uniform_int_distribution<size_t> pick(0, ops_.size() - 1);
    const size_t n = rng() % 3;
    for (size_t i = 0; i < n; ++i) {
      Hash h = ops_[pick(rng)].id;
      if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
    }
    return out;
  }

  std::vector<SignedOp>& ops() { return ops_; }

  // Continues `author`'s chain after an op it already made (the genesis).
  void Follow(size_t author, const SignedOp& op) {
    chains_[author] = {op.header.seq, op.id, op.header.hlc.millis()};
    ops_.push_back(op);
  }

 private:
  struct Chain {
    uint64_t seq = 0;
    std::optional<Hash> prev;
    uint64_t hlc = 0;
  };
  Hash network_;
  std::vector<SigningKey> keys_;
  std::vector<Chain> chains_;
  std::vector<SignedOp> ops_;
};

NewRecord Member(uint8_t id, const std::string& kind, const std::string& name, bool mexico) {
  NewRecord r;
  r.id = Rid(id);
  r.kind = kind;
  r.fields.push_back({Table::kMember, {}, "name", "en", Str(name), {}});
  r.fields.push_back({Table::kMember, {}, "joined_on", "", Str("2024-02-01"), {}});
  r.fields.push_back({Table::kMember, {}, "country", "", Str(mexico ? "MX" : "JM"), {}});
  if (mexico) r.fields.push_back({Table::kMember, {}, "subdivision", "", Str("MX-OAX"), {}});
  r.fields.push_back({Table::kMember, {}, "languages", "", StrList({"es", "en"}), {}});
  return r;
}

// A random membership op: mostly by the genesis admin, sometimes by others (who may lack the
// role). Tickets and roles are drawn from small sets so claims collide and roles change.
void RandomMembershipOp(OpFactory& f, const Hash& network, const std::vector<SigningKey>& keys,
                        std::mt19937& rng, uint64_t hlc_millis) {
  const size_t authors = keys.size();
  auto ticket = [&] { return TestKey(static_cast<uint8_t>(100 + rng() % 4)); };
  auto role = [&] { return std::string(kRoles[rng() % std::size(kRoles)]); };
  auto member = [&] { return std::optional<RecordId>(Rid(static_cast<uint8_t>(1 + rng() % 4))); };
  const size_t by = rng() % 3 ? 0 : rng() % authors;
  switch (rng() % 6) {
    case 0:
    case 1: {  // a claim by a random node of a random ticket
      const size_t node = 1 + rng() % (authors - 1);
      const SigningKey t = ticket();
      f.Emit(node, "claim",
             EncodeClaim({t.public_key(), t.Sign(ClaimMessage(network, keys[node].public_key()))}),
             hlc_millis);
      break;
    }
    case 2:
      f.Emit(by, "role",
             EncodeRole({keys[1 + rng() % (authors - 1)].public_key(), role(), member()}),
             hlc_millis);
      break;
    case 3:
      f.Emit(by, "revoke", EncodeRevoke({keys[1 + rng() % (authors - 1)].public_key(), rng() % 6}),
             hlc_millis);
      break;
    case 4:
      f.Emit(by, "invite.cancel", EncodeInviteCancel(ticket().public_key()), hlc_millis);
      break;
    default:
      f.Emit(by, "invite", EncodeInvite({ticket().public_key(), role(), member()}), hlc_millis);
  }
}

}  // namespace

std::vector<SignedOp> RandomHistory(const Hash& network, const SigningKey& genesis_key,
                                    const SignedOp& genesis, size_t authors, uint32_t seed,
                                    Admission admission) {
  std::mt19937 rng(seed);
  std::vector<SigningKey> keys = {genesis_key};
  for (size_t i = 1; i < authors; ++i) keys.push_back(TestKey(static_cast<uint8_t>(10 + i)));
  OpFactory f(network, keys);
  // The genesis author's chain already holds the genesis op: its next op is seq 2.
  f.Follow(0, genesis);
  // With kAllAdmins every author is admitted as an admin first, through real invite and claim
  // ops, and membership then leaves merging alone. With kRandom the admin invites four tickets
  // with random roles, and the steps below mix claims, role changes, revocations and
  // cancellations with the edits.
  for (size_t i = 1; admission == Admission::kRandom && i <= 4; ++i) {
    const SigningKey ticket = TestKey(static_cast<uint8_t>(99 + i));
    const std::string role(kRoles[rng() % std::size(kRoles)]);
    f.Emit(0, "invite", EncodeInvite({ticket.public_key(), role, Rid(static_cast<uint8_t>(i))}),
           kT0 + 1 + i);
  }
  for (size_t i = 1; admission == Admission::kAllAdmins && i < authors; ++i) {
    const SigningKey ticket = TestKey(static_cast<uint8_t>(100 + i));
    f.Emit(0, "invite", EncodeInvite({ticket.public_key(), "admin", std::nullopt}), kT0 + 1 + i);
    const Signature proof = ticket.Sign(ClaimMessage(network, keys[i].public_key()));
    f.Emit(i, "claim", EncodeClaim({ticket.public_key(), proof}), kT0 + 20 + i);
  }
  std::vector<SignedOp> history;
  auto author = [&] { return rng() % authors; };
  // Close times, after every admission: many ties and reorderings.
  auto when = [&] { return kT0 + 100 + rng() % 50; };
  const int steps = 8 + static_cast<int>(rng() % 20);
  std::vector<RecordId> entries;
  for (int step = 0; step < steps; ++step) {
    if (admission == Admission::kRandom && rng() % 3 == 0) {
      RandomMembershipOp(f, network, keys, rng, when());
      continue;
    }
    switch (rng() % 8) {
      case 0: {  // add a member (ids collide on purpose: first add wins)
        const uint8_t id = static_cast<uint8_t>(1 + rng() % 4);
        const bool mexico = rng() % 2;
        f.Emit(author(), "member.add",
               EncodeRecordsAdd(Table::kMember,
                                {Member(id, rng() % 3 ? "organization" : "associate",
                                        "Coop " + std::to_string(rng() % 100), mexico)}),
               when());
        break;
      }
      case 1:
      case 2: {  // concurrent edits of the same few fields
        static const char* kLocalities[] = {"Oaxaca", "Kingston", "Montréal", "Mérida"};
        std::vector<FieldWrite> writes;
        FieldWrite w{Table::kMember,
                     Rid(static_cast<uint8_t>(1 + rng() % 4)),
                     "locality",
                     "",
                     Str(kLocalities[rng() % 4]),
                     f.SomeEarlierOps(rng)};
        if (rng() % 3 == 0) w.value.reset();
        writes.push_back(w);
        if (rng() % 2) {
          writes.push_back({Table::kMember, w.record, "name", rng() % 2 ? "fr" : "es",
                            Str("Nom " + std::to_string(rng() % 5)), f.SomeEarlierOps(rng)});
        }
        f.Emit(author(), "member.set", EncodeFieldWrites(Table::kMember, writes), when());
        break;
      }
      case 3: {  // a project, and joins and leaves
        NewRecord p;
        p.id = Rid(static_cast<uint8_t>(100 + rng() % 2));
        p.fields = {{Table::kProject, {}, "title", "en", Str("Project"), {}},
                    {Table::kProject, {}, "kind", "", Str("business"), {}},
                    {Table::kProject, {}, "status", "", Str(rng() % 2 ? "active" : "on_hold"), {}},
                    {Table::kProject,
                     {},
                     "lead",
                     "",
                     [&] {
                       detail::MsgpackWriter w;
                       w.Bin(Rid(1));
                       return w.Take();
                     }(),
                     {}},
                    {Table::kProject, {}, "languages", "", StrList({"en"}), {}}};
        f.Emit(author(), "project.add", EncodeRecordsAdd(Table::kProject, {p}), when());
        break;
      }
      case 4: {
        Participation p;
        p.project = Rid(static_cast<uint8_t>(100 + rng() % 2));
        p.member = Rid(static_cast<uint8_t>(1 + rng() % 4));
        p.role = rng() % 2 ? "partner" : "observer";
        p.joined_on = Date{2025, 1, 1 + static_cast<int>(rng() % 20)};
        if (rng() % 2) p.left_on = Date{2025, 6, 1};
        p.replaces = f.SomeEarlierOps(rng);
        f.Emit(author(), p.left_on ? "project.leave" : "project.join", EncodeParticipation(p),
               when());
        break;
      }
      case 5: {  // a payment, or a (possibly concurrent, possibly duplicate) reversal
        LedgerEntry e;
        e.id = Rid(static_cast<uint8_t>(150 + entries.size()));
        e.member = Rid(static_cast<uint8_t>(1 + rng() % 4));
        e.year = 2025;
        if (!entries.empty() && rng() % 2) {
          e.type = "reversal";
          e.reverses = entries[rng() % entries.size()];
          e.reason = "returned";
          e.amount_minor = -10000;
          e.credited_minor = -10000;
        } else {
          e.type = "payment";
          e.amount_minor = 5000 + static_cast<int64_t>(rng() % 2) * 5000;
          e.credited_minor = e.amount_minor;
          e.on = Date{2025, 2, 1};
        }
        entries.push_back(e.id);
        f.Emit(author(), "dues.record", EncodeLedgerEntries({e}), when());
        break;
      }
      case 6: {  // an edit of a project (by a node of an organization that takes part, or not)
        FieldWrite w{Table::kProject,
                     Rid(static_cast<uint8_t>(100 + rng() % 2)),
                     "status",
                     "",
                     Str(rng() % 2 ? "active" : "completed"),
                     f.SomeEarlierOps(rng)};
        f.Emit(author(), "project.set", EncodeFieldWrites(Table::kProject, {w}), when());
        break;
      }
      default: {
        ScheduleEntry s;
        s.year = 2025;
        s.kind = "organization";
        s.amount_minor = 10000 + static_cast<int64_t>(rng() % 3) * 1000;
        s.due = Date{2025, 3, 31};
        s.grace_until = Date{2025, 4, 30};
        s.replaces = f.SomeEarlierOps(rng);
        f.Emit(author(), "dues.schedule", EncodeSchedule(s), when());
      }
    }
  }
  return f.ops();
}

// Delivers `ops` to `store` in random batches, with duplicates, retrying what arrived before
// its predecessor on the author's chain.
void Deliver(Store& store, std::vector<SignedOp> ops, std::mt19937& rng) {
  // Duplicates: some ops twice.
  const size_t n = ops.size();
  for (size_t i = 0; i < n / 3; ++i) ops.push_back(ops[rng() % n]);
  std::shuffle(ops.begin(), ops.end(), rng);
  while (!ops.empty()) {
    std::vector<SignedOp> later;
    size_t i = 0;
    while (i < ops.size()) {
      const size_t size = 1 + rng() % 4;
      std::vector<SignedOp> batch(
          ops.begin() + static_cast<ptrdiff_t>(i),
          ops.begin() + static_cast<ptrdiff_t>(std::min(i + size, ops.size())));
      i += batch.size();
      if (store.Ingest(batch, kT0).ok()) continue;
      for (const SignedOp& op : batch) {  // the batch had a gap: one by one
        if (!store.Ingest(std::vector<SignedOp>{op}, kT0).ok()) later.push_back(op);
      }
    }
    RC_ASSERT(later.size() < ops.size());
    ops = std::move(later);
  }
}

// What users see that is derived at query time: dues status, effective entries, conflicts.
std::string DerivedViews(Store& store) {
  std::string out;
  auto dues = DuesForYear(store.directory(), 2025, Date{2025, 12, 31});
  RC_ASSERT(dues.ok());
  for (const MemberDues& d : *dues) {
    out += FormatUuid(d.member.id) + " " + d.dues.status + " " + std::to_string(d.dues.owed) + " " +
           std::to_string(d.dues.credited) + " " + d.standing + "\n";
  }
  auto entries = store.directory().Entries();
  RC_ASSERT(entries.ok());
  for (const auto& [id, effect] : ResolveEntries(*entries)) {
    out += FormatUuid(id) + " " + EntryEffectName(effect) + "\n";
  }
  auto conflicts = store.directory().Conflicts();
  RC_ASSERT(conflicts.ok());
  for (const Conflict& c : *conflicts) {
    out += FormatUuid(c.record) + " " + c.field + " " + c.key + ":";
    for (const RegisterValue& h : c.heads) out += " " + Base32Encode(h.op_id);
    out += "\n";
  }
  return out;
}

// The materialized tables agree with the pure model of the merge rules (crdt/directory_state.h):
// each register's winner and heads, each record's kind and creation.
void ExpectMatchesModel(Store& store, const DirectoryState& model) {
  Directory& dir = store.directory();
  for (const auto& [key, reg] : model.registers()) {
    auto stored = dir.Register(key.table, key.record, key.field, key.key);
    RC_ASSERT(stored.ok());
    RC_ASSERT(stored->has_value());
    RC_ASSERT((*stored)->op_id == reg.Winner().first.op_id);
    RC_ASSERT((*stored)->value == reg.Winner().second);
    auto heads = dir.Heads(key.table, key.record, key.field, key.key);
    RC_ASSERT(heads.ok());
    std::vector<Hash> expected;
    for (const WriteKey& h : reg.Heads()) expected.push_back(h.op_id);
    std::sort(expected.begin(), expected.end());
    if (*heads != expected) {
      std::string why = key.field + "/" + key.key + " model writes:";
      for (const auto& [k, v] : reg.writes) why += " " + ShortId(k.op_id);
      why += " replaced:";
      for (const Hash& h : reg.replaced) why += " " + ShortId(h);
      auto history = dir.History(key.table, key.record);
      why += " stored writes:";
      for (const auto& e : *history) {
        if (e.field == key.field && e.key == key.key) why += " " + ShortId(e.op_id);
      }
      RC_FAIL(why);
    }
  }
  for (Table table : {Table::kMember, Table::kProject}) {
    auto records = dir.ListRecords(table);
    RC_ASSERT(records.ok());
    size_t expected = 0;
    for (const auto& [id, rec] : model.records()) {
      if (rec.table != table) continue;
      ++expected;
      auto view = dir.GetRecord(table, id);
      RC_ASSERT(view.ok());
      RC_ASSERT(view->has_value());
      RC_ASSERT((*view)->kind == rec.kind);
      RC_ASSERT((*view)->created == rec.created.hlc);
    }
    RC_ASSERT(records->size() == expected);
  }
  auto entries = dir.Entries();
  RC_ASSERT(entries.ok());
  RC_ASSERT(ResolveEntries(*entries) == ResolveEntries(model.Entries()));
}
}  // namespace nanse::testing
