// Passphrases for key backups: from the environment (scripts, tests) or the terminal.
#pragma once

#include <string>
#include <string_view>

#include "crdt/status.h"

namespace nanse::cli {

// A passphrase held in one buffer reserved up front (so no reallocation leaves a copy
// behind), wiped whole when the object dies.
class Passphrase {
 public:
  static constexpr size_t kMaxBytes = 1024;
  Passphrase() { text_.reserve(kMaxBytes); }
  Passphrase(Passphrase&& other) noexcept : text_(std::move(other.text_)) {}
  Passphrase& operator=(Passphrase&&) = delete;
  ~Passphrase();
  std::string_view view() const { return text_; }
  std::string& text() { return text_; }

 private:
  std::string text_;
};

// The passphrase: the environment variable NANSE_PASSPHRASE when it is set, else asked on the
// terminal (/dev/tty) without echo after printing `prompt`. With `confirm` (choosing a new
// passphrase), the terminal asks twice and both must match, and the passphrase must have at
// least kMinPassphraseChars characters.
Result<Passphrase> ReadPassphrase(const std::string& prompt, bool confirm);

}  // namespace nanse::cli
