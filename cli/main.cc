// nanse: the command line. Arguments and output only; the work is in node/.
#include <iostream>

#include "cli/commands.h"
#include "cli/tr.h"

namespace {

// --lang must be known before the commands' help texts are made, so it is read first.
std::string LangFromArgs(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--lang" && i + 1 < argc) return argv[i + 1];
    if (a.rfind("--lang=", 0) == 0) return a.substr(7);
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  nanse::cli::SetUpTranslation(LangFromArgs(argc, argv));
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
                                                    {"json", nanse::cli::Format::kJson},
                                                    {"csv", nanse::cli::Format::kCsv}},
          CLI::ignore_case));

  std::string lang;
  app.add_option("--lang", lang, "Interface language (default: from the locale)")
      ->check(CLI::IsMember({"en", "fr", "es"}));

  nanse::cli::SetupInit(app, ctx);
  nanse::cli::SetupStatus(app, ctx);
  nanse::cli::SetupLog(app, ctx);
  nanse::cli::SetupNode(app, ctx);
  nanse::cli::SetupBundle(app, ctx);
  nanse::cli::SetupMember(app, ctx);
  nanse::cli::SetupProject(app, ctx);
  nanse::cli::SetupDues(app, ctx);
  nanse::cli::SetupConflicts(app, ctx);
  nanse::cli::SetupRebuild(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : nanse::cli::kExitUsage;
  }
  return ctx.exit_code;
}
