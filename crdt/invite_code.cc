#include "crdt/invite_code.h"

#include <algorithm>

#include "crdt/crypto.h"
#include "crdt/msgpack_io.h"
#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"

namespace nanse {

namespace {

// Four bytes of BLAKE2b over the payload: codes are read over the phone and retyped, and a
// typo in the key would otherwise decode to a valid code for no network at all.
std::array<uint8_t, 4> Checksum(ByteView payload) {
  Hash h = Blake2b256({AsBytes(std::string_view("nanse-invite-checksum")), payload});
  return {h[0], h[1], h[2], h[3]};
}

// The roles of crdt/membership.h, checked here so that this file does not depend on it.
constexpr std::string_view kRoles[] = {"admin", "treasurer", "member", "observer"};

bool IsKnownRole(std::string_view role) {
  return std::find(std::begin(kRoles), std::end(kRoles), role) != std::end(kRoles);
}

}  // namespace

std::string EncodeInviteCode(const InviteCode& code) {
  detail::MsgpackWriter w;
  w.Array(9);
  w.Uint(kInviteCodeVersion);
  w.Bin(code.network_id);
  w.Str(code.network_name);
  w.Bin(code.network_key);
  w.Bin(code.ticket_seed);
  w.Str(code.role);
  if (code.member) {
    w.Bin(*code.member);
  } else {
    w.Nil();
  }
  w.Uint(code.invite_hlc.packed());
  w.Array(static_cast<uint32_t>(code.peers.size()));
  for (const auto& p : code.peers) w.Str(p);
  Bytes payload = w.Take();
  Append(payload, Checksum(payload));
  return std::string(kInvitePrefix) + Base64UrlEncode(payload);
}

Result<InviteCode> DecodeInviteCode(std::string_view text) {
  const std::string f = "invite code";
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.substr(0, kInvitePrefix.size()) != kInvitePrefix) {
    return Status::Malformed(f, "expected a code starting with 'nanse1:'");
  }
  text.remove_prefix(kInvitePrefix.size());
  if (text.size() > 4096) return Status::Malformed(f, "too long to be an invite code");
  auto raw = Base64UrlDecode(text);
  if (!raw.ok()) {
    return Status::Malformed(f, "damaged: not valid base64url (" + raw.status().detail() +
                                    "); copy the whole code again");
  }
  if (raw->size() < 5) return Status::Malformed(f, "damaged: too short; copy the whole code again");
  const ByteView payload(raw->data(), raw->size() - 4);
  const auto sum = Checksum(payload);
  if (!std::equal(sum.begin(), sum.end(), raw->end() - 4)) {
    return Status::Malformed(f,
                             "damaged: its checksum does not match (a typo, or a character "
                             "missing); copy the whole code again");
  }
  auto handle = detail::UnpackExactlyOne(payload, f, 16);
  if (!handle.ok()) return Status::Malformed(f, "damaged: " + handle.status().ToString());
  const msgpack::object& root = handle->get();
  if (root.type != msgpack::type::ARRAY || root.via.array.size < 1) {
    return Status::Malformed(f, "damaged: expected an array");
  }
  auto version = detail::ReadUint(root.via.array.ptr[0], f + ".version");
  if (!version.ok()) return version.status();
  if (*version == 1) {
    return Status::Malformed(f + ".version",
                             "this code was made by an older nanse without a membership "
                             "ticket; ask an admin for a new invite");
  }
  if (*version != kInviteCodeVersion) {
    std::string message =
        "expected " + std::to_string(kInviteCodeVersion) + ", got " + std::to_string(*version);
    if (*version > kInviteCodeVersion) message += " (made by a newer nanse?)";
    return Status::Malformed(f + ".version", message);
  }
  NANSE_RETURN_IF_ERROR(detail::ExpectArray(root, 9, f));
  const msgpack::object* e = root.via.array.ptr;
  InviteCode code;
  auto network_id = detail::ReadBin32(e[1], f + ".network_id");
  if (!network_id.ok()) return network_id.status();
  code.network_id = *network_id;
  auto name = detail::ReadText(e[2], f + ".network_name", kMaxNameLength);
  if (!name.ok()) return name.status();
  code.network_name = *name;
  auto key = detail::ReadBin32(e[3], f + ".network_key");
  if (!key.ok()) return key.status();
  code.network_key = *key;
  auto ticket = detail::ReadBin32(e[4], f + ".ticket");
  if (!ticket.ok()) return ticket.status();
  code.ticket_seed = *ticket;
  if (e[5].type != msgpack::type::STR ||
      !IsKnownRole(std::string_view(e[5].via.str.ptr, e[5].via.str.size))) {
    return Status::Malformed(f + ".role", "expected admin, treasurer, member or observer");
  }
  code.role.assign(e[5].via.str.ptr, e[5].via.str.size);
  if (e[6].type != msgpack::type::NIL) {
    if (e[6].type != msgpack::type::BIN || e[6].via.bin.size != 16) {
      const std::string got = e[6].type == msgpack::type::BIN
                                  ? std::to_string(e[6].via.bin.size) + " bytes"
                                  : detail::TypeName(e[6]);
      return Status::Malformed(f + ".member", "expected a 16-byte member id or nil, got " + got);
    }
    code.member = ToArray<16>({reinterpret_cast<const uint8_t*>(e[6].via.bin.ptr), 16});
  }
  auto hlc = detail::ReadUint(e[7], f + ".invite_hlc");
  if (!hlc.ok()) return hlc.status();
  code.invite_hlc = Hlc(*hlc);
  if (code.invite_hlc.millis() > Hlc::kMaxOpMillis) {
    return Status::Malformed(f + ".invite_hlc", "expected a time before the year 10000");
  }
  const msgpack::object& peers = e[8];
  if (peers.type != msgpack::type::ARRAY || peers.via.array.size > kMaxAddresses) {
    return Status::Malformed(f + ".peers", "expected an array of at most " +
                                               std::to_string(kMaxAddresses) + " addresses");
  }
  for (uint32_t i = 0; i < peers.via.array.size; ++i) {
    const std::string pf = f + ".peers[" + std::to_string(i) + "]";
    auto peer = detail::ReadText(peers.via.array.ptr[i], pf, kMaxAddressLength);
    if (!peer.ok()) return peer.status();
    NANSE_RETURN_IF_ERROR(ValidateAddress(*peer, pf));
    code.peers.push_back(*peer);
  }
  return code;
}

}  // namespace nanse
