#include "crdt/membership.h"

#include <algorithm>
#include <tuple>

#include "crdt/msgpack_io.h"

namespace nanse {
namespace {

using detail::MapReader;
using detail::MsgpackWriter;

constexpr std::string_view kClaimDomain = "nanse-claim-v1";

Result<RecordId> ReadRecordId(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::BIN || o.via.bin.size != 16) {
    return Status::Malformed(field, "expected a 16-byte member id");
  }
  return ToArray<16>({reinterpret_cast<const uint8_t*>(o.via.bin.ptr), 16});
}

Result<std::string> ReadRole(const MapReader& map) {
  auto o = map.Require("role");
  if (!o.ok()) return o.status();
  if ((*o)->type != msgpack::type::STR ||
      !IsRole(std::string_view((*o)->via.str.ptr, (*o)->via.str.size))) {
    return Status::Malformed(map.FieldName("role"),
                             "expected admin, treasurer, member or observer");
  }
  return std::string((*o)->via.str.ptr, (*o)->via.str.size);
}

template <typename Fn>
auto WithMap(ByteView body, std::vector<std::string> keys, Fn fn)
    -> decltype(fn(std::declval<const MapReader&>())) {
  auto handle = detail::UnpackExactlyOne(body, "op.body", 16);
  if (!handle.ok()) return handle.status();
  auto map = MapReader::Open(handle->get(), "op.body", std::move(keys));
  if (!map.ok()) return map.status();
  return fn(*map);
}

Result<PublicKey> ReadKey(const MapReader& map, const char* key) {
  auto o = map.Require(key);
  if (!o.ok()) return o.status();
  return detail::ReadBin32(**o, map.FieldName(key));
}

bool Needs(std::string_view type, const std::string& role) {
  // ARCHITECTURE section 2's table, by op type.
  if (type == "node") return !role.empty();  // any admitted node describes itself
  if (type == "member.add") return role == "admin";
  if (type == "member.set") return role == "admin" || role == "treasurer" || role == "member";
  if (type == "project.add" || type == "project.set" || type == "project.join" ||
      type == "project.leave") {
    return role == "admin" || role == "treasurer" || role == "member";
  }
  if (type == "dues.schedule" || type == "dues.record")
    return role == "admin" || role == "treasurer";
  return false;
}

}  // namespace

bool IsRole(std::string_view role) {
  return std::find(std::begin(kRoles), std::end(kRoles), role) != std::end(kRoles);
}

bool IsMembershipOpType(std::string_view type) {
  return type == "invite" || type == "invite.cancel" || type == "claim" || type == "role" ||
         type == "revoke";
}

Bytes EncodeInvite(const InviteBody& b) {
  MsgpackWriter w;
  w.Map(b.member ? 3 : 2);
  w.Str("ticket");
  w.Bin(b.ticket);
  w.Str("role");
  w.Str(b.role);
  if (b.member) {
    w.Str("member");
    w.Bin(*b.member);
  }
  return w.Take();
}

Bytes EncodeInviteCancel(const PublicKey& ticket) {
  MsgpackWriter w;
  w.Map(1);
  w.Str("ticket");
  w.Bin(ticket);
  return w.Take();
}

Bytes EncodeClaim(const ClaimBody& b) {
  MsgpackWriter w;
  w.Map(2);
  w.Str("ticket");
  w.Bin(b.ticket);
  w.Str("proof");
  w.Bin(b.proof);
  return w.Take();
}

Bytes EncodeRole(const RoleBody& b) {
  MsgpackWriter w;
  w.Map(b.member ? 3 : 2);
  w.Str("node");
  w.Bin(b.node);
  w.Str("role");
  w.Str(b.role);
  if (b.member) {
    w.Str("member");
    w.Bin(*b.member);
  }
  return w.Take();
}

