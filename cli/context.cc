#include "cli/context.h"

#include <cstdlib>
#include <iostream>

#include "cli/tr.h"

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
  // Status::ToString(), with the separator in the interface language's typography.
  const std::string message =
      status.detail().empty()
          ? status.field()
          : Fill(Tr("{field}: {detail}"), {{"field", status.field()}, {"detail", status.detail()}});
  std::cerr << Fill(Tr("nanse: error: {message}"), {{"message", message}}) << "\n";
  return status.code() == Status::Code::kUsage ? kExitUsage : kExitFailure;
}

void OnRun(CLI::App* command, Context& ctx, std::function<Status()> body) {
  command->callback([&ctx, body = std::move(body)] {
    Status s = body();
    if (!s.ok()) ctx.exit_code = ReportError(s);
  });
}

}  // namespace nanse::cli
