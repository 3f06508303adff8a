// One-line summaries and JSON renderings of op bodies, for `nanse log`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "crdt/operation.h"

namespace nanse::cli {

std::string SummarizeOp(const SignedOp& op);
nlohmann::json BodyToJson(const SignedOp& op);

}  // namespace nanse::cli
