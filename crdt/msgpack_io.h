// Strict msgpack reading and canonical writing, shared by every decoder in crdt/.
//
// Readers take bytes from outside (a peer, a file), so they: bound every container and
// string (msgpack-c's unpack_limit), reject trailing bytes, check the exact type and size of
// each field, and name the field in every error. Writers always produce msgpack-c's smallest
// encoding; decoders of signed structures compare against it so one value has one encoding.
#pragma once

#define MSGPACK_NO_BOOST 1
#include <msgpack.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/status.h"

namespace nanse::detail {

// Writes msgpack into an owned byte buffer.
class MsgpackWriter {
 public:
  MsgpackWriter() : packer_(&buffer_) {}
  void Array(uint32_t n) { packer_.pack_array(n); }
  void Map(uint32_t n) { packer_.pack_map(n); }
  void Uint(uint64_t v) { packer_.pack_uint64(v); }
  void Int(int64_t v) { packer_.pack_int64(v); }
  void Bool(bool v) { v ? packer_.pack_true() : packer_.pack_false(); }
  void Nil() { packer_.pack_nil(); }
  void Str(std::string_view s) {
    packer_.pack_str(static_cast<uint32_t>(s.size()));
    packer_.pack_str_body(s.data(), static_cast<uint32_t>(s.size()));
  }
  // Appends already-encoded msgpack (a value kept as canonical bytes).
  void Raw(ByteView encoded) {
    buffer_.write(reinterpret_cast<const char*>(encoded.data()), encoded.size());
  }
  void Bin(ByteView b) {
    packer_.pack_bin(static_cast<uint32_t>(b.size()));
    packer_.pack_bin_body(reinterpret_cast<const char*>(b.data()), static_cast<uint32_t>(b.size()));
  }
  Bytes Take() const {
    return Bytes(reinterpret_cast<const uint8_t*>(buffer_.data()),
                 reinterpret_cast<const uint8_t*>(buffer_.data()) + buffer_.size());
  }

 private:
  msgpack::sbuffer buffer_;
  msgpack::packer<msgpack::sbuffer> packer_;
};

// Parses exactly one msgpack value that must span all of `bytes`. Containers hold at most
// `max_items` entries, all containers together no more elements than the input has bytes, and
// nesting is at most 8 deep, so a hostile length cannot make the parser allocate more than the
// input justifies.
Result<msgpack::object_handle> UnpackExactlyOne(ByteView bytes, const std::string& field,
                                                uint32_t max_items = 4096);

// The name of a msgpack type, for error messages ("expected bin, got str").
std::string TypeName(const msgpack::object& o);

Status ExpectArray(const msgpack::object& o, uint32_t size, const std::string& field);
Result<uint64_t> ReadUint(const msgpack::object& o, const std::string& field);
Result<int64_t> ReadInt(const msgpack::object& o, const std::string& field);
Result<bool> ReadBool(const msgpack::object& o, const std::string& field);
Result<Bytes> ReadBin(const msgpack::object& o, const std::string& field, size_t max_size);
Result<Hash> ReadBin32(const msgpack::object& o, const std::string& field);
// A UTF-8 string of 1..max_len bytes without control characters (tab and newline are
// refused too unless `multiline`).
Result<std::string> ReadText(const msgpack::object& o, const std::string& field, size_t max_len,
                             bool multiline = false);

bool IsValidUtf8(std::string_view s);

// Reads a msgpack map with string keys, strictly: every key known, none repeated, required
// keys present. Get* return the value or nullopt when an optional key is absent.
class MapReader {
 public:
  static Result<MapReader> Open(const msgpack::object& o, const std::string& field,
                                std::vector<std::string> known_keys);
  const msgpack::object* Find(std::string_view key) const;
  // Fails naming `<field>.<key>` when the key is absent.
  Result<const msgpack::object*> Require(std::string_view key) const;
  std::string FieldName(std::string_view key) const { return field_ + "." + std::string(key); }

 private:
  std::string field_;
  std::vector<std::pair<std::string_view, const msgpack::object*>> entries_;
};

}  // namespace nanse::detail
