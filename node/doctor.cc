#include "node/doctor.h"

#include <algorithm>
#include <map>
#include <set>

#include "crdt/text_codec.h"

namespace nanse {
namespace {

// How many pending ops Diagnose reads to learn why they wait (the counts come from the store's
// totals; the reasons from this many ops, newest first).
constexpr size_t kPendingSample = 10'000;

// The version vector of everything held, except `author`, held up to `seq` only: what
// ForEachOpSince needs to hand over `author`'s ops past `seq` and nothing else.
VersionVector AllBut(const std::vector<Head>& heads, const PublicKey& author, uint64_t seq) {
  VersionVector since;
  since.Advance(author, seq);
  for (const Head& other : heads) {
    if (other.author != author) since.Advance(other.author, other.seq);
  }
  return since;
}

std::string Ops(uint64_t n) { return std::to_string(n) + (n == 1 ? " op" : " ops"); }

Status Equivocations(Store& store, const std::vector<Head>& heads, std::vector<Finding>& findings) {
  for (const Head& h : heads) {
    if (!h.fork_seq) continue;
    Finding f{"equivocation",
              Base32Encode(h.author),
              "signed two different ops at seq " + std::to_string(*h.fork_seq) +
                  ": its key is used on two devices; nothing from that seq on counts",
              {}};
    NANSE_RETURN_IF_ERROR(
        store.ForEachOpSince(AllBut(heads, h.author, *h.fork_seq - 1), [&](StoredOp&& op) {
          if (op.op.header.author == h.author && op.op.header.seq == *h.fork_seq) {
            f.op_ids.push_back(Base32Encode(op.op.id));
          }
          return true;
        }));
    findings.push_back(std::move(f));
  }
  return Status::Ok();
}

void Clocks(const std::vector<AuthorClock>& clocks, int64_t now_millis, bool check_ahead,
            std::vector<Finding>& findings) {
  for (const AuthorClock& c : clocks) {
    const auto newest = static_cast<int64_t>(c.newest.millis());
    const auto oldest = static_cast<int64_t>(c.oldest.millis());
    if (check_ahead && newest > now_millis + kClockToleranceMillis) {
      const int64_t hours = (newest - now_millis) / 3'600'000;
      findings.push_back({"clock_ahead",
                          Base32Encode(c.author),
                          "its newest op is " +
                              (hours > 48 ? std::to_string(hours / 24) + " days"
                                          : std::to_string(hours) + " hours") +
                              " ahead of this node's clock",
                          {Base32Encode(c.newest_op)}});
    }
    if (oldest < now_millis - 50LL * 365 * 86'400'000) {
      findings.push_back({"clock_behind",
                          Base32Encode(c.author),
                          "it authored ops dated before 1977: its clock was not set (no real-time "
                          "clock?)",
                          {Base32Encode(c.oldest_op)}});
    }
  }
}

// Ops held pending, per author: how many, why, and the oldest of them.
Status PendingOps(Store& store, const std::map<PublicKey, VerdictCounts>& counts,
                  std::vector<Finding>& findings) {
  bool any = false;
  for (const auto& [author, c] : counts) any = any || c.pending > 0;
  if (!any) return Status::Ok();
  NANSE_ASSIGN_OR_RETURN(const auto sample, store.OpsNotApplied(Effect::kPending, kPendingSample));
  struct Seen {
    std::set<std::string> reasons;
    const StoredOp* oldest = nullptr;
  };
  std::map<PublicKey, Seen> seen;
  for (const StoredOp& op : sample) {
    Seen& s = seen[op.op.header.author];
    if (!op.verdict.why.empty()) s.reasons.insert(op.verdict.why);
    if (!s.oldest || op.op.header.seq < s.oldest->op.header.seq) s.oldest = &op;
  }
  for (const auto& [author, c] : counts) {
    if (c.pending == 0) continue;
    const Seen& s = seen[author];
    Finding f;
    f.code = "pending_ops";
    f.subject = Base32Encode(author);
    f.count = c.pending;
    f.reasons.assign(s.reasons.begin(), s.reasons.end());
    if (f.reasons.empty()) f.reasons.push_back("the author is not admitted (yet)");
    std::string why;
    for (const std::string& r : f.reasons) why += (why.empty() ? "" : "; ") + r;
    f.detail = Ops(c.pending) + " held pending (" + why +
               "): they take effect once its admission arrives here";
    if (s.oldest) f.op_ids.push_back(Base32Encode(s.oldest->op.id));
    findings.push_back(std::move(f));
  }
  return Status::Ok();
}

// Ops of revoked nodes past the seq their revocation accepts: held, forwarded, never applied.
Status RevokedOps(Store& store, const MembershipView& view, const std::vector<Head>& heads,
                  std::vector<Finding>& findings) {
  for (const auto& [node_id, node] : view.nodes) {
    if (!node.revoked_after_seq) continue;
    const PublicKey id = node_id;  // a lambda below captures it (not a structured binding)
    const uint64_t after = *node.revoked_after_seq;
    auto head =
        std::find_if(heads.begin(), heads.end(), [&](const Head& h) { return h.author == id; });
    if (head == heads.end() || head->seq <= after) continue;
    Finding f;
    f.code = "revoked_ops";
    f.subject = Base32Encode(id);
    f.revoked_after_seq = after;
    uint64_t last = 0;
    NANSE_RETURN_IF_ERROR(store.ForEachOpSince(AllBut(heads, id, after), [&](StoredOp&& op) {
      const OpHeader& h = op.op.header;
      if (h.author != id || h.seq <= after || op.state != OpState::kValid ||
          op.verdict.effect != Effect::kInvalid) {
        return true;
      }
      if (f.count++ == 0) f.op_ids.push_back(Base32Encode(op.op.id));
      last = std::max(last, h.seq);
      return true;
    }));
    if (f.count == 0) continue;
    f.detail = "revoked after seq " + std::to_string(after) + ": it authored " + Ops(f.count) +
               " since (seq " + std::to_string(after + 1) + " to " + std::to_string(last) +
               "), which have no effect";
    findings.push_back(std::move(f));
  }
  return Status::Ok();
}

Status UnusedInvites(Store& store, const MembershipView& view, std::vector<Finding>& findings) {
  std::vector<UnusedInvite> open;
  for (const auto& [ticket, t] : view.tickets) {
    if (t.cancelled || t.claimed_by) continue;
    UnusedInvite u{ticket, t.role, t.member, t.inviter, Hlc(), t.invite_op};
    NANSE_ASSIGN_OR_RETURN(const auto op, store.GetOp(t.invite_op));
    if (op) u.invited_at = op->op.header.hlc;
    open.push_back(std::move(u));
  }
  std::sort(open.begin(), open.end(), [](const UnusedInvite& a, const UnusedInvite& b) {
    return std::tie(a.invited_at, a.ticket) < std::tie(b.invited_at, b.ticket);
  });
  for (UnusedInvite& u : open) {
    Finding f;
    f.code = "unused_invite";
    f.subject = Base32Encode(u.ticket);
    f.severity = Severity::kInfo;
    f.detail = "an invite for the " + u.role + " role" +
               (u.member ? " (member " + FormatUuid(*u.member) + ")" : std::string()) +
               " by node " + ShortId(u.inviter) +
               " is not used yet; cancel it if its code was lost";
    f.op_ids.push_back(Base32Encode(u.invite_op));
    f.invite = std::move(u);
    findings.push_back(std::move(f));
  }
  return Status::Ok();
}

}  // namespace

const char* SeverityName(Severity severity) {
  return severity == Severity::kInfo ? "info" : "problem";
}

bool HasProblems(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kProblem; });
}

