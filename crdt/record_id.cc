#include "crdt/record_id.h"

namespace nanse {

std::string FormatUuid(const RecordId& id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[id[i] >> 4]);
    out.push_back(kHex[id[i] & 15]);
  }
  return out;
}

Result<RecordId> ParseUuid(std::string_view text, const std::string& field) {
  const std::string expected = "expected a UUID like 8c1fa0d2-7b3e-4c55-9a0e-1d2f3a4b5c6d";
  if (text.size() != 36) return Status::Malformed(field, expected);
  RecordId id{};
  size_t nibble = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return Status::Malformed(field, expected);
      continue;
    }
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      return Status::Malformed(field, expected);
    }
    id[nibble / 2] = static_cast<uint8_t>(id[nibble / 2] | (v << (nibble % 2 ? 0 : 4)));
    ++nibble;
  }
  return id;
}

RecordId MakeUuidV4(std::array<uint8_t, 16> b) {
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  return b;
}

}  // namespace nanse
