// What every subcommand shares: the global options, opening the node, reporting errors.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "cli/output.h"
#include "node/node.h"

namespace nanse::cli {

struct Context {
  std::string home;  // --home, or NANSE_HOME, or ~/.local/share/nanse
  Format format = Format::kTable;
  bool force = false;  // --force: author even while a restored node waits for its own ops
  SystemClock clock;
  SystemRandom random;
  int exit_code = 0;

  std::string HomePath() const;
  // Opens the node. With --force, a node restored from a key backup that still waits to learn
  // its own latest op may author anyway (Node::ForceAuthoring), after a warning on stderr.
  Result<std::unique_ptr<Node>> OpenNode();
};

// Exit codes (never translated, never changed): 0 ok, 1 failure, 2 bad usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Prints "nanse: error: <field>: <detail>" to stderr (the words and separators in the interface
// language; the field and the detail as made) and returns the exit code for it.
int ReportError(const Status& status);

// Makes `body` the subcommand's action; a failed Status becomes the message and exit code.
void OnRun(CLI::App* command, Context& ctx, std::function<Status()> body);

}  // namespace nanse::cli
