// nanse status: who this node is, which network, and what its log holds.
#include <iostream>

#include "cli/commands.h"
#include "cli/peer.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {

void SetupStatus(CLI::App& app, Context& ctx) {
  CLI::App* status = app.add_subcommand("status", Tr("Show this node, its network and its log"));
  OnRun(status, ctx, [&ctx]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    NANSE_ASSIGN_OR_RETURN(auto stats, node->store().Stats());
    NANSE_ASSIGN_OR_RETURN(auto heads, node->store().Heads());
    NANSE_ASSIGN_OR_RETURN(auto hlc, node->store().CurrentHlc());
    NANSE_ASSIGN_OR_RETURN(auto wait, node->RestoreWaiting());
    NANSE_ASSIGN_OR_RETURN(const MembershipView view, node->Membership());
    NANSE_ASSIGN_OR_RETURN(const auto peers, GatherPeers(*node));
    // This node's standing: its role, or why it has none (yet).
    std::string role = "pending";
    if (auto self = view.nodes.find(node->id()); self != view.nodes.end()) {
      role = self->second.revoked_after_seq ? "revoked" : self->second.role;
    }

    if (ctx.format == Format::kJson) {
      nlohmann::json j_heads = nlohmann::json::array();
      for (const Head& h : heads) {
        j_heads.push_back({{"author", Base32Encode(h.author)},
                           {"seq", h.seq},
                           {"op_id", Base32Encode(h.op_id)},
                           {"fork_seq", h.fork_seq ? nlohmann::json(*h.fork_seq) : nullptr}});
      }
      PrintJson(std::cout, {{"node_id", Base32Encode(node->id())},
                            {"home", node->home().path()},
                            {"network_id", Base32Encode(node->network().id)},
                            {"network_name", node->network().name},
                            {"role", role},
                            {"ops", stats.ops},
                            {"authors", stats.authors},
                            {"forked_authors", stats.forked_authors},
                            {"log_bytes", stats.bytes},
                            {"hlc", hlc.packed()},
                            {"restore_wait_seq", wait ? nlohmann::json(wait->seq) : nullptr},
                            {"heads", j_heads},
                            {"peers", PeersJson(peers)}});
      return Status::Ok();
    }
    std::vector<std::pair<std::string, std::string>> fields = {
        {Tr("node"), Base32Encode(node->id())},
        {Tr("home"), node->home().path()},
        {Tr("network"), node->network().name + " (" + Base32Encode(node->network().id) + ")"},
        {Tr("role"), role == "pending" ? Tr("pending: its admission has not reached this node "
                                            "yet (import a bundle from an admin, or sync)")
                                       : role},
        {Tr("ops"), Fill(Tr("{ops} from {authors} authors, {bytes} bytes"),
                         {{"ops", std::to_string(stats.ops)},
                          {"authors", std::to_string(stats.authors)},
                          {"bytes", std::to_string(stats.bytes)}})},
        {Tr("clock"),
         FormatTime(static_cast<int64_t>(hlc.millis())) + " +" + std::to_string(hlc.counter())}};
    if (wait) {
      fields.push_back({Tr("restored"), Fill(Tr("from a key backup; may not author until it "
                                                "holds its own ops up to seq {seq} (import a "
                                                "bundle or sync)"),
                                             {{"seq", std::to_string(wait->seq)}})});
    }
    PrintFields(std::cout, fields);
    std::cout << "\n";
    Grid table{{Tr("AUTHOR"), Tr("SEQ"), Tr("HEAD"), Tr("FORKED AT")},
               {},
               {"author", "seq", "head", "fork_seq"}};
    for (const Head& h : heads) {
      const std::string author = ShortId(h.author);
      table.rows.push_back(
          {h.author == node->id() ? Fill(Tr("{id} (this node)"), {{"id", author}}) : author,
           std::to_string(h.seq), ShortId(h.op_id),
           h.fork_seq ? std::to_string(*h.fork_seq) : "-"});
    }
    PrintTable(std::cout, table);
    std::cout << "\n" << Tr("Peers:") << "\n";
    if (peers.empty()) {
      std::cout << Tr("none yet (nanse peer add HOST:PORT, then nanse serve; or nanse sync "
                      "HOST:PORT)")
                << "\n";
    } else {
      PrintTable(std::cout, PeersGrid(peers));
    }
    return Status::Ok();
  });
}

}  // namespace nanse::cli
