// Doctor: what a node's operator should know about the log it holds (ARCHITECTURE section 3,
// issue 4's `nanse doctor`): equivocating nodes with their proof, clocks far from this node's,
// a damaged database, a restore still waiting, ops held pending (their author is not admitted
// here yet), ops of revoked nodes past their revocation, and (for information) invites not used
// yet. A read-only report.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "node/peer_book.h"
#include "node/store.h"

namespace nanse {

enum class Severity : uint8_t {
  kProblem = 0,  // something to act on: `nanse doctor` exits 1
  kInfo = 1,     // worth knowing, nothing wrong (an invite not used yet)
};
const char* SeverityName(Severity severity);  // "problem", "info"

// An invite whose ticket is neither used nor cancelled (finding "unused_invite").
struct UnusedInvite {
  PublicKey ticket{};
  std::string role;
  std::optional<RecordId> member;
  PublicKey inviter{};
  Hlc invited_at;  // the invite op's hlc
  Hash invite_op{};
};

struct Finding {
  // Stable: "equivocation", "clock_ahead", "clock_behind", "peer_clock", "own_clock",
  // "database", "restore_waiting", "pending_ops", "revoked_ops", "unused_invite".
  std::string code;
  std::string subject;  // the node id (base32), the ticket id (unused_invite) or "database"
  std::string detail;   // English detail with the figures
  std::vector<std::string> op_ids;  // base32 op ids that prove or show it
  Severity severity = Severity::kProblem;
  uint64_t count = 0;                           // pending_ops, revoked_ops: how many ops
  std::vector<std::string> reasons{};           // pending_ops: why they wait (distinct, English)
  std::optional<uint64_t> revoked_after_seq{};  // revoked_ops
  std::optional<UnusedInvite> invite{};         // unused_invite
};

// How far from this node's wall clock an author's timestamps may be before they are reported.
inline constexpr int64_t kClockToleranceMillis = 24LL * 3600 * 1000;

// Problems first (in the order: database, equivocation, clocks, restore wait, pending ops,
// revoked nodes' ops), then the information (unused invites, oldest first).
//
// Clocks: an author whose ops are dated far ahead of this node's clock (clock_ahead) or before
// 1977 (clock_behind); a peer whose wall clock, as its last sync Hello said, was off by more
// than the tolerance (peer_clock: a node without a real-time clock hides it in its ops, whose
// hlc never lags what it has seen); and this node's own clock (`self`), when it is far behind
// the newest op it holds (own_clock; the clock_ahead findings are then left out: they would
// only restate it).
Result<std::vector<Finding>> Diagnose(Store& store, int64_t now_millis,
                                      std::span<const PeerNode> peers = {},
                                      const std::optional<PublicKey>& self = std::nullopt);

// Whether any finding is a problem (not just information).
bool HasProblems(const std::vector<Finding>& findings);

}  // namespace nanse
