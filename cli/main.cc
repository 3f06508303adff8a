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

// CLI11's own words in --help (titles, placeholders, the help and version flags), in the
// interface language. Subcommands made afterwards inherit all of it.
void TranslateHelp(CLI::App& app) {
  using nanse::cli::Tr;
  auto formatter = app.get_formatter();
  // Each Tr() spelled out, so that xgettext finds the words.
  const std::pair<const char*, const char*> labels[] = {{"Usage", Tr("Usage")},
                                                        {"OPTIONS", Tr("OPTIONS")},
                                                        {"SUBCOMMAND", Tr("SUBCOMMAND")},
                                                        {"SUBCOMMANDS", Tr("SUBCOMMANDS")},
                                                        {"REQUIRED", Tr("REQUIRED")},
                                                        {"Positionals", Tr("Positionals")},
                                                        {"TEXT", Tr("TEXT")},
                                                        {"INT", Tr("INT")},
                                                        {"UINT", Tr("UINT")},
                                                        {"FLOAT", Tr("FLOAT")}};
  for (const auto& [key, text] : labels) formatter->label(key, text);
  app.option_defaults()->group(Tr("Options"));
  app.group(Tr("Subcommands"));
  app.set_help_flag("-h,--help", Tr("Print this help message and exit"));
  app.set_version_flag("--version", "nanse 0.1.0",
                       Tr("Display program version information and exit"));
}

}  // namespace

int main(int argc, char** argv) {
  nanse::cli::SetUpTranslation(LangFromArgs(argc, argv));
  nanse::cli::Context ctx;
  using nanse::cli::Tr;
  CLI::App app{Tr("nanse: a peer-to-peer, offline-first member directory"), "nanse"};
  TranslateHelp(app);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: nanse log --format json
  app.add_option("--home", ctx.home,
                 Tr("Node home directory (default: $NANSE_HOME or ~/.local/share/nanse)"));
  app.add_option("--format", ctx.format, Tr("Output format: table, json or csv"))
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, nanse::cli::Format>{{"table", nanse::cli::Format::kTable},
                                                    {"json", nanse::cli::Format::kJson},
                                                    {"csv", nanse::cli::Format::kCsv}},
          CLI::ignore_case));

  app.add_flag("--force", ctx.force,
               Tr("Author even though this node, restored from a key backup, has not yet "
                  "learned its own latest op (this may fork its chain)"));

  std::string lang;
  app.add_option("--lang", lang, Tr("Interface language: en, fr or es (default: from the locale)"))
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
  nanse::cli::SetupDoctor(app, ctx);
  nanse::cli::SetupKey(app, ctx);
  nanse::cli::SetupServe(app, ctx);
  nanse::cli::SetupPeer(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : nanse::cli::kExitUsage;
  }
  return ctx.exit_code;
}
