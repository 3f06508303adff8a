// Fuzzes the key backup reader with a fixed passphrase. The checksum stops almost every
// mutation before the key derivation; the seed corpus holds a real backup made with that
// passphrase and libsodium's cheapest limits, so the decryption path runs too.
#include "node/key_backup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)nanse::DecodeKeyBackup(nanse::ByteView(data, size), "fuzz passphrase");
  return 0;
}