constexpr int64_t kYear2020Millis = 1'577'836'800'000;  // 2020-01-01T00:00:00Z

std::string Days(int64_t millis) {
  const int64_t hours = std::abs(millis) / 3'600'000;
  return hours > 48 ? std::to_string(hours / 24) + " days" : std::to_string(hours) + " hours";
}

// Peers whose wall clock was far off at their last session, and this node's own clock.
Status PeerClocks(Store& store, int64_t now_millis, std::span<const PeerNode> peers,
                  const std::optional<PublicKey>& self, bool& own_clock_behind,
                  std::vector<Finding>& findings) {
  NANSE_ASSIGN_OR_RETURN(const Hlc hlc, store.CurrentHlc());
  const auto newest = static_cast<int64_t>(hlc.millis());
  // Newer ops than this node's clock: either its clock is behind or an author's is ahead. It is
  // this node's when its clock is implausible (before 2020: a Pi without a real-time clock
  // boots in 1970), or when most peers' clocks, at their last sync, were ahead of it.
  size_t ahead = 0, known = 0;
  for (const PeerNode& p : peers) {
    if (!p.clock_offset_millis) continue;
    ++known;
    if (*p.clock_offset_millis > kClockToleranceMillis) ++ahead;
  }
  const bool implausible = now_millis < kYear2020Millis;
  own_clock_behind = self && newest > now_millis + kClockToleranceMillis &&
                     (implausible || (known > 0 && ahead * 2 > known));
  if (own_clock_behind) {
    findings.push_back({"own_clock",
                        Base32Encode(*self),
                        "this node's clock is " + Days(newest - now_millis) +
                            " behind the newest op it holds: set it (its new ops are still "
                            "ordered after everything it has seen)",
                        {}});
  }
  for (const PeerNode& p : peers) {
    if (!p.clock_offset_millis || std::abs(*p.clock_offset_millis) <= kClockToleranceMillis) {
      continue;
    }
    if (own_clock_behind) continue;  // compared with a wrong clock, every peer looks off
    const int64_t offset = *p.clock_offset_millis;
    findings.push_back({"peer_clock",
                        Base32Encode(p.node),
                        "its clock was " + Days(offset) + (offset > 0 ? " ahead of" : " behind") +
                            " this node's at their last sync",
                        {}});
  }
  return Status::Ok();
}

