// The membership ops' bodies (docs/membership.md, "Ops"): encoding and strict decoding.
#include "crdt/membership.h"

#include <algorithm>
#include <tuple>

#include "crdt/msgpack_io.h"

namespace nanse {
namespace {

using detail::MapReader;
using detail::MsgpackWriter;

constexpr std::string_view kClaimDomain = "nanse-claim-v1";

Result<RecordId> ReadRecordId(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::BIN || o.via.bin.size != 16) {
    return Status::Malformed(field, "expected a 16-byte member id");
  }
  return ToArray<16>({reinterpret_cast<const uint8_t*>(o.via.bin.ptr), 16});
}

Result<std::string> ReadRole(const MapReader& map) {
  auto o = map.Require("role");
  if (!o.ok()) return o.status();
  if ((*o)->type != msgpack::type::STR ||
      !IsRole(std::string_view((*o)->via.str.ptr, (*o)->via.str.size))) {
    return Status::Malformed(map.FieldName("role"),
                             "expected admin, treasurer, member or observer");
  }
  return std::string((*o)->via.str.ptr, (*o)->via.str.size);
}

template <typename Fn>
auto WithMap(ByteView body, std::vector<std::string> keys, Fn fn)
    -> decltype(fn(std::declval<const MapReader&>())) {
  auto handle = detail::UnpackExactlyOne(body, "op.body", 16);
  if (!handle.ok()) return handle.status();
  auto map = MapReader::Open(handle->get(), "op.body", std::move(keys));
  if (!map.ok()) return map.status();
  return fn(*map);
}

Result<PublicKey> ReadKey(const MapReader& map, const char* key) {
  auto o = map.Require(key);
  if (!o.ok()) return o.status();
  return detail::ReadBin32(**o, map.FieldName(key));
}

// invite and role bodies share a shape: {<key_name>: bin32, "role": str, "member"?: bin16}.
Bytes EncodeKeyRoleMember(const char* key_name, const PublicKey& key, const std::string& role,
                          const std::optional<RecordId>& member) {
  MsgpackWriter w;
  w.Map(member ? 3 : 2);
  w.Str(key_name);
  w.Bin(key);
  w.Str("role");
  w.Str(role);
  if (member) {
    w.Str("member");
    w.Bin(*member);
  }
  return w.Take();
}

struct KeyRoleMember {
  PublicKey key{};
  std::string role;
  std::optional<RecordId> member;
};

Result<KeyRoleMember> DecodeKeyRoleMember(ByteView body, const char* key_name) {
  return WithMap(body, {key_name, "role", "member"},
                 [key_name](const MapReader& m) -> Result<KeyRoleMember> {
                   KeyRoleMember d;
                   NANSE_ASSIGN_OR_RETURN(d.key, ReadKey(m, key_name));
                   NANSE_ASSIGN_OR_RETURN(d.role, ReadRole(m));
                   if (const msgpack::object* member = m.Find("member")) {
                     NANSE_ASSIGN_OR_RETURN(d.member, ReadRecordId(*member, m.FieldName("member")));
                   }
                   return d;
                 });
}

}  // namespace

bool IsRole(std::string_view role) {
  return std::find(std::begin(kRoles), std::end(kRoles), role) != std::end(kRoles);
}

bool IsMembershipOpType(std::string_view type) {
  return type == "invite" || type == "invite.cancel" || type == "claim" || type == "role" ||
         type == "revoke";
}

Bytes EncodeInvite(const InviteBody& b) {
  return EncodeKeyRoleMember("ticket", b.ticket, b.role, b.member);
}

Bytes EncodeInviteCancel(const PublicKey& ticket) {
  MsgpackWriter w;
  w.Map(1);
  w.Str("ticket");
  w.Bin(ticket);
  return w.Take();
}

Bytes EncodeClaim(const ClaimBody& b) {
  MsgpackWriter w;
  w.Map(2);
  w.Str("ticket");
  w.Bin(b.ticket);
  w.Str("proof");
  w.Bin(b.proof);
  return w.Take();
}

Bytes EncodeRole(const RoleBody& b) {
  return EncodeKeyRoleMember("node", b.node, b.role, b.member);
}

Bytes EncodeRevoke(const RevokeBody& b) {
  MsgpackWriter w;
  w.Map(2);
  w.Str("node");
  w.Bin(b.node);
  w.Str("last_seq");
  w.Uint(b.last_seq);
  return w.Take();
}

Result<InviteBody> DecodeInvite(ByteView body) {
  NANSE_ASSIGN_OR_RETURN(KeyRoleMember d, DecodeKeyRoleMember(body, "ticket"));
  return InviteBody{d.key, std::move(d.role), d.member};
}

Result<PublicKey> DecodeInviteCancel(ByteView body) {
  return WithMap(body, {"ticket"}, [](const MapReader& m) { return ReadKey(m, "ticket"); });
}

Result<ClaimBody> DecodeClaim(ByteView body) {
  return WithMap(body, {"ticket", "proof"}, [](const MapReader& m) -> Result<ClaimBody> {
    ClaimBody b;
    NANSE_ASSIGN_OR_RETURN(b.ticket, ReadKey(m, "ticket"));
    auto proof = m.Require("proof");
    if (!proof.ok()) return proof.status();
    if ((*proof)->type != msgpack::type::BIN || (*proof)->via.bin.size != 64) {
      return Status::Malformed(m.FieldName("proof"), "expected a 64-byte signature");
    }
    b.proof = ToArray<64>({reinterpret_cast<const uint8_t*>((*proof)->via.bin.ptr), 64});
    return b;
  });
}

Result<RoleBody> DecodeRole(ByteView body) {
  NANSE_ASSIGN_OR_RETURN(KeyRoleMember d, DecodeKeyRoleMember(body, "node"));
  return RoleBody{d.key, std::move(d.role), d.member};
}

Result<RevokeBody> DecodeRevoke(ByteView body) {
  return WithMap(body, {"node", "last_seq"}, [](const MapReader& m) -> Result<RevokeBody> {
    RevokeBody b;
    NANSE_ASSIGN_OR_RETURN(b.node, ReadKey(m, "node"));
    auto seq = m.Require("last_seq");
    if (!seq.ok()) return seq.status();
    NANSE_ASSIGN_OR_RETURN(b.last_seq, detail::ReadUint(**seq, m.FieldName("last_seq")));
    return b;
  });
}

Status ValidateMembershipBody(std::string_view type, ByteView body) {
  if (type == "invite") return DecodeInvite(body).status();
  if (type == "invite.cancel") return DecodeInviteCancel(body).status();
  if (type == "claim") return DecodeClaim(body).status();
  if (type == "role") return DecodeRole(body).status();
  if (type == "revoke") return DecodeRevoke(body).status();
  return Status::Malformed("op.header.type", "not a membership op type");
}

Bytes ClaimMessage(const Hash& network_id, const PublicKey& claimant) {
  Bytes m(kClaimDomain.begin(), kClaimDomain.end());
  Append(m, network_id);
  Append(m, claimant);
  return m;
}

}  // namespace nanse
