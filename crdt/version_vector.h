// A version vector: for each author, the highest seq of its chain that a node holds.
//
// Text form (for `nanse bundle vector` and `--since`): "nv1:" then comma-separated
// "<author base32>:<seq>" pairs, sorted by author; "nv1:" alone is the empty vector.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "crdt/bytes.h"
#include "crdt/status.h"

namespace nanse {

inline constexpr size_t kMaxVectorAuthors = 100000;

class VersionVector {
 public:
  uint64_t Get(const PublicKey& author) const {
    auto it = seqs_.find(author);
    return it == seqs_.end() ? 0 : it->second;
  }
  // Raises the author's entry to `seq` if it is higher.
  void Advance(const PublicKey& author, uint64_t seq) {
    if (seq == 0) return;  // holding nothing is no entry, so equal vectors compare equal
    uint64_t& s = seqs_[author];
    if (seq > s) s = seq;
  }
  const std::map<PublicKey, uint64_t>& entries() const { return seqs_; }
  size_t size() const { return seqs_.size(); }
  uint64_t TotalOps() const {
    uint64_t n = 0;
    for (const auto& [a, s] : seqs_) n += s;
    return n;
  }

  std::string ToText() const;
  static Result<VersionVector> FromText(std::string_view text);

  bool operator==(const VersionVector&) const = default;

 private:
  std::map<PublicKey, uint64_t> seqs_;
};

}  // namespace nanse
