// Invite codes: how a network's identity and key, and a one-time membership ticket, reach a
// new node (ARCHITECTURE section 2).
//
// Text form: "nanse1:" followed by base64url (no padding) of the msgpack array (version 2)
//   [version=2, network id (bin 32), network name (str), network key (bin 32),
//    ticket seed (bin 32), role (str), member (bin 16 or nil), invite hlc (uint),
//    peers ([str "host:port", ...], at most 8)]
// followed by a 4-byte checksum: the first bytes of BLAKE2b-256("nanse-invite-checksum" ||
// the msgpack bytes), so a mistyped code is caught at once rather than failing later.
//
// Why the code carries the ticket, the role and the hlc:
// - ticket seed: the 32-byte Ed25519 seed of a one-time key whose public half the admin's
//   invite op names. The joiner signs its claim with it, which proves it holds this invite;
//   a ticket admits only the first valid claim.
// - role ("admin", "treasurer", "member" or "observer"): the joiner knows the role it will
//   have before the invite op itself has reached it by sync.
// - member: the member record the new node is tied to, when the invite names one.
// - invite hlc: the hlc of the admin's invite op; the joiner observes it (HlcObserve) before
//   it signs its claim, so the claim is ordered after the invite even on a node whose wall
//   clock is behind.
// The code carries the network key and the ticket seed: it is a secret, handed over by e-mail
// or read over the phone. Version 1 codes (no ticket) are refused with a request to ask an
// admin for a new invite.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/hlc.h"
#include "crdt/record_id.h"
#include "crdt/status.h"

namespace nanse {

inline constexpr std::string_view kInvitePrefix = "nanse1:";
inline constexpr uint64_t kInviteCodeVersion = 2;

struct InviteCode {
  Hash network_id{};
  std::string network_name;
  NetworkKey network_key{};
  std::vector<std::string> peers;
  // Version 2. The initialisers let `InviteCode{id, name, key, peers}` compile warning-free.
  Seed ticket_seed{};                // the seed of the one-time ticket key (a secret)
  std::string role{};                // "admin" | "treasurer" | "member" | "observer"
  std::optional<RecordId> member{};  // the member record the joiner is tied to, if any
  Hlc invite_hlc{};                  // the hlc of the admin's invite op

  bool operator==(const InviteCode&) const = default;
};

// Always writes version 2. Writes the fields as they are: a code with a role other than the
// four decodes to an error.
std::string EncodeInviteCode(const InviteCode& code);

// Strict: the prefix, base64url, the checksum, the version, every field's type and size, the
// role, and an hlc no later than Hlc::kMaxOpMillis; each error names the field. Surrounding
// white space is ignored (codes are pasted from e-mails).
Result<InviteCode> DecodeInviteCode(std::string_view text);

}  // namespace nanse
