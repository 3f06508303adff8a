#include "node/key_backup.h"

#include <sodium.h>

#include <cstring>

#include "crdt/msgpack_io.h"
#include "crdt/op_bodies.h"

namespace nanse {
namespace {

// The layout (docs/op-format.md, "Key backup files"):
//   0  8   magic "NANSEKEY"         8  1   format version, ASCII '1'    9  1  '\n'
//   10 1   key derivation algorithm (2 = crypto_pwhash_ALG_ARGON2ID13)
//   11 8   opslimit, u64 big-endian 19 8   memlimit in bytes, u64 big-endian
//   27 16  salt                     43 24  nonce
//   67 4   L = ciphertext length, u32 big-endian
//   71 L   ciphertext of the payload: XChaCha20-Poly1305-IETF, associated data = bytes 0..70
//   71+L 32  BLAKE2b-256 of bytes 0..70+L (tells damage apart from a wrong passphrase)
constexpr char kMagic[8] = {'N', 'A', 'N', 'S', 'E', 'K', 'E', 'Y'};
constexpr uint8_t kVersion = '1';
constexpr uint8_t kAlgorithm = crypto_pwhash_ALG_ARGON2ID13;
constexpr size_t kVersionLineBytes = 10;
constexpr size_t kAlgorithmOffset = 10;
constexpr size_t kOpsOffset = 11;
constexpr size_t kMemOffset = 19;
constexpr size_t kSaltOffset = 27;
constexpr size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr size_t kNonceOffset = kSaltOffset + kSaltBytes;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kLengthOffset = kNonceOffset + kNonceBytes;
constexpr size_t kHeaderBytes = kLengthOffset + 4;
constexpr size_t kAbytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kCheckBytes = 32;
constexpr size_t kMaxCiphertext = kMaxKeyBackupBytes - kHeaderBytes - kCheckBytes;
constexpr size_t kPlaintextReserve = 1024;  // more than any payload (a name is <= 100 bytes)
static_assert(kSaltBytes == 16 && kNonceBytes == 24 && kHeaderBytes == 71);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

// What the reader accepts: libsodium's range from MIN to SENSITIVE (1 GiB), so a hostile file
// cannot ask for unbounded memory or time.
constexpr uint64_t kMinOps = crypto_pwhash_OPSLIMIT_MIN;
constexpr uint64_t kMaxOps = crypto_pwhash_OPSLIMIT_SENSITIVE;
constexpr uint64_t kMinMem = crypto_pwhash_MEMLIMIT_MIN;
constexpr uint64_t kMaxMem = crypto_pwhash_MEMLIMIT_SENSITIVE;

void PutU64(Bytes& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}
uint64_t GetU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}
uint32_t GetU32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

Status CheckLimits(const KdfLimits& limits, const std::string& field) {
  if (limits.opslimit < kMinOps || limits.opslimit > kMaxOps) {
    return Status::Malformed(field, "Argon2id opslimit " + std::to_string(limits.opslimit) +
                                        " is outside " + std::to_string(kMinOps) + ".." +
                                        std::to_string(kMaxOps));
  }
  if (limits.memlimit < kMinMem || limits.memlimit > kMaxMem) {
    return Status::Malformed(field, "Argon2id memlimit " + std::to_string(limits.memlimit) +
                                        " bytes is outside " + std::to_string(kMinMem) + ".." +
                                        std::to_string(kMaxMem));
  }
  return Status::Ok();
}

// The key that encrypts the payload, from the passphrase (Argon2id). The caller wipes it.
Status DeriveKey(std::string_view passphrase, const uint8_t* salt, const KdfLimits& limits,
                 std::array<uint8_t, 32>& key, const std::string& field) {
  EnsureSodium();
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt,
                    limits.opslimit, static_cast<size_t>(limits.memlimit), kAlgorithm) != 0) {
    Wipe(key.data(), key.size());
    return Status::Io(field, "the key derivation failed: it needs " +
                                 std::to_string(limits.memlimit >> 20) +
                                 " MiB of memory, which this machine did not give");
  }
  return Status::Ok();
}

