// nanse init | join | invite: making and entering a network.
#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

std::string DefaultNodeName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0 && host[0]) return host;
  return "node";
}

void PrintNewNode(Context& ctx, Node& node, const char* verb) {
  if (ctx.format == Format::kJson) {
    PrintJson(std::cout, {{"home", node.home().path()},
                          {"node_id", Base32Encode(node.id())},
                          {"network_id", Base32Encode(node.network().id)},
                          {"network_name", node.network().name}});
    return;
  }
  std::cout << verb << " network '" << node.network().name << "' (" << ShortId(node.network().id)
            << ") in " << node.home().path() << "\n"
            << "node id: " << Base32Encode(node.id()) << "\n";
}

}  // namespace

void SetupInit(CLI::App& app, Context& ctx) {
  struct InitOptions {
    std::string network;
    std::string name;
  };
  auto init_opts = std::make_shared<InitOptions>();
  CLI::App* init = app.add_subcommand("init", "Make a new network, with this node as its first");
  init->add_option("--network", init_opts->network, "The network's name")->required();
  init->add_option("--name", init_opts->name, "This node's display name (default: host name)");
  OnRun(init, ctx, [&ctx, init_opts]() -> Status {
    std::string name = init_opts->name.empty() ? DefaultNodeName() : init_opts->name;
    NANSE_ASSIGN_OR_RETURN(
        auto node, Node::Init(ctx.HomePath(), init_opts->network, name, ctx.clock, ctx.random));
    PrintNewNode(ctx, *node, "made");
    return Status::Ok();
  });

  struct JoinOptions {
    std::string code;
    std::string name;
  };
  auto join_opts = std::make_shared<JoinOptions>();
  CLI::App* join = app.add_subcommand("join", "Make a node in an existing network from an invite");
  join->add_option("CODE", join_opts->code, "Invite code (nanse1:...)")->required();
  join->add_option("--name", join_opts->name, "This node's display name (default: host name)");
  OnRun(join, ctx, [&ctx, join_opts]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto code, DecodeInviteCode(join_opts->code));
    std::string name = join_opts->name.empty() ? DefaultNodeName() : join_opts->name;
    NANSE_ASSIGN_OR_RETURN(auto node,
                           Node::Join(ctx.HomePath(), code, name, ctx.clock, ctx.random));
    PrintNewNode(ctx, *node, "joined");
    return Status::Ok();
  });

  auto peers = std::make_shared<std::vector<std::string>>();
  CLI::App* invite = app.add_subcommand("invite", "Print an invite code for this network");
  invite->add_option("--peer", *peers, "HOST:PORT where the new node can reach a peer");
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
