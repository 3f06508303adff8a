// nanse key export: a passphrase-encrypted backup of this node's key and network.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/passphrase.h"
#include "cli/tr.h"
#include "crdt/text_codec.h"

namespace nanse::cli {

void SetupKey(CLI::App& app, Context& ctx) {
  CLI::App* key = app.add_subcommand("key", Tr("Back up this node's key"));
  key->require_subcommand(1);

  auto output = std::make_shared<std::string>();
  CLI::App* exp = key->add_subcommand(
      "export", Tr("Write this node's key and network to a file encrypted with a passphrase; "
                   "'nanse init --restore FILE' makes a node from it"));
  exp->add_option("-o,--output", *output, Tr("Backup file to write (mode 0600)"))->required();
  exp->footer(
      Tr("The passphrase (at least 10 characters) is asked twice on the terminal, or "
         "read from the environment variable NANSE_PASSPHRASE."));
  OnRun(exp, ctx, [&ctx, output]() -> Status {
    NANSE_ASSIGN_OR_RETURN(auto node, ctx.OpenNode());
    // Refuse before asking for a passphrase (Node::ExportKey refuses too).
    std::error_code ec;
    if (std::filesystem::exists(*output, ec)) {
      return Status::AlreadyExists("key backup " + *output,
                                   Tr("the file already exists; refusing to overwrite it"));
    }
    NANSE_ASSIGN_OR_RETURN(Passphrase passphrase,
                           ReadPassphrase(Tr("Passphrase for the key backup: "), true));
    NANSE_ASSIGN_OR_RETURN(auto report, node->ExportKey(*output, passphrase.view()));
    if (ctx.format == Format::kJson) {
      PrintJson(std::cout, {{"file", *output},
                            {"node_id", Base32Encode(node->id())},
                            {"head_seq", report.head_seq},
                            {"bytes", report.bytes}});
      return Status::Ok();
    }
    std::cout << Fill(Tr("wrote a backup of node {id} to {file}"),
                      {{"id", ShortId(node->id())}, {"file", *output}})
              << "\n"
              << Tr("Keep the file and its passphrase apart: with both, anyone can act as this "
                    "node.")
              << "\n";
    return Status::Ok();
  });
}

}  // namespace nanse::cli
