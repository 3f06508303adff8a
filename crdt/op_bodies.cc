#include "crdt/op_bodies.h"

#include "crdt/msgpack_io.h"

namespace nanse {
namespace {

using detail::MapReader;
using detail::MsgpackWriter;

}  // namespace

Status ValidateName(std::string_view name, const std::string& field) {
  if (name.empty()) return Status::Malformed(field, "expected a non-empty name");
  if (name.size() > kMaxNameLength) {
    return Status::Malformed(field, "expected at most " + std::to_string(kMaxNameLength) +
                                        " bytes, got " + std::to_string(name.size()));
  }
  if (!detail::IsValidUtf8(name)) return Status::Malformed(field, "expected valid UTF-8");
  for (char ch : name) {
    auto c = static_cast<uint8_t>(ch);
    if (c < 0x20 || c == 0x7f)
      return Status::Malformed(field, "control characters are not allowed");
  }
  return Status::Ok();
}

Status ValidateAddress(std::string_view address, const std::string& field) {
  const std::string expected = "expected HOST:PORT (a name, IPv4 or [IPv6] and a port 1-65535)";
  if (address.empty() || address.size() > kMaxAddressLength) {
    return Status::Malformed(field, expected);
  }
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) {
    return Status::Malformed(field, expected + ", got '" + std::string(address) + "'");
  }
  std::string_view host = address.substr(0, colon);
  std::string_view port = address.substr(colon + 1);
  if (port.size() > 5) return Status::Malformed(field, expected);
  uint32_t port_value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return Status::Malformed(field, expected);
    port_value = port_value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (port_value == 0 || port_value > 65535) {
    return Status::Malformed(field, "port must be 1-65535, got " + std::string(port));
  }
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) return Status::Malformed(field, expected);
    for (char c : host.substr(1, host.size() - 2)) {
      bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                c == ':' || c == '.';
      if (!ok)
        return Status::Malformed(field, "invalid IPv6 address in '" + std::string(address) + "'");
    }
    return Status::Ok();
  }
  for (char c : host) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '.';
    if (!ok) {
      return Status::Malformed(field, "invalid character in host '" + std::string(host) + "'");
    }
  }
  return Status::Ok();
}

Bytes EncodeGenesisBody(const GenesisBody& body) {
  MsgpackWriter w;
  w.Map(1);
  w.Str("name");
  w.Str(body.network_name);
  return w.Take();
}

Result<GenesisBody> DecodeGenesisBody(ByteView bytes) {
  const std::string f = "op.body";
  auto handle = detail::UnpackExactlyOne(bytes, f, 16);
  if (!handle.ok()) return handle.status();
  auto map = MapReader::Open(handle->get(), f, {"name"});
  if (!map.ok()) return map.status();
  auto name_obj = map->Require("name");
  if (!name_obj.ok()) return name_obj.status();
  auto name = detail::ReadText(**name_obj, map->FieldName("name"), kMaxNameLength);
  if (!name.ok()) return name.status();
  return GenesisBody{*name};
}

Bytes EncodeNodeBody(const NodeBody& body) {
  MsgpackWriter w;
  w.Map(2);
  w.Str("name");
  w.Str(body.name);
  w.Str("addrs");
  w.Array(static_cast<uint32_t>(body.addresses.size()));
  for (const auto& a : body.addresses) w.Str(a);
  return w.Take();
}

Result<NodeBody> DecodeNodeBody(ByteView bytes) {
  const std::string f = "op.body";
  auto handle = detail::UnpackExactlyOne(bytes, f, 16);
  if (!handle.ok()) return handle.status();
  auto map = MapReader::Open(handle->get(), f, {"name", "addrs"});
  if (!map.ok()) return map.status();
  NodeBody body;
  auto name_obj = map->Require("name");
  if (!name_obj.ok()) return name_obj.status();
  auto name = detail::ReadText(**name_obj, map->FieldName("name"), kMaxNameLength);
  if (!name.ok()) return name.status();
  body.name = *name;
  if (const msgpack::object* addrs = map->Find("addrs")) {
    const std::string af = map->FieldName("addrs");
    if (addrs->type != msgpack::type::ARRAY) {
      return Status::Malformed(af, "expected an array, got " + detail::TypeName(*addrs));
    }
    if (addrs->via.array.size > kMaxAddresses) {
      return Status::Malformed(af, "expected at most " + std::to_string(kMaxAddresses) +
                                       " addresses, got " + std::to_string(addrs->via.array.size));
    }
    for (uint32_t i = 0; i < addrs->via.array.size; ++i) {
      const std::string ef = af + "[" + std::to_string(i) + "]";
      auto addr = detail::ReadText(addrs->via.array.ptr[i], ef, kMaxAddressLength);
      if (!addr.ok()) return addr.status();
      NANSE_RETURN_IF_ERROR(ValidateAddress(*addr, ef));
      body.addresses.push_back(*addr);
    }
  }
  return body;
}

bool IsKnownOpType(std::string_view type) { return type == "genesis" || type == "node"; }

Status ValidateOpBody(const std::string& type, ByteView body) {
  if (type == "genesis") return DecodeGenesisBody(body).status();
  if (type == "node") return DecodeNodeBody(body).status();
  return Status::Malformed("op.header.type",
                           "unknown op type '" + type + "' (this version knows: genesis, node)");
}

}  // namespace nanse
