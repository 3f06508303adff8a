#include "node/doctor.h"

#include "crdt/text_codec.h"

namespace nanse {

Result<std::vector<Finding>> Diagnose(Store& store, int64_t now_millis) {
  std::vector<Finding> findings;
  NANSE_ASSIGN_OR_RETURN(auto problems, store.Check());
  for (const std::string& p : problems) findings.push_back({"database", "database", p, {}});

  NANSE_ASSIGN_OR_RETURN(auto heads, store.Heads());
  for (const Head& h : heads) {
    if (!h.fork_seq) continue;
    Finding f{"equivocation",
              Base32Encode(h.author),
              "signed two different ops at seq " + std::to_string(*h.fork_seq) +
                  ": its key is used on two devices; nothing from that seq on counts",
              {}};
    NANSE_RETURN_IF_ERROR(store.ForEachOpSince(
        [&] {
          VersionVector since;
          since.Advance(h.author, *h.fork_seq - 1);
          for (const Head& other : heads) {
            if (other.author != h.author) since.Advance(other.author, other.seq);
          }
          return since;
        }(),
        [&](StoredOp&& op) {
          if (op.op.header.author == h.author && op.op.header.seq == *h.fork_seq) {
            f.op_ids.push_back(Base32Encode(op.op.id));
          }
          return true;
        }));
    findings.push_back(std::move(f));
  }

  NANSE_ASSIGN_OR_RETURN(auto clocks, store.AuthorClocks());
  for (const AuthorClock& c : clocks) {
    const auto newest = static_cast<int64_t>(c.newest.millis());
    const auto oldest = static_cast<int64_t>(c.oldest.millis());
    if (newest > now_millis + kClockToleranceMillis) {
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

  NANSE_ASSIGN_OR_RETURN(auto wait, store.RestoreWaiting());
  if (wait) {
    findings.push_back({"restore_waiting",
                        Base32Encode(wait->author),
                        "restored from a backup: it may not author until it holds its own ops up "
                        "to seq " +
                            std::to_string(wait->seq),
                        {}});
  }
  return findings;
}

}  // namespace nanse
