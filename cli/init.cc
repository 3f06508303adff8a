// nanse init | join | invite: making and entering a network.
#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

std::string DefaultNodeName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0 && host[0]) return host;
  return "node";
}

// `joined`: the node entered an existing network rather than making a new one.
void PrintNewNode(Context& ctx, Node& node, bool joined) {
  if (ctx.format == Format::kJson) {
    PrintJson(std::cout, {{"home", node.home().path()},
                          {"node_id", Base32Encode(node.id())},
                          {"network_id", Base32Encode(node.network().id)},
                          {"network_name", node.network().name}});
    return;
  }
  const std::string network = node.network().name;
  const std::string id = ShortId(node.network().id);
  const std::string home = node.home().path();
  std::cout << (joined ? Fill(Tr("joined network '{network}' ({id}) in {home}"),
                              {{"network", network}, {"id", id}, {"home", home}})
                       : Fill(Tr("made network '{network}' ({id}) in {home}"),
                              {{"network", network}, {"id", id}, {"home", home}}))
            << "\n"
            << Fill(Tr("node id: {id}"), {{"id", Base32Encode(node.id())}}) << "\n";
}

}  // namespace

void SetupInit(CLI::App& app, Context& ctx) {
  struct InitOptions {
    std::string network;
    std::string name;
  };
  auto init_opts = std::make_shared<InitOptions>();
  CLI::App* init =
      app.add_subcommand("init", Tr("Make a new network, with this node as its first"));
  init->add_option("--network", init_opts->network, Tr("The network's name"))->required();
  init->add_option("--name", init_opts->name, Tr("This node's display name (default: host name)"));
  OnRun(init, ctx, [&ctx, init_opts]() -> Status {
    std::string name = init_opts->name.empty() ? DefaultNodeName() : init_opts->name;
    NANSE_ASSIGN_OR_RETURN(
        auto node, Node::Init(ctx.HomePath(), init_opts->network, name, ctx.clock, ctx.random));
    PrintNewNode(ctx, *node, false);
    return Status::Ok();
  });

  struct JoinOptions {
    std::string code;
    std::string name;
  };
  auto join_opts = std::make_shared<JoinOptions>();
  CLI::App* join =
      app.add_subcommand("join", Tr("Make a node in an existing network from an invite"));
  join->add_option("CODE", join_opts->code, Tr("Invite code (nanse1:...)"))->required();
  join->add_option("--name", join_opts->name, Tr("This node's display name (default: host name)"));
  OnRun(join, ctx, [&ctx, join_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto code, DecodeInviteCode(join_opts->code));
    std::string name = join_opts->name.empty() ? DefaultNodeName() : join_opts->name;
    NANSE_ASSIGN_OR_RETURN(auto node,
                           Node::Join(ctx.HomePath(), code, name, ctx.clock, ctx.random));
    PrintNewNode(ctx, *node, true);
    return Status::Ok();
  });

  auto peers = std::make_shared<std::vector<std::string>>();
  CLI::App* invite = app.add_subcommand("invite", Tr("Print an invite code for this network"));
  invite->add_option("--peer", *peers, Tr("HOST:PORT where the new node can reach a peer"));
  OnRun(invite, ctx, [&ctx, peers]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto code, node->MakeInvite(*peers));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"code", code}});
    } else {
      std::cout << code << "\n";
    }
    return Status::Ok();
  });
}

}  // namespace nanse::cli
