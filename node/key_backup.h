// Key backup files: a node's Ed25519 seed and its network, encrypted under a passphrase.
//
// `nanse key export` writes one; `nanse init --restore FILE` makes a new home from it. The
// passphrase goes through Argon2id (libsodium crypto_pwhash) with a random salt; the key it
// gives encrypts the payload with XChaCha20-Poly1305 (the header is the associated data).
// The format is in docs/op-format.md, section "Key backup files".
//
// Pure: bytes and the passphrase in, bytes or values out; randomness comes in as an argument.
// Secrets (the seed, the network key, the derived key, the plaintext) are wiped after use, and
// no error message holds any of them or the passphrase.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/status.h"
#include "node/clock.h"

namespace nanse {

// What a backup holds. The seed and the network key are wiped when the object dies.
struct KeyBackup {
  Seed seed{};
  Hash network_id{};
  std::string network_name;
  NetworkKey network_key{};
  // The exporting node's own head seq when the backup was made: a restored node may author
  // only once it holds its own chain at least this far (Store::MarkRestored).
  uint64_t head_seq = 0;

  KeyBackup() = default;
  KeyBackup(const KeyBackup&) = default;
  KeyBackup& operator=(const KeyBackup&) = default;
  ~KeyBackup();
};

// Argon2id's cost: passes over memory, and memory in bytes.
struct KdfLimits {
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
};
// What `nanse key export` always uses: libsodium's MODERATE (3 passes, 256 MiB).
KdfLimits ModerateKdfLimits();
// The cheapest limits libsodium allows: for unit tests only, never for a real backup.
KdfLimits TestOnlyKdfLimits();

// A passphrase must have at least this many characters (Unicode code points).
inline constexpr size_t kMinPassphraseChars = 10;
// The number of Unicode code points in `passphrase` (its UTF-8 lead bytes).
size_t PassphraseChars(std::string_view passphrase);

// The largest backup file a reader accepts.
inline constexpr size_t kMaxKeyBackupBytes = 4096;

// Encrypts `backup` under `passphrase` (at least kMinPassphraseChars characters), with a salt
// and a nonce drawn from `random`.
Result<Bytes> EncodeKeyBackup(const KeyBackup& backup, std::string_view passphrase, Random& random,
                              KdfLimits limits = ModerateKdfLimits());

// Checks everything that needs no passphrase: magic, version, length, checksum, key derivation
// parameters. Errors name `field` and say what is wrong (truncated, damaged, ...).
Status CheckKeyBackupFile(ByteView file, const std::string& field = "key backup");

// Checks the file (CheckKeyBackupFile), derives the key from `passphrase` and decrypts. A
// wrong passphrase gives an Invalid status saying so.
Result<KeyBackup> DecodeKeyBackup(ByteView file, std::string_view passphrase,
                                  const std::string& field = "key backup");

}  // namespace nanse
