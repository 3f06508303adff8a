// The store's verdicts: which ops take effect, given the membership the ops held build
// (crdt/membership.h). Everything here runs inside the caller's transaction.
//
// Incremental, but equal to judging from scratch: a non-membership op's verdict depends only
// on its author's standing (role changes and revocation) and, for project.set, on which
// project.add/join/leave ops are applied. So when membership ops arrive, only the ops of
// nodes whose standing changed are judged again; if an applied op loses its effect the
// directory is rebuilt from the applied ops (an LWW directory cannot un-apply one op).
#include <set>

#include "crdt/text_codec.h"
#include "node/store.h"
#include "node/store_rows.h"

namespace nanse {
namespace {

using detail::ForEachRow;
using detail::kSelectOpColumns;
using detail::SqliteStatement;

constexpr const char* kMembershipTypes =
    "('genesis', 'invite', 'invite.cancel', 'claim', 'role', 'revoke')";

// Project facts read from the materialized directory, which holds exactly the applied ops.
class DirectoryProjectFacts : public ProjectFacts {
 public:
  explicit DirectoryProjectFacts(detail::SqliteDb& db) : db_(db) {}

  Result<bool> TookPart(const RecordId& project, const RecordId& member) const override {
    auto stmt = db_.Cached(
        "SELECT 1 FROM writes WHERE tbl=? AND record=? AND field='participant' AND key=? LIMIT 1");
    if (!stmt.ok()) return stmt.status();
    (*stmt)
        ->Bind(1, static_cast<int64_t>(Table::kProject))
        .Bind(2, ByteView(project))
        .Bind(3, FormatUuid(member));
    return (*stmt)->Step();
  }
  Result<bool> Created(const RecordId& project, const PublicKey& author) const override {
    auto stmt = db_.Cached("SELECT 1 FROM records WHERE id=? AND tbl=? AND author=?");
    if (!stmt.ok()) return stmt.status();
    (*stmt)
        ->Bind(1, ByteView(project))
        .Bind(2, static_cast<int64_t>(Table::kProject))
        .Bind(3, ByteView(author));
    return (*stmt)->Step();
  }