// A msgpack stream into a buffer reserved up front: the secret it receives is never copied by
// a reallocation, and the owner wipes it.
struct ReservedStream {
  Bytes* out;
  void write(const char* p, size_t n) { out->insert(out->end(), p, p + n); }
};

void PackStr(msgpack::packer<ReservedStream>& pk, std::string_view s) {
  pk.pack_str(static_cast<uint32_t>(s.size()));
  pk.pack_str_body(s.data(), static_cast<uint32_t>(s.size()));
}
void PackBin(msgpack::packer<ReservedStream>& pk, ByteView b) {
  pk.pack_bin(static_cast<uint32_t>(b.size()));
  pk.pack_bin_body(reinterpret_cast<const char*>(b.data()), static_cast<uint32_t>(b.size()));
}

// {"seed": bin 32, "network_id": bin 32, "network_name": str, "network_key": bin 32,
//  "head_seq": uint}
Bytes EncodePayload(const KeyBackup& b) {
  Bytes plain;
  plain.reserve(kPlaintextReserve);
  ReservedStream stream{&plain};
  msgpack::packer<ReservedStream> pk(stream);
  pk.pack_map(5);
  PackStr(pk, "seed");
  PackBin(pk, b.seed);
  PackStr(pk, "network_id");
  PackBin(pk, b.network_id);
  PackStr(pk, "network_name");
  PackStr(pk, b.network_name);
  PackStr(pk, "network_key");
  PackBin(pk, b.network_key);
  PackStr(pk, "head_seq");
  pk.pack_uint64(b.head_seq);
  return plain;
}

// Copies a 32-byte secret straight from the (referenced, later wiped) plaintext.
Status ReadSecret32(const msgpack::object& o, const std::string& field, uint8_t* out) {
  if (o.type != msgpack::type::BIN || o.via.bin.size != 32) {
    return Status::Malformed(field, "expected bin of 32 bytes");
  }
  std::memcpy(out, o.via.bin.ptr, 32);
  return Status::Ok();
}

Result<KeyBackup> DecodePayload(ByteView plain, const std::string& field) {
  // Strings and bins point into `plain` instead of being copied into msgpack's zone (whose
  // memory is freed unwiped), so the caller's wipe of `plain` reaches every copy.
  const auto reference = [](msgpack::type::object_type, std::size_t, void*) { return true; };
  const msgpack::unpack_limit limit(16, 16, static_cast<uint32_t>(plain.size()),
                                    static_cast<uint32_t>(plain.size()), 0, 4);
  msgpack::object_handle handle;
  size_t offset = 0;
  try {
    handle = msgpack::unpack(reinterpret_cast<const char*>(plain.data()), plain.size(), offset,
                             reference, nullptr, limit);
  } catch (const std::exception& e) {
    return Status::Malformed(field, std::string("invalid msgpack data: ") + e.what());
  }
  if (offset != plain.size()) return Status::Malformed(field, "unexpected trailing bytes");
  NANSE_ASSIGN_OR_RETURN(auto map, detail::MapReader::Open(handle.get(), field,
                                                           {"seed", "network_id", "network_name",
                                                            "network_key", "head_seq"}));
  KeyBackup b;
  NANSE_ASSIGN_OR_RETURN(auto seed, map.Require("seed"));
  NANSE_RETURN_IF_ERROR(ReadSecret32(*seed, map.FieldName("seed"), b.seed.data()));
  NANSE_ASSIGN_OR_RETURN(auto id, map.Require("network_id"));
  NANSE_ASSIGN_OR_RETURN(b.network_id, detail::ReadBin32(*id, map.FieldName("network_id")));
  NANSE_ASSIGN_OR_RETURN(auto name, map.Require("network_name"));
  NANSE_ASSIGN_OR_RETURN(b.network_name,
                         detail::ReadText(*name, map.FieldName("network_name"), kMaxNameLength));
  NANSE_ASSIGN_OR_RETURN(auto key, map.Require("network_key"));
  NANSE_RETURN_IF_ERROR(ReadSecret32(*key, map.FieldName("network_key"), b.network_key.data()));
  NANSE_ASSIGN_OR_RETURN(auto seq, map.Require("head_seq"));
  NANSE_ASSIGN_OR_RETURN(b.head_seq, detail::ReadUint(*seq, map.FieldName("head_seq")));
  return b;
}

