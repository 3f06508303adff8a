// Invite codes: how a network's identity and key reach a new node (ARCHITECTURE section 2).
//
// Text form: "nanse1:" followed by base64url (no padding) of the msgpack array
//   [version=1, network id (bin 32), network name (str), network key (bin 32),
//    peers ([str "host:port", ...], at most 8)]
// followed by a 4-byte checksum: the first bytes of BLAKE2b-256("nanse-invite-checksum" ||
// the msgpack bytes), so a mistyped code is caught at once rather than failing later.
// The code carries the network key: it is a secret, handed over by e-mail or read over the
// phone. (The membership issue adds a one-time ticket secret and a role.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/status.h"

namespace nanse {

inline constexpr std::string_view kInvitePrefix = "nanse1:";

struct InviteCode {
  Hash network_id{};
  std::string network_name;
  NetworkKey network_key{};
  std::vector<std::string> peers;

  bool operator==(const InviteCode&) const = default;
};

std::string EncodeInviteCode(const InviteCode& code);

// Strict: the prefix, base64url, every field's type and size; surrounding white space is
// ignored (codes are pasted from e-mails).
Result<InviteCode> DecodeInviteCode(std::string_view text);

}  // namespace nanse
