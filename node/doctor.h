// Doctor: what a node's operator should know about the log it holds (ARCHITECTURE section 3,
// issue 4's `nanse doctor`): equivocating nodes with their proof, clocks far from this node's,
// a damaged database, a restore still waiting. A read-only report.
#pragma once

#include <string>
#include <vector>

#include "node/store.h"

namespace nanse {

struct Finding {
  std::string code;     // stable: "equivocation", "clock_ahead", "clock_behind", "database", ...
  std::string subject;  // the node id (base32) or "database"
  std::string detail;   // English detail with the figures
  std::vector<std::string> op_ids;  // base32 op ids that prove or show it
};

// How far from this node's wall clock an author's timestamps may be before they are reported.
inline constexpr int64_t kClockToleranceMillis = 24LL * 3600 * 1000;

Result<std::vector<Finding>> Diagnose(Store& store, int64_t now_millis);

}  // namespace nanse