Bytes EncodeRevoke(const RevokeBody& b) {
  MsgpackWriter w;
  w.Map(2);
  w.Str("node");
  w.Bin(b.node);
  w.Str("last_seq");
  w.Uint(b.last_seq);
  return w.Take();
}

Result<InviteBody> DecodeInvite(ByteView body) {
  return WithMap(body, {"ticket", "role", "member"}, [](const MapReader& m) -> Result<InviteBody> {
    InviteBody b;
    NANSE_ASSIGN_OR_RETURN(b.ticket, ReadKey(m, "ticket"));
    NANSE_ASSIGN_OR_RETURN(b.role, ReadRole(m));
    if (const msgpack::object* member = m.Find("member")) {
      NANSE_ASSIGN_OR_RETURN(b.member, ReadRecordId(*member, m.FieldName("member")));
    }
    return b;
  });
}

Result<PublicKey> DecodeInviteCancel(ByteView body) {
  return WithMap(body, {"ticket"}, [](const MapReader& m) { return ReadKey(m, "ticket"); });
}

Result<ClaimBody> DecodeClaim(ByteView body) {
  return WithMap(body, {"ticket", "proof"}, [](const MapReader& m) -> Result<ClaimBody> {
    ClaimBody b;
    NANSE_ASSIGN_OR_RETURN(b.ticket, ReadKey(m, "ticket"));
    auto proof = m.Require("proof");
    if (!proof.ok()) return proof.status();
    if ((*proof)->type != msgpack::type::BIN || (*proof)->via.bin.size != 64) {
      return Status::Malformed(m.FieldName("proof"), "expected a 64-byte signature");
    }
    b.proof = ToArray<64>({reinterpret_cast<const uint8_t*>((*proof)->via.bin.ptr), 64});
    return b;
  });
}

Result<RoleBody> DecodeRole(ByteView body) {
  return WithMap(body, {"node", "role", "member"}, [](const MapReader& m) -> Result<RoleBody> {
    RoleBody b;
    NANSE_ASSIGN_OR_RETURN(b.node, ReadKey(m, "node"));
    NANSE_ASSIGN_OR_RETURN(b.role, ReadRole(m));
    if (const msgpack::object* member = m.Find("member")) {
      NANSE_ASSIGN_OR_RETURN(b.member, ReadRecordId(*member, m.FieldName("member")));
    }
    return b;
  });
}

Result<RevokeBody> DecodeRevoke(ByteView body) {
  return WithMap(body, {"node", "last_seq"}, [](const MapReader& m) -> Result<RevokeBody> {
    RevokeBody b;
    NANSE_ASSIGN_OR_RETURN(b.node, ReadKey(m, "node"));
    auto seq = m.Require("last_seq");
    if (!seq.ok()) return seq.status();
    NANSE_ASSIGN_OR_RETURN(b.last_seq, detail::ReadUint(**seq, m.FieldName("last_seq")));
    return b;
  });
}

Status ValidateMembershipBody(std::string_view type, ByteView body) {
  if (type == "invite") return DecodeInvite(body).status();
  if (type == "invite.cancel") return DecodeInviteCancel(body).status();
  if (type == "claim") return DecodeClaim(body).status();
  if (type == "role") return DecodeRole(body).status();
  if (type == "revoke") return DecodeRevoke(body).status();
  return Status::Malformed("op.header.type", "not a membership op type");
}

Bytes ClaimMessage(const Hash& network_id, const PublicKey& claimant) {
  Bytes m(kClaimDomain.begin(), kClaimDomain.end());
  Append(m, network_id);
  Append(m, claimant);
  return m;
}

std::string MembershipView::RoleAt(const PublicKey& author, Hlc hlc, uint64_t seq) const {
  auto node = nodes.find(author);
  if (node == nodes.end()) return {};
  if (node->second.revoked_after_seq && seq > *node->second.revoked_after_seq) return {};
  auto it = timeline.find(author);
  if (it == timeline.end()) return {};
  std::string role;
  for (const RoleChange& c : it->second) {
    if (std::tie(c.hlc, c.author, c.seq) > std::tie(hlc, author, seq)) break;
    role = c.role;
  }
  return role;
}

