#include "crdt/membership.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "crdt/directory_ops.h"
#include "crdt/text_codec.h"

namespace nanse {

const char* EffectName(Effect effect) {
  switch (effect) {
    case Effect::kApplied:
      return "applied";
    case Effect::kPending:
      return "pending";
    case Effect::kInvalid:
      return "invalid";
  }
  return "unknown";
}

Result<OpFacts> FactsOf(const SignedOp& op) {
  OpFacts f;
  f.id = op.id;
  f.author = op.header.author;
  f.seq = op.header.seq;
  f.hlc = op.header.hlc;
  f.type = op.header.type;
  if (IsMembershipOpType(f.type)) f.body = op.body;
  if (!op.body || !IsDirectoryOpType(f.type)) return f;
  NANSE_ASSIGN_OR_RETURN(const DirectoryChange change, DecodeDirectoryOp(f.type, *op.body));
  for (const CreatedRecord& c : change.created) {
    if (c.table == Table::kProject) f.projects_created.push_back(c.id);
  }
  for (const FieldWrite& w : change.writes) {
    if (f.type == "project.join" || f.type == "project.leave") {
      auto member = ParseUuid(w.key, "op.body.member");
      if (!member.ok()) return member.status();
      f.participants.emplace_back(w.record, *member);
    } else if (f.type == "member.set" && w.table == Table::kMember) {
      f.members_written.push_back(w.record);
    } else if (f.type == "project.set" && w.table == Table::kProject) {
      f.projects_written.push_back(w.record);
    }
  }
  // Many writes name the same record: keep each once.
  for (auto* v : {&f.members_written, &f.projects_written, &f.projects_created}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return f;
}

Verdict MembershipView::MembershipVerdict(const Hash& op) const {
  if (auto it = invalid.find(op); it != invalid.end()) return {Effect::kInvalid, it->second};
  if (auto it = pending.find(op); it != pending.end()) return {Effect::kPending, it->second};
  return {};
}

namespace {

// The last role change of `author` at or before (hlc, author, seq).
const MembershipView::RoleChange* ChangeAt(const MembershipView& v, const PublicKey& author,
                                           Hlc hlc, uint64_t seq) {
  auto it = v.timeline.find(author);
  if (it == v.timeline.end()) return nullptr;
  const MembershipView::RoleChange* last = nullptr;
  for (const auto& c : it->second) {
    if (std::tie(c.hlc, c.author, c.seq) > std::tie(hlc, author, seq)) break;
    last = &c;
  }
  return last;
}

}  // namespace

std::string MembershipView::RoleAt(const PublicKey& author, Hlc hlc, uint64_t seq) const {
  auto node = nodes.find(author);
  if (node == nodes.end()) return {};
  if (node->second.revoked_after_seq && seq > *node->second.revoked_after_seq) return {};
  const RoleChange* c = ChangeAt(*this, author, hlc, seq);
  return c ? c->role : std::string();
}

std::optional<RecordId> MembershipView::MemberAt(const PublicKey& author, Hlc hlc,
                                                 uint64_t seq) const {
  const RoleChange* c = ChangeAt(*this, author, hlc, seq);
  return c ? c->member : std::nullopt;
}

bool MembershipView::SameStanding(const MembershipView& other, const PublicKey& node) const {
  auto a = nodes.find(node);
  auto b = other.nodes.find(node);
  if ((a == nodes.end()) != (b == other.nodes.end())) return false;
  if (a != nodes.end() && a->second.revoked_after_seq != b->second.revoked_after_seq) {
    return false;
  }
  auto ta = timeline.find(node);
  auto tb = other.timeline.find(node);
  const bool has_a = ta != timeline.end(), has_b = tb != other.timeline.end();
  if (has_a != has_b) return false;
  return !has_a || ta->second == tb->second;
}

namespace {

// One replay of the membership ops in total order. `known_revocations` (node -> last_seq) are
// applied from the start: later passes use those the pass before found.
MembershipView Replay(const std::vector<const OpFacts*>& ordered, const Hash& network_id,
                      const std::map<PublicKey, uint64_t>& known_revocations) {
  MembershipView v;
  auto revoked_op = [&](const OpFacts& op) {
    auto it = known_revocations.find(op.author);
    return it != known_revocations.end() && op.seq > it->second;
  };
  auto role_now = [&](const OpFacts& op) -> std::string {
    auto it = v.nodes.find(op.author);
    if (it == v.nodes.end() || revoked_op(op)) return {};
    if (it->second.revoked_after_seq && op.seq > *it->second.revoked_after_seq) return {};
    return it->second.role;
  };
  auto set_role = [&](const PublicKey& node, const OpFacts& at, const std::string& role,
                      std::optional<RecordId> member) {
    v.timeline[node].push_back({at.hlc, at.author, at.seq, role, member});
  };
  std::vector<const OpFacts*> early_claims;  // ordered before any invite of their ticket
  for (const OpFacts* p : ordered) {
    const OpFacts& op = *p;
    auto invalid = [&](std::string why) { v.invalid[op.id] = std::move(why); };
    if (op.type == "genesis") {
      if (op.id == network_id && !v.nodes.count(op.author)) {
        v.nodes[op.author] = {op.author, "admin", std::nullopt, std::nullopt, op.hlc, {}, 0};
        set_role(op.author, op, "admin", std::nullopt);
      } else {
        invalid("not this network's genesis");
      }
      continue;
    }
    if (!op.body) {
      invalid("body erased");
      continue;
    }
    if (op.type == "claim") {
      auto claim = DecodeClaim(*op.body);
      if (!claim.ok()) {
        invalid(claim.status().ToString());
        continue;
      }
      auto ticket = v.tickets.find(claim->ticket);
      if (v.nodes.count(op.author)) {
        invalid("the node is already admitted");
      } else if (ticket == v.tickets.end()) {
        early_claims.push_back(&op);  // pending, or ordered before its invite: decided below
      } else if (ticket->second.cancelled) {
        invalid("the invite was cancelled");
      } else if (ticket->second.claimed_by) {
        invalid("the ticket was already used by node " + ShortId(*ticket->second.claimed_by));
      } else if (!VerifySignature(claim->ticket, ClaimMessage(network_id, op.author),
                                  claim->proof)) {
        invalid("the ticket's signature does not verify (a forged claim)");
      } else if (revoked_op(op)) {
        invalid("the node is revoked");
      } else {
        ticket->second.claimed_by = op.author;
        v.nodes[op.author] = {op.author,
                              ticket->second.role,
                              ticket->second.member,
                              ticket->second.inviter,
                              op.hlc,
                              {},
                              0};
        set_role(op.author, op, ticket->second.role, ticket->second.member);
      }
      continue;
    }
    const std::string role = role_now(op);
    if (role.empty()) {
      if (!v.nodes.count(op.author)) {
        v.pending[op.id] = "the author is not admitted (yet)";
      } else {
        invalid("the author is revoked");
      }
      continue;
    }
    if (role != "admin") {
      invalid(op.type + " needs the admin role; the author is " + role);
      continue;
    }
    if (op.type == "invite") {
      auto b = DecodeInvite(*op.body);
      if (!b.ok() || v.tickets.count(b->ticket)) {
        invalid(b.ok() ? "the ticket was already issued" : b.status().ToString());
        continue;
      }
      v.tickets[b->ticket] = {b->ticket, op.author, op.id, b->role, b->member, false, {}};
    } else if (op.type == "invite.cancel") {
      auto t = DecodeInviteCancel(*op.body);
      auto it = t.ok() ? v.tickets.find(*t) : v.tickets.end();
      if (it == v.tickets.end() || it->second.claimed_by || it->second.cancelled) {
        invalid("no unused invite with this ticket");
        continue;
      }
      it->second.cancelled = true;
    } else if (op.type == "role") {
      auto b = DecodeRole(*op.body);
      auto it = b.ok() ? v.nodes.find(b->node) : v.nodes.end();
      if (it == v.nodes.end()) {
        invalid("no such node");
        continue;
      }
      it->second.role = b->role;
      if (b->member) it->second.member = b->member;
      set_role(b->node, op, b->role, it->second.member);
    } else if (op.type == "revoke") {
      auto b = DecodeRevoke(*op.body);
      auto it = b.ok() ? v.nodes.find(b->node) : v.nodes.end();
      if (it == v.nodes.end()) {
        invalid("no such node");
        continue;
      }
      auto& r = it->second.revoked_after_seq;
      r = r ? std::min(*r, b->last_seq) : b->last_seq;
    }
  }
  for (const OpFacts* op : early_claims) {
    auto claim = DecodeClaim(*op->body);
    if (v.tickets.count(claim->ticket)) {
      // Its node did not observe the invite's clock: ordered before the ticket existed.
      v.invalid[op->id] = "the claim is ordered before its invite";
    } else {
      v.pending[op->id] = "its invite has not arrived";
    }
  }
  return v;
}

bool Needs(std::string_view type, const std::string& role) {
  // ARCHITECTURE section 2's table, by op type.
  const bool org_node = role == "admin" || role == "treasurer" || role == "member";
  if (type == "node") return !role.empty();  // any admitted node describes itself
  if (type == "member.add") return role == "admin";
  if (type == "member.set") return org_node;
  if (type == "project.add" || type == "project.set" || type == "project.join" ||
      type == "project.leave") {
    return org_node;
  }
  if (type == "dues.schedule" || type == "dues.record") {
    return role == "admin" || role == "treasurer";
  }
  return false;
}

// The roles that may author `type`, for messages.
std::string RolesFor(std::string_view type) {
  std::string out;
  for (std::string_view role : kRoles) {
    if (!Needs(type, std::string(role))) continue;
    if (!out.empty()) out += " or ";
    out += role;
  }
  return out;
}

// Project facts from the applied ops of a set (ComputeMembership's second stage). Of several
// creations of one project id, the earliest in the order counts, as in the directory.
class ProjectFactsOfOps : public ProjectFacts {
 public:
  void Add(const OpFacts& op) {
    for (const auto& p : op.participants) took_part_.insert(p);
    for (const RecordId& p : op.projects_created) {
      auto key = std::make_tuple(op.hlc, op.author, op.id);
      auto [it, added] = creator_.emplace(p, key);
      if (!added && key < it->second) it->second = key;
    }
  }
  Result<bool> TookPart(const RecordId& project, const RecordId& member) const override {
    return took_part_.count({project, member}) > 0;
  }
  Result<bool> Created(const RecordId& project, const PublicKey& author) const override {
    auto it = creator_.find(project);
    return it != creator_.end() && std::get<1>(it->second) == author;
  }

 private:
  std::set<std::pair<RecordId, RecordId>> took_part_;
  std::map<RecordId, std::tuple<Hlc, PublicKey, Hash>> creator_;
};

}  // namespace

MembershipView ReplayMembership(const std::vector<OpFacts>& ops, const Hash& network_id) {
  std::vector<const OpFacts*> membership;
  for (const OpFacts& op : ops) {
    if (op.type == "genesis" || IsMembershipOpType(op.type)) membership.push_back(&op);
  }
  std::sort(membership.begin(), membership.end(),
            [](const OpFacts* a, const OpFacts* b) { return a->OrderKey() < b->OrderKey(); });
  // A revocation reaches back before its own place in the order (by seq), so a pass may find
  // revocations that change what an earlier op of the same pass could do. Replay again with
  // the revocations found until they settle; a bounded number of passes keeps this a
  // function of the op set even for revocations that undo each other.
  std::map<PublicKey, uint64_t> known;
  MembershipView view;
  for (int pass = 0; pass < 8; ++pass) {
    view = Replay(membership, network_id, known);
    std::map<PublicKey, uint64_t> found;
    for (const auto& [id, node] : view.nodes) {
      if (node.revoked_after_seq) found[id] = *node.revoked_after_seq;
    }
    if (found == known) break;
    known = std::move(found);
  }
  for (const OpFacts& op : ops) {
    auto node = view.nodes.find(op.author);
    if (node != view.nodes.end()) node->second.last_seq = std::max(node->second.last_seq, op.seq);
  }
  return view;
}

Result<Verdict> Judge(const MembershipView& view, const OpFacts& op, const ProjectFacts& projects) {
  auto invalid = [](std::string why) { return Verdict{Effect::kInvalid, std::move(why)}; };
  auto node = view.nodes.find(op.author);
  if (node == view.nodes.end())
    return Verdict{Effect::kPending, "the author is not admitted (yet)"};
  if (node->second.revoked_after_seq && op.seq > *node->second.revoked_after_seq) {
    return invalid("the author was revoked after its op " +
                   std::to_string(*node->second.revoked_after_seq));
  }
  const std::string role = view.RoleAt(op.author, op.hlc, op.seq);
  if (role.empty()) return invalid("ordered before its author's admission");
  if (!Needs(op.type, role)) {
    return invalid(op.type + " needs the " + RolesFor(op.type) + " role; the author is " + role);
  }
  if (role == "admin") return Verdict{};
  // A treasurer or member node acts for its own organization only.
  const std::optional<RecordId> own = view.MemberAt(op.author, op.hlc, op.seq);
  const std::string not_own = "a " + role + " node acts only for its own organization";
  for (const RecordId& r : op.members_written) {
    if (r != own) return invalid(not_own + " and may not edit member " + FormatUuid(r));
  }
  for (const auto& [project, member] : op.participants) {
    if (member != own)
      return invalid(not_own + " and may not (un)join member " + FormatUuid(member));
  }
  for (const RecordId& project : op.projects_written) {
    NANSE_ASSIGN_OR_RETURN(bool created, projects.Created(project, op.author));
    bool took_part = false;
    if (!created && own) {
      NANSE_ASSIGN_OR_RETURN(took_part, projects.TookPart(project, *own));
    }
    if (!created && !took_part) {
      return invalid(not_own + " and may edit only projects its organization leads or joins, not " +
                     FormatUuid(project));
    }
  }
  return Verdict{};
}

MembershipView ComputeMembership(const std::vector<OpFacts>& ops, const Hash& network_id) {
  MembershipView view = ReplayMembership(ops, network_id);
  ProjectFactsOfOps projects;
  std::vector<const OpFacts*> second_stage;
  auto record = [&](const OpFacts& op, const Verdict& v) {
    if (v.effect == Effect::kInvalid) view.invalid[op.id] = v.why;
    if (v.effect == Effect::kPending) view.pending[op.id] = v.why;
  };
  // First the ops judged on membership alone; then project.set, which also depends on which
  // project.add/join/leave ops were applied.
  for (const OpFacts& op : ops) {
    if (op.type == "genesis" || IsMembershipOpType(op.type)) continue;
    if (!op.projects_written.empty()) {
      second_stage.push_back(&op);
      continue;
    }
    const Verdict v = *Judge(view, op, projects);  // needs no project facts
    record(op, v);
    if (v.effect == Effect::kApplied) projects.Add(op);
  }
  for (const OpFacts* op : second_stage) record(*op, *Judge(view, *op, projects));
  return view;
}

}  // namespace nanse
