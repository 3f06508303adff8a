// nanse: the command line. Arguments and output only; the work is in node/.
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  nanse::cli::Context ctx;
  CLI::App app{"nanse: a peer-to-peer, offline-first member directory", "nanse"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: nanse log --format json
  app.set_version_flag("--version", "nanse 0.1.0");
  app.add_option("--home", ctx.home,
                 "Node home directory (default: $NANSE_HOME or "
                 "~/.local/share/nanse)");
  app.add_option("--format", ctx.format, "Output format")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, nanse::cli::Format>{{"table", nanse::cli::Format::kTable},
                                                    {"json", nanse::cli::Format::kJson}},
          CLI::ignore_case));

  nanse::cli::SetupInit(app, ctx);
  nanse::cli::SetupStatus(app, ctx);
  nanse::cli::SetupLog(app, ctx);
  nanse::cli::SetupNode(app, ctx);
  nanse::cli::SetupBundle(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : nanse::cli::kExitUsage;
  }
  return ctx.exit_code;
}