struct ParsedHeader {
  KdfLimits limits;
  ByteView salt;
  ByteView nonce;
  ByteView ad;          // bytes 0..70
  ByteView ciphertext;  // L bytes
};

// Every check that needs no passphrase, cheapest first.
Result<ParsedHeader> ParseFile(ByteView file, const std::string& field) {
  const size_t magic_seen = std::min(file.size(), sizeof kMagic);
  if (file.empty() || std::memcmp(file.data(), kMagic, magic_seen) != 0) {
    return Status::Malformed(field,
                             "not a nanse key backup (expected a file starting with NANSEKEY)");
  }
  if (file.size() < kVersionLineBytes) {
    return Status::Malformed(
        field, "truncated: " + std::to_string(file.size()) + " bytes, shorter than its first line");
  }
  if (file[8] != kVersion) {
    const uint8_t v = file[8];
    const std::string shown =
        (v >= '0' && v <= '9') ? std::string(1, static_cast<char>(v)) : "byte " + std::to_string(v);
    return Status::Malformed(
        field, "format version " + shown + " is not supported (this nanse reads version 1)");
  }
  if (file[9] != '\n') {
    return Status::Malformed(field,
                             "not a nanse key backup (expected a line break after NANSEKEY1)");
  }
  if (file.size() > kMaxKeyBackupBytes) {
    return Status::Malformed(field, std::to_string(file.size()) +
                                        " bytes, more than a key backup can hold (" +
                                        std::to_string(kMaxKeyBackupBytes) + ")");
  }
  if (file.size() < kHeaderBytes) {
    return Status::Malformed(field, "truncated: " + std::to_string(file.size()) +
                                        " bytes, shorter than its " + std::to_string(kHeaderBytes) +
                                        "-byte header");
  }
  const uint32_t clen = GetU32(file.data() + kLengthOffset);
  if (clen <= kAbytes || clen > kMaxCiphertext) {
    return Status::Malformed(field, "impossible payload length " + std::to_string(clen));
  }
  const size_t expected = kHeaderBytes + clen + kCheckBytes;
  if (file.size() < expected) {
    return Status::Malformed(field, "truncated: " + std::to_string(file.size()) +
                                        " bytes, its header announces " + std::to_string(expected));
  }
  if (file.size() > expected) {
    return Status::Malformed(
        field, std::to_string(file.size() - expected) + " unexpected bytes after its end");
  }
  const Hash check = Blake2b256({file.first(expected - kCheckBytes)});
  if (std::memcmp(check.data(), file.data() + expected - kCheckBytes, kCheckBytes) != 0) {
    return Status::Malformed(field,
                             "damaged or tampered with: its checksum does not match its contents");
  }
  if (file[kAlgorithmOffset] != kAlgorithm) {
    return Status::Malformed(field, "key derivation algorithm " +
                                        std::to_string(file[kAlgorithmOffset]) +
                                        " is not supported (expected 2, Argon2id v1.3)");
  }
  ParsedHeader h;
  h.limits = {GetU64(file.data() + kOpsOffset), GetU64(file.data() + kMemOffset)};
  NANSE_RETURN_IF_ERROR(CheckLimits(h.limits, field));
  h.salt = file.subspan(kSaltOffset, kSaltBytes);
  h.nonce = file.subspan(kNonceOffset, kNonceBytes);
  h.ad = file.first(kHeaderBytes);
  h.ciphertext = file.subspan(kHeaderBytes, clen);
  return h;
}

}  // namespace

