// Record ids: random 128-bit values made by the authoring node, shown as UUIDs.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "crdt/bytes.h"
#include "crdt/status.h"

namespace nanse {

using RecordId = std::array<uint8_t, 16>;

// "8c1fa0d2-7b3e-4c55-9a0e-1d2f3a4b5c6d" (lowercase, hyphens 8-4-4-4-12).
std::string FormatUuid(const RecordId& id);
// Accepts the hyphenated form in either case; `field` names the input in errors.
Result<RecordId> ParseUuid(std::string_view text, const std::string& field);
// Stamps the version (4) and variant bits of RFC 9562 into 16 random bytes.
RecordId MakeUuidV4(std::array<uint8_t, 16> random_bytes);

}  // namespace nanse
