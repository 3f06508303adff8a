#include "crdt/directory_codec.h"

namespace nanse::detail {

Result<RecordId> ReadId(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::BIN || o.via.bin.size != 16) {
    return Status::Malformed(field, "expected a 16-byte record id");
  }
  return ToArray<16>({reinterpret_cast<const uint8_t*>(o.via.bin.ptr), 16});
}

Result<std::string> ReadChoice(const msgpack::object& o, const std::string& field,
                               std::span<const std::string_view> choices) {
  if (o.type != msgpack::type::STR ||
      std::find(choices.begin(), choices.end(), StrOf(o)) == choices.end()) {
    std::string list;
    for (auto c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    return Status::Malformed(field, "expected one of " + list);
  }
  return std::string(StrOf(o));
}

Result<Date> ReadDate(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::STR) return Status::Malformed(field, "expected a date string");
  return ParseDate(StrOf(o), field);
}

Result<std::vector<Hash>> ReadReplaces(const MapReader& map) {
  std::vector<Hash> out;
  const msgpack::object* o = map.Find("replaces");
  if (!o) return out;
  const std::string f = map.FieldName("replaces");
  if (o->type != msgpack::type::ARRAY || o->via.array.size > kMaxReplaces) {
    return Status::Malformed(
        f, "expected a list of at most " + std::to_string(kMaxReplaces) + " op ids");
  }
  for (uint32_t i = 0; i < o->via.array.size; ++i) {
    auto h = detail::ReadBin32(o->via.array.ptr[i], f + "[" + std::to_string(i) + "]");
    if (!h.ok()) return h.status();
    out.push_back(*h);
  }
  return out;
}

Bytes EncodeValue(const msgpack::object& o) {
  msgpack::sbuffer buffer;
  msgpack::pack(buffer, o);
  return Bytes(reinterpret_cast<const uint8_t*>(buffer.data()),
               reinterpret_cast<const uint8_t*>(buffer.data()) + buffer.size());
}

// Checks one register write of `table` (field known, kind-appropriate, value valid).

// Opens a body that is a map holding one list `key` of 1..kMaxRecordsPerOp items; returns the
// list and its field name.
Result<std::pair<const msgpack::object*, std::string>> BodyList(const msgpack::object& root,
                                                                const std::string& key,
                                                                const std::string& what) {
  auto map = MapReader::Open(root, "op.body", {key});
  if (!map.ok()) return map.status();
  auto arr = map->Require(key);
  if (!arr.ok()) return arr.status();
  const std::string f = map->FieldName(key);
  if ((*arr)->type != msgpack::type::ARRAY || (*arr)->via.array.size == 0 ||
      (*arr)->via.array.size > kMaxRecordsPerOp) {
    return Status::Malformed(
        f, "expected a list of 1 to " + std::to_string(kMaxRecordsPerOp) + " " + what);
  }
  return std::make_pair(*arr, f);
}

void WriteReplaces(MsgpackWriter& w, const std::vector<Hash>& replaces) {
  w.Str("replaces");
  w.Array(static_cast<uint32_t>(replaces.size()));
  for (const Hash& hash : replaces) w.Bin(hash);
}

}  // namespace nanse::detail
