#include "cli/op_summary.h"

#include "cli/tr.h"
#include "crdt/op_bodies.h"

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
