// Node's membership actions: invites, cancellations, role changes and revocations, with the
// checks an author owes the network. The store refuses what this node's role does not allow.
#include <algorithm>

#include "crdt/text_codec.h"
#include "node/node.h"

namespace nanse {

Result<InviteResult> Node::Invite(const std::string& role, const std::optional<RecordId>& member,
                                  const std::vector<std::string>& peers) {
  if (!IsRole(role)) {
    return Status::Usage("--role",
                         "expected admin, treasurer, member or observer, got '" + role + "'");
  }
  if (role == "member" && !member) {
    return Status::Usage("--member",
                         "a member node acts for one organization: name its member record");
  }
  if (member) {
    NANSE_ASSIGN_OR_RETURN(const auto record, directory().GetRecord(Table::kMember, *member));
    if (!record) return Status::NotFound("--member", "no member " + FormatUuid(*member) + " here");
  }
  if (peers.size() > kMaxAddresses) {
    return Status::Usage("--peer", "at most " + std::to_string(kMaxAddresses) + " peers");
  }
  for (const auto& p : peers) NANSE_RETURN_IF_ERROR(ValidateAddress(p, "--peer"));

  InviteCode code{network_.id, network_.name, network_.key, peers};
  random_.Fill(code.ticket_seed);
  const SigningKey ticket = SigningKey::FromSeed(code.ticket_seed);
  code.role = role;
  code.member = member;
  NANSE_ASSIGN_OR_RETURN(
      SignedOp op,
      store_->AppendLocal(key_, "invite", EncodeInvite({ticket.public_key(), role, member}),
                          clock_.NowMillis()));
  code.invite_hlc = op.header.hlc;
  InviteResult result{EncodeInviteCode(code), ticket.public_key(), std::move(op)};
  Wipe(code.ticket_seed.data(), code.ticket_seed.size());
  return result;
}

Result<SignedOp> Node::CancelInvite(std::string_view ticket_text) {
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, store_->Membership());
  std::vector<PublicKey> matches;
  for (const auto& [ticket, state] : view.tickets) {
    const std::string id = Base32Encode(ticket);
    if (ticket_text.size() >= 4 && id.starts_with(ticket_text)) matches.push_back(ticket);
  }
  if (matches.empty()) {
    return Status::NotFound("ticket", "no invite with ticket '" + std::string(ticket_text) +
                                          "' (see nanse invite list)");
  }
  if (matches.size() > 1) {
    return Status::Usage("ticket", "'" + std::string(ticket_text) +
                                       "' matches several tickets; give more characters");
  }
  const TicketState& t = view.tickets.at(matches[0]);
  if (t.claimed_by) {
    return Status::Invalid(
        "ticket", "already used by node " + ShortId(*t.claimed_by) + "; revoke that node instead");
  }
  if (t.cancelled) return Status::Invalid("ticket", "this invite is already cancelled");
  return store_->AppendLocal(key_, "invite.cancel", EncodeInviteCancel(matches[0]),
                             clock_.NowMillis());
}

Result<SignedOp> Node::Revoke(const PublicKey& node) {
  if (node == id()) return Status::Usage("node", "a node cannot revoke itself");
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, store_->Membership());
  auto it = view.nodes.find(node);
  if (it == view.nodes.end()) {
    return Status::NotFound("node", ShortId(node) + " is not an admitted node");
  }
  NANSE_ASSIGN_OR_RETURN(const VersionVector vv, store_->Vector());
  // What this node holds of it stays; anything it signed later, wherever, is invalid.
  return store_->AppendLocal(key_, "revoke", EncodeRevoke({node, vv.Get(node)}),
                             clock_.NowMillis());
}

Result<SignedOp> Node::SetRole(const PublicKey& node, const std::string& role,
                               const std::optional<RecordId>& member) {
  if (!IsRole(role)) {
    return Status::Usage("role",
                         "expected admin, treasurer, member or observer, got '" + role + "'");
  }
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, store_->Membership());
  auto it = view.nodes.find(node);
  if (it == view.nodes.end()) {
    return Status::NotFound("node", ShortId(node) + " is not an admitted node");
  }
  if (role == "member" && !member && !it->second.member) {
    return Status::Usage("--member",
                         "a member node acts for one organization: name its member record");
  }
  if (member) {
    NANSE_ASSIGN_OR_RETURN(const auto record, directory().GetRecord(Table::kMember, *member));
    if (!record) return Status::NotFound("--member", "no member " + FormatUuid(*member) + " here");
  }
  return store_->AppendLocal(key_, "role", EncodeRole({node, role, member}), clock_.NowMillis());
}

Result<PublicKey> Node::ResolveNode(std::string_view text) {
  std::string wanted(text);
  std::transform(wanted.begin(), wanted.end(), wanted.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (wanted.size() < 4) {
    return Status::Usage("node", "give at least 4 characters of the node id, got '" + wanted + "'");
  }
  NANSE_ASSIGN_OR_RETURN(const std::vector<Head> heads, store_->Heads());
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, store_->Membership());
  std::set<PublicKey> known;
  for (const Head& h : heads) known.insert(h.author);
  for (const auto& [node, record] : view.nodes) known.insert(node);
  std::vector<PublicKey> matches;
  for (const PublicKey& k : known) {
    if (Base32Encode(k).starts_with(wanted)) matches.push_back(k);
  }
  if (matches.empty()) return Status::NotFound("node", "no node '" + wanted + "' known here");
  if (matches.size() > 1) {
    return Status::Usage("node", "'" + wanted + "' matches several nodes; give more characters");
  }
  return matches[0];
}

}  // namespace nanse