KeyBackup::~KeyBackup() {
  Wipe(seed.data(), seed.size());
  Wipe(network_key.data(), network_key.size());
}

KdfLimits ModerateKdfLimits() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

KdfLimits TestOnlyKdfLimits() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

size_t PassphraseChars(std::string_view passphrase) {
  size_t n = 0;
  for (unsigned char c : passphrase) n += (c & 0xC0) != 0x80;
  return n;
}

Result<Bytes> EncodeKeyBackup(const KeyBackup& backup, std::string_view passphrase, Random& random,
                              KdfLimits limits) {
  if (PassphraseChars(passphrase) < kMinPassphraseChars) {
    return Status::Malformed(
        "passphrase", "expected at least " + std::to_string(kMinPassphraseChars) + " characters");
  }
  NANSE_RETURN_IF_ERROR(CheckLimits(limits, "key backup limits"));
  NANSE_RETURN_IF_ERROR(ValidateName(backup.network_name, "network name"));

  Bytes out;
  out.reserve(kMaxKeyBackupBytes);
  out.insert(out.end(), std::begin(kMagic), std::end(kMagic));
  out.push_back(kVersion);
  out.push_back('\n');
  out.push_back(kAlgorithm);
  PutU64(out, limits.opslimit);
  PutU64(out, limits.memlimit);
  uint8_t salt_and_nonce[kSaltBytes + kNonceBytes];
  random.Fill(salt_and_nonce);
  out.insert(out.end(), salt_and_nonce, salt_and_nonce + sizeof salt_and_nonce);

  Bytes plain = EncodePayload(backup);
  const size_t clen = plain.size() + kAbytes;
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(clen >> shift));

  std::array<uint8_t, 32> key;
  Status derived = DeriveKey(passphrase, out.data() + kSaltOffset, limits, key, "key backup");
  if (!derived.ok()) {
    Wipe(plain.data(), plain.size());
    return derived;
  }
  out.resize(kHeaderBytes + clen);  // within the reserve: `out` does not move
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kHeaderBytes, &written, plain.data(),
                                             plain.size(), out.data(), kHeaderBytes, nullptr,
                                             out.data() + kNonceOffset, key.data());
  Wipe(key.data(), key.size());
  Wipe(plain.data(), plain.size());
  const Hash check = Blake2b256({out});
  out.insert(out.end(), check.begin(), check.end());
  return out;
}

Status CheckKeyBackupFile(ByteView file, const std::string& field) {
  return ParseFile(file, field).status();
}

Result<KeyBackup> DecodeKeyBackup(ByteView file, std::string_view passphrase,
                                  const std::string& field) {
  NANSE_ASSIGN_OR_RETURN(ParsedHeader h, ParseFile(file, field));
  std::array<uint8_t, 32> key;
  NANSE_RETURN_IF_ERROR(DeriveKey(passphrase, h.salt.data(), h.limits, key, field));
  Bytes plain(h.ciphertext.size() - kAbytes);
  unsigned long long plain_len = 0;
  const int opened = crypto_aead_xchacha20poly1305_ietf_decrypt(
      plain.data(), &plain_len, nullptr, h.ciphertext.data(), h.ciphertext.size(), h.ad.data(),
      h.ad.size(), h.nonce.data(), key.data());
  Wipe(key.data(), key.size());
  if (opened != 0) {
    return Status::Invalid(field,
                           "wrong passphrase (the file is intact, but does not decrypt with it)");
  }
  auto backup = DecodePayload(ByteView(plain).first(plain_len), field + ".payload");
  Wipe(plain.data(), plain.size());
  return backup;
}

}  // namespace nanse
