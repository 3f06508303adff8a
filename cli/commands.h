// One Setup function per noun; cli/main.cc lists them all.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace nanse::cli {

void SetupInit(CLI::App& app, Context& ctx);     // init (--restore), join
void SetupInvite(CLI::App& app, Context& ctx);   // invite, invite cancel|list
void SetupStatus(CLI::App& app, Context& ctx);   // status
void SetupLog(CLI::App& app, Context& ctx);      // log
void SetupNode(CLI::App& app, Context& ctx);     // node set|show
void SetupBundle(CLI::App& app, Context& ctx);   // bundle export|import|vector
void SetupMember(CLI::App& app, Context& ctx);   // member add|set|show|list|search|history|import
void SetupProject(CLI::App& app, Context& ctx);  // project add|set|show|list|join|leave
void SetupDues(CLI::App& app, Context& ctx);  // dues schedule|record|reverse|status|report|import
void SetupConflicts(CLI::App& app, Context& ctx);  // conflicts
void SetupRebuild(CLI::App& app, Context& ctx);    // rebuild
void SetupDoctor(CLI::App& app, Context& ctx);     // doctor
void SetupKey(CLI::App& app, Context& ctx);        // key export
void SetupServe(CLI::App& app, Context& ctx);      // serve, ping
void SetupPeer(CLI::App& app, Context& ctx);       // peer add|remove|list, sync

}  // namespace nanse::cli
