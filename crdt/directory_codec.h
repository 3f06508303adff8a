// Pieces shared by the decoders of directory ops (crdt/directory_ops.cc, crdt/dues_ops.cc).
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "crdt/date.h"
#include "crdt/directory_ops.h"
#include "crdt/msgpack_io.h"

namespace nanse::detail {

template <size_t N>
bool OneOf(std::string_view v, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

inline std::string_view StrOf(const msgpack::object& o) { return {o.via.str.ptr, o.via.str.size}; }

Result<RecordId> ReadId(const msgpack::object& o, const std::string& field);
Result<std::string> ReadChoice(const msgpack::object& o, const std::string& field,
                               std::span<const std::string_view> choices);
Result<Date> ReadDate(const msgpack::object& o, const std::string& field);
// The optional "replaces" list of op ids of a body map.
Result<std::vector<Hash>> ReadReplaces(const MapReader& map);
// Re-encodes a value in canonical msgpack.
Bytes EncodeValue(const msgpack::object& o);
// Opens a body that is a map holding one list `key` of 1..kMaxRecordsPerOp items; returns the
// list and its field name.
Result<std::pair<const msgpack::object*, std::string>> BodyList(const msgpack::object& root,
                                                                const std::string& key,
                                                                const std::string& what);
void WriteReplaces(MsgpackWriter& w, const std::vector<Hash>& replaces);

// The decoders of the dues op bodies, for DecodeDirectoryOp.
Result<DirectoryChange> DecodeScheduleOp(const msgpack::object& root);
Result<DirectoryChange> DecodeLedgerOp(const msgpack::object& root);

}  // namespace nanse::detail
