#include "cli/op_summary.h"

#include "cli/tr.h"
#include "crdt/directory_ops.h"
#include "crdt/membership.h"
#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"

namespace nanse::cli {

std::string SummarizeOp(const SignedOp& op) {
  if (!op.body) return Tr("(body erased)");
  const std::string& type = op.header.type;
  if (type == "genesis") {
    auto body = DecodeGenesisBody(*op.body);
    if (body.ok()) return Fill(Tr("network '{name}' created"), {{"name", body->network_name}});
  } else if (type == "node") {
    auto body = DecodeNodeBody(*op.body);
    if (body.ok()) {
      std::string s = Fill(Tr("node '{name}'"), {{"name", body->name}});
      for (const auto& a : body->addresses) s += " " + a;
      return s;
    }
  } else if (type == "invite") {
    auto body = DecodeInvite(*op.body);
    if (body.ok()) {
      return Fill(Tr("invite as {role}{member}, ticket {ticket}"),
                  {{"role", body->role},
                   {"member", body->member ? " " + FormatUuid(*body->member).substr(0, 8) : ""},
                   {"ticket", ShortId(body->ticket)}});
    }
  } else if (type == "invite.cancel") {
    auto ticket = DecodeInviteCancel(*op.body);
    if (ticket.ok()) return Fill(Tr("cancel ticket {ticket}"), {{"ticket", ShortId(*ticket)}});
  } else if (type == "claim") {
    auto body = DecodeClaim(*op.body);
    if (body.ok()) return Fill(Tr("claim ticket {ticket}"), {{"ticket", ShortId(body->ticket)}});
  } else if (type == "role") {
    auto body = DecodeRole(*op.body);
    if (body.ok()) {
      return Fill(Tr("node {node} becomes {role}{member}"),
                  {{"node", ShortId(body->node)},
                   {"role", body->role},
                   {"member", body->member ? " " + FormatUuid(*body->member).substr(0, 8) : ""}});
    }
  } else if (type == "revoke") {
    auto body = DecodeRevoke(*op.body);
    if (body.ok()) {
      return Fill(Tr("revoke node {node} after its seq {seq}"),
                  {{"node", ShortId(body->node)}, {"seq", std::to_string(body->last_seq)}});
    }
  } else if (IsDirectoryOpType(type)) {
    auto change = DecodeDirectoryOp(type, *op.body);
    if (change.ok()) {
      if (!change->created.empty()) {
        return Fill(Tr("records added: {n}"), {{"n", std::to_string(change->created.size())}});
      }
      if (!change->entries.empty()) {
        return Fill(Tr("ledger entries: {n}"), {{"n", std::to_string(change->entries.size())}});
      }
      std::string records;
      for (const FieldWrite& w : change->writes) {
        const std::string r = FormatUuid(w.record).substr(0, 8);
        if (records.find(r) == std::string::npos) records += (records.empty() ? "" : " ") + r;
      }
      return Fill(Tr("fields written: {n} ({records})"),
                  {{"n", std::to_string(change->writes.size())}, {"records", records}});
    }
  }
  return Fill(Tr("({bytes} bytes)"), {{"bytes", std::to_string(op.body->size())}});
}

nlohmann::json BodyToJson(const SignedOp& op) {
  if (!op.body) return nullptr;
  const std::string& type = op.header.type;
  if (type == "genesis") {
    auto body = DecodeGenesisBody(*op.body);
    if (body.ok()) return {{"name", body->network_name}};
  } else if (type == "node") {
    auto body = DecodeNodeBody(*op.body);
    if (body.ok()) return {{"name", body->name}, {"addresses", body->addresses}};
  }
  return nullptr;
}

}  // namespace nanse::cli
