#include "crdt/version_vector.h"

#include <optional>

#include <cstdint>

#include "crdt/text_codec.h"

namespace nanse {

namespace {
constexpr std::string_view kPrefix = "nv1:";
}

std::string VersionVector::ToText() const {
  std::string out(kPrefix);
  bool first = true;
  for (const auto& [author, seq] : seqs_) {
    if (seq == 0) continue;
    if (!first) out += ',';
    first = false;
    out += Base32Encode(author) + ":" + std::to_string(seq);
  }
  return out;
}

Result<VersionVector> VersionVector::FromText(std::string_view text) {
  const std::string f = "version vector";
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  if (text.substr(0, kPrefix.size()) != kPrefix) {
    return Status::Malformed(f, "expected text starting with 'nv1:'");
  }
  text.remove_prefix(kPrefix.size());
  VersionVector vv;
  // One vector has one text: entries sorted by author, no empty entry, no leading zeros.
  size_t index = 0;
  std::optional<PublicKey> previous;
  bool more = !text.empty();
  while (more) {
    size_t comma = text.find(',');
    std::string_view entry = text.substr(0, comma);
    more = comma != std::string_view::npos;
    text = more ? text.substr(comma + 1) : std::string_view();
    const std::string ef = f + " entry " + std::to_string(++index);
    if (entry.empty()) return Status::Malformed(ef, "expected AUTHOR:SEQ, got nothing");
    if (index > kMaxVectorAuthors) return Status::Malformed(f, "too many entries");
    size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      return Status::Malformed(ef, "expected AUTHOR:SEQ");
    }
    auto author = DecodeId32(entry.substr(0, colon), ef + " author");
    if (!author.ok()) return author.status();
    std::string_view seq_text = entry.substr(colon + 1);
    if (seq_text.empty() || seq_text.size() > 20 || seq_text[0] == '0') {
      return Status::Malformed(ef + " seq", "expected a positive integer without leading zeros");
    }
    uint64_t seq = 0;
    for (char c : seq_text) {
      if (c < '0' || c > '9') return Status::Malformed(ef + " seq", "expected a positive integer");
      const auto digit = static_cast<uint64_t>(c - '0');
      if (seq > (UINT64_MAX - digit) / 10) {
        return Status::Malformed(ef + " seq", "expected a positive integer below 2^64");
      }
      seq = seq * 10 + digit;
    }
    if (previous && *author == *previous) return Status::Malformed(ef, "author listed twice");
    if (previous && *author < *previous) {
      return Status::Malformed(ef, "expected entries sorted by author");
    }
    previous = *author;
    vv.seqs_[*author] = seq;
  }
  return vv;
}

}  // namespace nanse
