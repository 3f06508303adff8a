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

Result<std::unique_ptr<Node>> Context::OpenNode() {
  NANSE_ASSIGN_OR_RETURN(auto node, Node::Open(HomePath(), clock, random));
  if (force) {
    NANSE_ASSIGN_OR_RETURN(const auto wait, node->RestoreWaiting());
    if (wait) {
      node->ForceAuthoring();
      std::cerr << Fill(Tr("nanse: warning: --force: this node was restored from a key backup "
                           "and does not hold its own ops up to seq {seq}; if its key signed "
                           "ops elsewhere that this node lacks, what it authors now forks its "
                           "chain, and every node then refuses its ops"),
                        {{"seq", std::to_string(wait->seq)}})
                << "\n";
    }
  }
  return node;
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
