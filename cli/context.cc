#include "cli/context.h"

#include <cstdlib>
#include <iostream>

namespace nanse::cli {

std::string Context::HomePath() const {
  if (!home.empty()) return home;
  if (const char* env = std::getenv("NANSE_HOME"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/nanse";
  }
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/nanse";
  return ".nanse";
}

int ReportError(const Status& status) {
  std::cerr << "nanse: error: " << status.ToString() << "\n";
  return status.code() == Status::Code::kUsage ? kExitUsage : kExitFailure;
}

void OnRun(CLI::App* command, Context& ctx, std::function<Status()> body) {
  command->callback([&ctx, body = std::move(body)] {
    Status s = body();
    if (!s.ok()) ctx.exit_code = ReportError(s);
  });
}

}  // namespace nanse::cli
