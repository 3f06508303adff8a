#include "crdt/op_bodies.h"

#include "crdt/directory_ops.h"
#include "crdt/membership.h"
#include "crdt/msgpack_io.h"
#include "crdt/text_rules.h"

namespace nanse {
namespace {

using detail::MapReader;
using detail::MsgpackWriter;

}  // namespace

Status ValidateName(std::string_view name, const std::string& field) {
  return CheckText(name, field, kMaxNameLength);
}

Status ValidateAddress(std::string_view address, const std::string& field) {
  return CheckHostPort(address, field);
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

bool IsKnownOpType(std::string_view type) {
  return type == "genesis" || type == "node" || IsDirectoryOpType(type) || IsMembershipOpType(type);
}

Status ValidateOpBody(const std::string& type, ByteView body) {
  if (type == "genesis") return DecodeGenesisBody(body).status();
  if (type == "node") return DecodeNodeBody(body).status();
  if (IsDirectoryOpType(type)) return DecodeDirectoryOp(type, body).status();
  if (IsMembershipOpType(type)) return ValidateMembershipBody(type, body);
  return Status::Malformed("op.header.type", "unknown op type '" + type + "'");
}

}  // namespace nanse