 private:
  detail::SqliteDb& db_;
};

bool IsMembershipOrGenesis(std::string_view type) {
  return type == "genesis" || IsMembershipOpType(type);
}

}  // namespace

Result<uint64_t> Store::MembershipVersion() {
  auto stmt = db_->Cached("SELECT value FROM meta WHERE key='membership_version'");
  if (!stmt.ok()) return stmt.status();
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  return *row ? static_cast<uint64_t>((*stmt)->Int(0)) : 0;
}

Status Store::BumpMembershipVersion() {
  auto stmt = db_->Cached(
      "INSERT INTO meta(key, value) VALUES('membership_version', 1) "
      "ON CONFLICT(key) DO UPDATE SET value=value+1");
  if (!stmt.ok()) return stmt.status();
  return (*stmt)->Run();
}

Result<std::vector<OpFacts>> Store::MembershipFacts() {
  auto stmt =
      db_->Cached(std::string(kSelectOpColumns) + "WHERE state=0 AND type IN " + kMembershipTypes);
  if (!stmt.ok()) return stmt.status();
  std::vector<OpFacts> facts;
  Status failed = Status::Ok();
  NANSE_RETURN_IF_ERROR(ForEachRow(**stmt, [&](StoredOp&& op) {
    auto f = FactsOf(op.op);
    if (!f.ok()) {
      failed = f.status();
      return false;
    }
    facts.push_back(std::move(*f));
    return true;
  }));
  NANSE_RETURN_IF_ERROR(failed);
  return facts;
}

Result<MembershipView> Store::Membership() {
  NANSE_ASSIGN_OR_RETURN(const uint64_t version, MembershipVersion());
  if (membership_cache_ && membership_cache_->first == version) return membership_cache_->second;
  auto network = NetworkId();
  if (!network.ok()) return network.status();
  NANSE_ASSIGN_OR_RETURN(const std::vector<OpFacts> facts, MembershipFacts());
  MembershipView view = ReplayMembership(facts, network->value_or(Hash{}));
  membership_cache_.emplace(version, view);
  return view;
}

Result<Verdict> Store::JudgeAgainst(const MembershipView& view, const OpFacts& facts) {
  DirectoryProjectFacts projects(*db_);
  return Judge(view, facts, projects);
}

Status Store::ExpectAdmission(const PublicKey& self, const std::string& role,
                              const std::optional<RecordId>& member) {
  if (!role.empty() && !IsRole(role)) {
    return Status::Malformed("role", "expected admin, treasurer, member or observer");
  }
  detail::SqliteTransaction tx(*db_);
  NANSE_RETURN_IF_ERROR(tx.Begin());
  auto put = db_->Cached("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  if (!put.ok()) return put.status();
  NANSE_RETURN_IF_ERROR((*put)->Bind(1, "expected_node").Bind(2, ByteView(self)).Run());
  NANSE_RETURN_IF_ERROR((*put)->Bind(1, "expected_role").Bind(2, role).Run());
  if (member) {
    NANSE_RETURN_IF_ERROR((*put)->Bind(1, "expected_member").Bind(2, ByteView(*member)).Run());
  }
  return tx.Commit();
}

Status Store::CheckAuthoring(const SignedOp& op, const MembershipView& view) {
  NANSE_ASSIGN_OR_RETURN(const OpFacts facts, FactsOf(op));
  const PublicKey& author = op.header.author;
  auto refuse = [&](const std::string& why) {
    return Status::Invalid("permission", "this node may not author " + op.header.type + ": " + why);
  };
  Verdict verdict;
  if (IsMembershipOpType(op.header.type)) {
    NANSE_ASSIGN_OR_RETURN(std::vector<OpFacts> all, MembershipFacts());
    all.push_back(facts);
    auto network = NetworkId();
    if (!network.ok()) return network.status();
    verdict = ReplayMembership(all, network->value_or(Hash{})).MembershipVerdict(op.id);
    // A joining node's claim waits for its invite to arrive: that is expected.
    if (verdict.effect == Effect::kPending && op.header.type == "claim") return Status::Ok();
  } else {
    NANSE_ASSIGN_OR_RETURN(verdict, JudgeAgainst(view, facts));
  }
  if (verdict.effect == Effect::kApplied) return Status::Ok();
  if (verdict.effect == Effect::kInvalid) return refuse(verdict.why);

  // Not admitted here yet. A node that joined knows from its invite code what role it will
  // have; it may author what that role allows (the ops stay pending until the invite op
  // arrives and its claim is judged).
  auto get = db_->Cached("SELECT value FROM meta WHERE key=?");
  if (!get.ok()) return get.status();
  auto read = [&](const char* key) -> Result<std::optional<Bytes>> {
    (*get)->Reset();
    (*get)->Bind(1, key);
    auto row = (*get)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Bytes>();
    return std::optional<Bytes>((*get)->Blob(0));
  };
  NANSE_ASSIGN_OR_RETURN(const auto expected_node, read("expected_node"));
  NANSE_ASSIGN_OR_RETURN(const auto expected_role, read("expected_role"));
  NANSE_ASSIGN_OR_RETURN(const auto expected_member, read("expected_member"));
  if (!expected_node || Bytes(author.begin(), author.end()) != *expected_node || !expected_role) {
    return refuse("it is not admitted to the network (it holds no valid claim of an invite)");
  }
  // Only while its own claim waits for the invite: a claim found invalid (a cancelled invite,
  // a ticket another node used first) admits nothing, ever.
  auto claim = LatestOfType(author, "claim");
  if (!claim.ok()) return claim.status();
  if (*claim && (*claim)->verdict.effect == Effect::kInvalid) {
    return refuse("its claim of an invite was refused: " + (*claim)->verdict.why);
  }
  const std::string role(expected_role->begin(), expected_role->end());
  // A node restored from a key backup, forced to author (--force) before it holds its own
  // chain, cannot know its role: its ops are pending here and judged wherever its admission
  // is known. (Had it waited, its chain would have told it.)
  if (role.empty()) return Status::Ok();
  if (IsMembershipOpType(op.header.type)) {
    if (role == "admin") return Status::Ok();
    return refuse(op.header.type + " needs the admin role; this node was invited as " + role);
  }
  MembershipView hoped = view;
  std::optional<RecordId> member;
  if (expected_member && expected_member->size() == 16) member = ToArray<16>(*expected_member);
  hoped.nodes[author] = {author, role, member, std::nullopt, Hlc(), {}, 0};
  hoped.timeline[author] = {{Hlc(), author, 0, role, member}};
  NANSE_ASSIGN_OR_RETURN(const Verdict hoped_verdict, JudgeAgainst(hoped, facts));
  if (hoped_verdict.effect != Effect::kApplied) return refuse(hoped_verdict.why);
  return Status::Ok();
}

Status Store::WriteVerdict(const Hash& op, const Verdict& verdict) {
  auto stmt = db_->Cached("UPDATE ops SET effect=?, why=? WHERE id=?");
  if (!stmt.ok()) return stmt.status();
  SqliteStatement& s = **stmt;
  s.Bind(1, static_cast<int64_t>(verdict.effect));
  if (verdict.why.empty()) {
    s.BindNull(2);
  } else {
    s.Bind(2, verdict.why);
  }
  s.Bind(3, ByteView(op));
  return s.Run();
}

Status Store::Rejudge(const MembershipView& before, bool rebuild, IngestReport& report) {
  NANSE_ASSIGN_OR_RETURN(const MembershipView after, Membership());
  // The membership ops themselves (and the genesis).
  {
    auto stmt = db_->Cached(std::string(kSelectOpColumns) + "WHERE state=0 AND type IN " +
                            kMembershipTypes);
    if (!stmt.ok()) return stmt.status();
    std::vector<std::pair<Hash, Verdict>> changed;
    NANSE_RETURN_IF_ERROR(ForEachRow(**stmt, [&](StoredOp&& op) {
      Verdict v = after.MembershipVerdict(op.op.id);
      if (!(v == op.verdict)) changed.emplace_back(op.op.id, std::move(v));
      return true;
    }));
    for (const auto& [id, v] : changed) NANSE_RETURN_IF_ERROR(WriteVerdict(id, v));
    report.rejudged += changed.size();
  }
  if (rebuild) return RejudgeAll(&report);

  // The nodes whose standing changed.
  std::set<PublicKey> nodes;
  for (const auto* view : {&before, &after}) {
    for (const auto& [id, node] : view->nodes) nodes.insert(id);
    for (const auto& [id, changes] : view->timeline) nodes.insert(id);
  }
  auto stmt =
      db_->Cached(std::string(kSelectOpColumns) + "WHERE author=? AND state=0 AND type NOT IN " +
                  kMembershipTypes + " ORDER BY seq");
  if (!stmt.ok()) return stmt.status();
  std::vector<SignedOp> newly_applied;
  for (const PublicKey& node : nodes) {
    if (before.SameStanding(after, node)) continue;
    (*stmt)->Reset();
    (*stmt)->Bind(1, ByteView(node));
    std::vector<StoredOp> ops;
    NANSE_RETURN_IF_ERROR(ForEachRow(**stmt, [&](StoredOp&& op) {
      ops.push_back(std::move(op));
      return true;
    }));
    for (StoredOp& op : ops) {
      NANSE_ASSIGN_OR_RETURN(const OpFacts facts, FactsOf(op.op));
      NANSE_ASSIGN_OR_RETURN(const Verdict v, JudgeAgainst(after, facts));
      if (v == op.verdict) continue;
      // An applied op that loses its effect cannot be taken out of the LWW tables one by
      // one: judge everything and rebuild.
      if (op.verdict.effect == Effect::kApplied) return RejudgeAll(&report);
      NANSE_RETURN_IF_ERROR(WriteVerdict(op.op.id, v));
      ++report.rejudged;
      if (v.effect == Effect::kApplied) {
        // A second project.add of a project id may take "created it" from another author.
        NANSE_ASSIGN_OR_RETURN(const bool contested, CreatesExistingProject(facts));
        if (contested) return RejudgeAll(&report);
        newly_applied.push_back(std::move(op.op));
      }
    }
  }
  for (const SignedOp& op : newly_applied) NANSE_RETURN_IF_ERROR(directory_.Apply(op));
  // Ops just applied may be the project facts an earlier project.set needed.
  return RejudgeProjectEdits(after, false, &report);
}

Result<bool> Store::CreatesExistingProject(const OpFacts& facts) {
  for (const RecordId& project : facts.projects_created) {
    auto stmt = db_->Cached("SELECT 1 FROM records WHERE id=? AND tbl=?");
    if (!stmt.ok()) return stmt.status();
    (*stmt)->Bind(1, ByteView(project)).Bind(2, static_cast<int64_t>(Table::kProject));
    NANSE_ASSIGN_OR_RETURN(const bool exists, (*stmt)->Step());
    if (exists) return true;
  }
  return false;
}

Status Store::RejudgeProjectEdits(const MembershipView& view, bool all, IngestReport* report) {
  auto stmt = db_->Prepare(std::string(kSelectOpColumns) + "WHERE state=0 AND type='project.set'" +
                           (all ? "" : " AND effect<>0") + " ORDER BY rowid");
  if (!stmt.ok()) return stmt.status();
  std::vector<StoredOp> ops;
  NANSE_RETURN_IF_ERROR(ForEachRow(*stmt, [&](StoredOp&& op) {
    ops.push_back(std::move(op));
    return true;
  }));
  for (const StoredOp& op : ops) {
    NANSE_ASSIGN_OR_RETURN(const OpFacts facts, FactsOf(op.op));
    NANSE_ASSIGN_OR_RETURN(const Verdict v, JudgeAgainst(view, facts));
    if (v == op.verdict && !all) continue;
    if (!(v == op.verdict)) {
      NANSE_RETURN_IF_ERROR(WriteVerdict(op.op.id, v));
      if (report) ++report->rejudged;
    }
    if (v.effect == Effect::kApplied) NANSE_RETURN_IF_ERROR(directory_.Apply(op.op));
  }
  return Status::Ok();
}

Status Store::RejudgeAll(IngestReport* report) {
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, Membership());
  auto stmt = db_->Prepare(std::string(kSelectOpColumns) + "WHERE state=0 ORDER BY rowid");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::pair<Hash, Verdict>> changed;
  Status failed = Status::Ok();
  // Project facts come from the directory, which is rebuilt below: judge project.set last.
  const Verdict later{Effect::kPending, "being judged"};
  NANSE_RETURN_IF_ERROR(ForEachRow(*stmt, [&](StoredOp&& op) {
    Verdict v;
    if (IsMembershipOrGenesis(op.op.header.type)) {
      v = view.MembershipVerdict(op.op.id);
    } else if (op.op.header.type == "project.set") {
      v = later;
    } else {
      auto facts = FactsOf(op.op);
      auto judged = facts.ok() ? JudgeAgainst(view, *facts) : Result<Verdict>(facts.status());
      if (!judged.ok()) {
        failed = judged.status();
        return false;
      }
      v = std::move(*judged);
    }
    if (!(v == op.verdict)) changed.emplace_back(op.op.id, std::move(v));
    return true;
  }));
  NANSE_RETURN_IF_ERROR(failed);
  for (const auto& [id, v] : changed) NANSE_RETURN_IF_ERROR(WriteVerdict(id, v));
  NANSE_RETURN_IF_ERROR(directory_.Rebuild());
  // Counts project.set ops again only when their final verdict differs from the stored one:
  // the "being judged" placeholder is not a change anyone saw.
  if (report) {
    for (const auto& [id, v] : changed) report->rejudged += !(v == later);
  }
  return RejudgeProjectEdits(view, true, report);
}

Result<std::map<PublicKey, VerdictCounts>> Store::VerdictsByAuthor() {
  auto stmt =
      db_->Cached("SELECT author, effect, count(*) FROM ops WHERE state=0 GROUP BY author, effect");
  if (!stmt.ok()) return stmt.status();
  std::map<PublicKey, VerdictCounts> out;
  for (;;) {
    auto row = (*stmt)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    VerdictCounts& c = out[ToArray<32>((*stmt)->Blob(0))];
    const auto n = static_cast<uint64_t>((*stmt)->Int(2));
    switch (static_cast<Effect>((*stmt)->Int(1))) {
      case Effect::kApplied:
        c.applied += n;
        break;
      case Effect::kPending:
        c.pending += n;
        break;
      case Effect::kInvalid:
        c.invalid += n;
        break;
    }
  }
  return out;
}

Result<std::vector<StoredOp>> Store::OpsNotApplied(Effect effect, size_t limit) {
  auto stmt = db_->Prepare(std::string(kSelectOpColumns) +
                           "WHERE state=0 AND effect=? ORDER BY hlc DESC, author, seq LIMIT ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(effect))
      .Bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  std::vector<StoredOp> out;
  NANSE_RETURN_IF_ERROR(ForEachRow(*stmt, [&](StoredOp&& op) {
    out.push_back(std::move(op));
    return true;
  }));
  return out;
}

}  // namespace nanse
