#include "crdt/msgpack_io.h"

#include "crdt/text_rules.h"

#include <algorithm>

namespace nanse::detail {
namespace {

// A first pass over the input that allocates nothing. Every element of every container takes at
// least one byte of its own, so all containers together cannot hold more elements than the
// input has bytes. msgpack-c allocates room for a container's elements as soon as it reads the
// header, so without this check a few nested headers claiming max_items each would make it
// allocate max_items * depth objects from a few dozen bytes.
class ClaimBudget : public msgpack::null_visitor {
 public:
  explicit ClaimBudget(uint64_t bytes) : left_(bytes) {}
  bool start_array(uint32_t n) { return Claim(n); }
  bool start_map(uint32_t n) { return Claim(uint64_t{n} * 2); }
  bool exceeded() const { return exceeded_; }

 private:
  bool Claim(uint64_t n) {
    if (n > left_) {
      exceeded_ = true;
      return false;  // stops the parse
    }
    left_ -= n;
    return true;
  }
  uint64_t left_;
  bool exceeded_ = false;
};

}  // namespace

Result<msgpack::object_handle> UnpackExactlyOne(ByteView bytes, const std::string& field,
                                                uint32_t max_items) {
  if (bytes.empty()) return Status::Malformed(field, "expected msgpack data, got 0 bytes");
  const msgpack::unpack_limit limit(/*array=*/max_items, /*map=*/max_items,
                                    /*str=*/static_cast<uint32_t>(bytes.size()),
                                    /*bin=*/static_cast<uint32_t>(bytes.size()), /*ext=*/0,
                                    /*depth=*/8);
  size_t offset = 0;
  msgpack::object_handle handle;
  try {
    ClaimBudget budget(bytes.size());
    size_t probe_offset = 0;
    msgpack::parse(reinterpret_cast<const char*>(bytes.data()), bytes.size(), probe_offset, budget);
    if (budget.exceeded()) {
      return Status::Malformed(field, "truncated msgpack data (" + std::to_string(bytes.size()) +
                                          " bytes, fewer than its containers claim)");
    }
    handle = msgpack::unpack(reinterpret_cast<const char*>(bytes.data()), bytes.size(), offset,
                             nullptr, nullptr, limit);
  } catch (const msgpack::insufficient_bytes&) {
    return Status::Malformed(field,
                             "truncated msgpack data (" + std::to_string(bytes.size()) + " bytes)");
  } catch (const std::exception& e) {
    return Status::Malformed(field, std::string("invalid msgpack data: ") + e.what());
  }
  if (offset != bytes.size()) {
    return Status::Malformed(field, std::to_string(bytes.size() - offset) +
                                        " unexpected trailing bytes after the msgpack value");
  }
  return handle;
}

std::string TypeName(const msgpack::object& o) {
  switch (o.type) {
    case msgpack::type::NIL:
      return "nil";
    case msgpack::type::BOOLEAN:
      return "bool";
    case msgpack::type::POSITIVE_INTEGER:
      return "unsigned integer";
    case msgpack::type::NEGATIVE_INTEGER:
      return "negative integer";
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
      return "float";
    case msgpack::type::STR:
      return "str";
    case msgpack::type::BIN:
      return "bin";
    case msgpack::type::ARRAY:
      return "array";
    case msgpack::type::MAP:
      return "map";
    case msgpack::type::EXT:
      return "ext";
  }
  return "unknown";
}

Status ExpectArray(const msgpack::object& o, uint32_t size, const std::string& field) {
  if (o.type != msgpack::type::ARRAY) {
    return Status::Malformed(
        field, "expected an array of " + std::to_string(size) + " elements, got " + TypeName(o));
  }
  if (o.via.array.size != size) {
    return Status::Malformed(field, "expected an array of " + std::to_string(size) +
                                        " elements, got " + std::to_string(o.via.array.size));
  }
  return Status::Ok();
}

Result<uint64_t> ReadUint(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::POSITIVE_INTEGER) {
    return Status::Malformed(field, "expected an unsigned integer, got " + TypeName(o));
  }
  return o.via.u64;
}

Result<int64_t> ReadInt(const msgpack::object& o, const std::string& field) {
  if (o.type == msgpack::type::NEGATIVE_INTEGER) return o.via.i64;
  if (o.type == msgpack::type::POSITIVE_INTEGER) {
    if (o.via.u64 > static_cast<uint64_t>(INT64_MAX)) {
      return Status::Malformed(field, "expected an integer that fits 64 signed bits");
    }
    return static_cast<int64_t>(o.via.u64);
  }
  return Status::Malformed(field, "expected an integer, got " + TypeName(o));
}

Result<bool> ReadBool(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::BOOLEAN) {
    return Status::Malformed(field, "expected a bool, got " + TypeName(o));
  }
  return o.via.boolean;
}

Result<Bytes> ReadBin(const msgpack::object& o, const std::string& field, size_t max_size) {
  if (o.type != msgpack::type::BIN) {
    return Status::Malformed(field, "expected bin, got " + TypeName(o));
  }
  if (o.via.bin.size > max_size) {
    return Status::Malformed(field, "expected at most " + std::to_string(max_size) +
                                        " bytes, got " + std::to_string(o.via.bin.size));
  }
  auto* p = reinterpret_cast<const uint8_t*>(o.via.bin.ptr);
  return Bytes(p, p + o.via.bin.size);
}

Result<Hash> ReadBin32(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::BIN) {
    return Status::Malformed(field, "expected 32 bytes of bin, got " + TypeName(o));
  }
  if (o.via.bin.size != 32) {
    return Status::Malformed(field, "expected 32 bytes, got " + std::to_string(o.via.bin.size));
  }
  return ToArray<32>({reinterpret_cast<const uint8_t*>(o.via.bin.ptr), 32});
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<uint8_t>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      return false;
    }
    i += len;
  }
  return true;
}

Result<std::string> ReadText(const msgpack::object& o, const std::string& field, size_t max_len,
                             bool multiline) {
  if (o.type != msgpack::type::STR) {
    return Status::Malformed(field, "expected a string, got " + TypeName(o));
  }
  std::string_view s(o.via.str.ptr, o.via.str.size);
  NANSE_RETURN_IF_ERROR(CheckText(s, field, max_len, multiline));
  return std::string(s);
}

Result<MapReader> MapReader::Open(const msgpack::object& o, const std::string& field,
                                  std::vector<std::string> known_keys) {
  if (o.type != msgpack::type::MAP) {
    return Status::Malformed(field, "expected a map, got " + TypeName(o));
  }
  MapReader reader;
  reader.field_ = field;
  for (uint32_t i = 0; i < o.via.map.size; ++i) {
    const msgpack::object_kv& kv = o.via.map.ptr[i];
    if (kv.key.type != msgpack::type::STR) {
      return Status::Malformed(field, "expected string keys, got " + TypeName(kv.key));
    }
    std::string_view key(kv.key.via.str.ptr, kv.key.via.str.size);
    if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end()) {
      return Status::Malformed(field + "." + std::string(key), "unknown key");
    }
    for (const auto& [seen, unused] : reader.entries_) {
      if (seen == key) return Status::Malformed(field + "." + std::string(key), "repeated key");
    }
    reader.entries_.emplace_back(key, &kv.val);
  }
  return reader;
}

const msgpack::object* MapReader::Find(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return v;
  }
  return nullptr;
}

Result<const msgpack::object*> MapReader::Require(std::string_view key) const {
  const msgpack::object* o = Find(key);
  if (!o) return Status::Malformed(FieldName(key), "required, but missing");
  return o;
}

}  // namespace nanse::detail
