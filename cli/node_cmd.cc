// nanse node set|show: this node's description in the replicated directory.
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

// This node's current description: its latest `node` op.
Result<NodeBody> CurrentDescription(Node& node) {
  NANSE_ASSIGN_OR_RETURN(auto latest, node.store().LatestOfType(node.id(), "node"));
  if (!latest || !latest->op.body) return NodeBody{};
  return DecodeNodeBody(*latest->op.body);
}

}  // namespace

void SetupNode(CLI::App& app, Context& ctx) {
  CLI::App* node_cmd = app.add_subcommand("node", Tr("This node's name and addresses"));
  node_cmd->require_subcommand(1);

  struct SetOptions {
    std::string name;
    std::vector<std::string> addresses;
    bool clear_addresses = false;
  };
  auto opts = std::make_shared<SetOptions>();
  CLI::App* set = node_cmd->add_subcommand("set", Tr("Change this node's name or addresses"));
  set->add_option("--name", opts->name, Tr("Display name"));
  set->add_option("--address", opts->addresses, Tr("HOST:PORT where peers can reach this node"));
  set->add_flag("--no-addresses", opts->clear_addresses, Tr("Publish no address"));
  OnRun(set, ctx, [&ctx, opts]() -> Status {
    if (opts->name.empty() && opts->addresses.empty() && !opts->clear_addresses) {
      return Status::Usage("node set", Tr("give --name, --address or --no-addresses"));
    }
    if (!opts->addresses.empty() && opts->clear_addresses) {
      return Status::Usage("node set",
                           Tr("options '--address' and '--no-addresses' cannot be used together"));
    }
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(NodeBody body, CurrentDescription(*node));
    if (!opts->name.empty()) body.name = opts->name;
    if (!opts->addresses.empty() || opts->clear_addresses) body.addresses = opts->addresses;
    NANSE_ASSIGN_OR_RETURN(auto op, node->DescribeSelf(body));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"op_id", Base32Encode(op.id)}, {"seq", op.header.seq}});
    } else {
      std::cout << Fill(Tr("saved as op {op} (seq {seq})"),
                        {{"op", ShortId(op.id)}, {"seq", std::to_string(op.header.seq)}})
                << "\n";
    }
    return Status::Ok();
  });

  CLI::App* show = node_cmd->add_subcommand("show", Tr("Show this node's description"));
  OnRun(show, ctx, [&ctx]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(NodeBody body, CurrentDescription(*node));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"node_id", Base32Encode(node->id())},
                            {"name", body.name},
                            {"addresses", body.addresses}});
      return Status::Ok();
    }
    std::string addresses;
    for (const auto& a : body.addresses) addresses += (addresses.empty() ? "" : " ") + a;
    PrintFields(std::cout, {{Tr("node"), Base32Encode(node->id())},
                            {Tr("name"), body.name},
                            {Tr("addresses"), addresses.empty() ? "-" : addresses}});
    return Status::Ok();
  });
}

}  // namespace nanse::cli