namespace {

// One replay of the membership ops in total order. `known_revocations` (node -> last_seq) are
// applied from the start: the second pass uses those the first pass found.
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
  for (const OpFacts* p : ordered) {
    const OpFacts& op = *p;
    auto invalid = [&](std::string why) { v.invalid[op.id] = std::move(why); };
    if (op.type == "genesis") {
      if (op.id == network_id && !v.nodes.count(op.author)) {
        v.nodes[op.author] = {op.author, "admin", std::nullopt, std::nullopt, op.hlc, {}, 0};
        set_role(op.author, op, "admin", std::nullopt);
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
        v.pending.insert(op.id);  // the invite may not have arrived yet
      } else if (ticket->second.cancelled) {
        invalid("the invite was cancelled");
      } else if (ticket->second.claimed_by) {
        invalid("the ticket was already used");
      } else if (!VerifySignature(claim->ticket, ClaimMessage(network_id, op.author),
                                  claim->proof)) {
        invalid("the ticket's signature does not verify");
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
        v.pending.insert(op.id);
      } else {
        invalid("the node is revoked");
      }
      continue;
    }
    if (role != "admin") {
      invalid("needs the admin role; the author is " + role);
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
      if (it == v.tickets.end() || it->second.claimed_by) {
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
  return v;
}

}  // namespace

MembershipView ComputeMembership(const std::vector<OpFacts>& ops, const Hash& network_id) {
  std::vector<const OpFacts*> membership;
  for (const OpFacts& op : ops) {
    if (op.type == "genesis" || IsMembershipOpType(op.type)) membership.push_back(&op);
  }
  std::sort(membership.begin(), membership.end(),
            [](const OpFacts* a, const OpFacts* b) { return a->OrderKey() < b->OrderKey(); });
  MembershipView first = Replay(membership, network_id, {});
  std::map<PublicKey, uint64_t> revocations;
  for (const auto& [id, node] : first.nodes) {
    if (node.revoked_after_seq) revocations[id] = *node.revoked_after_seq;
  }
  MembershipView view =
      revocations.empty() ? std::move(first) : Replay(membership, network_id, revocations);
  for (const OpFacts& op : ops) {
    auto node = view.nodes.find(op.author);
    if (node != view.nodes.end()) node->second.last_seq = std::max(node->second.last_seq, op.seq);
    if (op.type == "genesis" || IsMembershipOpType(op.type)) continue;
    if (auto why = CheckPermission(view, op)) {
      if (!view.nodes.count(op.author)) {
        view.pending.insert(op.id);
      } else {
        view.invalid[op.id] = *why;
      }
    }
  }
  return view;
}

std::optional<std::string> CheckPermission(const MembershipView& view, const OpFacts& op) {
  auto node = view.nodes.find(op.author);
  if (node == view.nodes.end()) return "the author is not admitted (yet)";
  if (node->second.revoked_after_seq && op.seq > *node->second.revoked_after_seq) {
    return "the author was revoked after its op " + std::to_string(*node->second.revoked_after_seq);
  }
  const std::string role = view.RoleAt(op.author, op.hlc, op.seq);
  if (role.empty()) return "the author was not admitted at this op's time";
  if (!Needs(op.type, role)) return op.type + " needs another role; the author is " + role;
  if (op.type == "member.set" && role != "admin") {
    // An organization's node edits only its own record.
    std::optional<RecordId> own;
    for (const auto& c : view.timeline.at(op.author)) {
      if (std::tie(c.hlc, c.author, c.seq) > std::tie(op.hlc, op.author, op.seq)) break;
      own = c.member;
    }
    for (const RecordId& r : op.records_written) {
      if (!own || r != *own) return "a " + role + " node may edit only its own member record";
    }
  }
  return std::nullopt;
}

}  // namespace nanse
