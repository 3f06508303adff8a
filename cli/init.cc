// nanse init | join | invite: making and entering a network.
#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/passphrase.h"
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

// nanse init --restore FILE: a new home from a key backup.
Status RunRestore(Context& ctx, const std::string& file) {
  // Refuse what can be refused before asking for the passphrase.
  NANSE_RETURN_IF_ERROR(HomeDir(ctx.HomePath()).CheckNew());
  NANSE_ASSIGN_OR_RETURN(const Bytes bytes, ReadWholeFile(file, kMaxKeyBackupBytes));
  NANSE_RETURN_IF_ERROR(CheckKeyBackupFile(bytes, "key backup " + file));
  NANSE_ASSIGN_OR_RETURN(Passphrase passphrase,
                         ReadPassphrase(Tr("Passphrase of the key backup: "), false));
  NANSE_ASSIGN_OR_RETURN(
      auto node, Node::Restore(ctx.HomePath(), file, passphrase.view(), ctx.clock, ctx.random));
  NANSE_ASSIGN_OR_RETURN(const auto wait, node->RestoreWaiting());
  const uint64_t seq = wait ? wait->seq : 0;
  if (ctx.format == Format::kJson) {
    PrintJson(std::cout, {{"home", node->home().path()},
                          {"node_id", Base32Encode(node->id())},
                          {"network_id", Base32Encode(node->network().id)},
                          {"network_name", node->network().name},
                          {"awaiting_seq", seq}});
    return Status::Ok();
  }
  std::cout << Fill(Tr("restored node {node} of network '{network}' ({id}) in {home}"),
                    {{"node", ShortId(node->id())},
                     {"network", node->network().name},
                     {"id", ShortId(node->network().id)},
                     {"home", node->home().path()}})
            << "\n"
            << Fill(Tr("Before it authors anything it must learn its own latest op (seq {seq} "
                       "or later): import a bundle from another node of the network ('nanse "
                       "bundle import FILE') or sync with a peer."),
                    {{"seq", std::to_string(seq)}})
            << "\n";
  return Status::Ok();
}

}  // namespace

void SetupInit(CLI::App& app, Context& ctx) {
  struct InitOptions {
    std::string network;
    std::string name;
    std::string restore;
  };
  auto init_opts = std::make_shared<InitOptions>();
  CLI::App* init =
      app.add_subcommand("init", Tr("Make a new network, with this node as its first"));
  CLI::Option* network =
      init->add_option("--network", init_opts->network, Tr("The network's name"));
  CLI::Option* name = init->add_option("--name", init_opts->name,
                                       Tr("This node's display name (default: host name)"));
  init->add_option("--restore", init_opts->restore,
                   Tr("Instead, make this node again from a key backup file ('nanse key "
                      "export'); the passphrase is asked on the terminal or read from "
                      "NANSE_PASSPHRASE"))
      ->excludes(network)
      ->excludes(name);
  OnRun(init, ctx, [&ctx, init_opts, network]() -> Status {
    if (!init_opts->restore.empty()) return RunRestore(ctx, init_opts->restore);
    if (network->count() == 0) {
      return Status::Usage("init", Tr("give --network NAME to make a network, or --restore "
                                      "FILE to restore a node from a key backup"));
    }
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

  SetupInvite(app, ctx);
}

}  // namespace nanse::cli