Result<std::vector<Finding>> Diagnose(Store& store, int64_t now_millis,
                                      std::span<const PeerNode> peers,
                                      const std::optional<PublicKey>& self) {
  std::vector<Finding> findings;
  NANSE_ASSIGN_OR_RETURN(auto problems, store.Check());
  for (const std::string& p : problems) findings.push_back({"database", "database", p, {}});

  NANSE_ASSIGN_OR_RETURN(const auto heads, store.Heads());
  NANSE_RETURN_IF_ERROR(Equivocations(store, heads, findings));

  bool own_clock_behind = false;
  NANSE_RETURN_IF_ERROR(PeerClocks(store, now_millis, peers, self, own_clock_behind, findings));
  NANSE_ASSIGN_OR_RETURN(const auto clocks, store.AuthorClocks());
  // With this node's clock far behind, "ahead of this node's clock" says nothing of the others.
  Clocks(clocks, now_millis, /*check_ahead=*/!own_clock_behind, findings);

  NANSE_ASSIGN_OR_RETURN(auto wait, store.RestoreWaiting());
  if (wait) {
    findings.push_back({"restore_waiting",
                        Base32Encode(wait->author),
                        "restored from a backup: it may not author until it holds its own ops up "
                        "to seq " +
                            std::to_string(wait->seq),
                        {}});
  }

  NANSE_ASSIGN_OR_RETURN(const auto counts, store.VerdictsByAuthor());
  NANSE_RETURN_IF_ERROR(PendingOps(store, counts, findings));
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, store.Membership());
  NANSE_RETURN_IF_ERROR(RevokedOps(store, view, heads, findings));
  NANSE_RETURN_IF_ERROR(UnusedInvites(store, view, findings));
  return findings;
}

}  // namespace nanse
