// One Setup function per noun; cli/main.cc lists them all.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace nanse::cli {

void SetupInit(CLI::App& app, Context& ctx);    // init, join, invite
void SetupStatus(CLI::App& app, Context& ctx);  // status
void SetupLog(CLI::App& app, Context& ctx);     // log
void SetupNode(CLI::App& app, Context& ctx);    // node set|show
void SetupBundle(CLI::App& app, Context& ctx);  // bundle export|import|vector

}  // namespace nanse::cli
