// Fuzzes what a sync session does with a peer's messages (node/sync_session.h): the input is
// cut into messages (each a 2-byte big-endian length, then that many bytes) fed to a session
// over a real store that holds a small network; after each message, everything the session
// yields is taken.
//
// Checked: no crash, leak or undefined behaviour; the session yields only messages that fit
// a transport message and decode; after it fails it yields nothing; the store stays
// consistent (Store::Check, every 64th input) since a batch is stored whole or not at all.
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "node/clock.h"
#include "node/store.h"
#include "node/sync_session.h"

namespace {

nanse::SigningKey Key(uint8_t n) {
  nanse::Seed seed{};
  seed.fill(n);
  return nanse::SigningKey::FromSeed(seed);
}

// One store for the whole run: genesis and a few ops of the network's admin.
nanse::Store& SharedStore() {
  static std::unique_ptr<nanse::Store> store = [] {
    char dir[] = "/tmp/nanse-fuzz-sync-XXXXXX";
    if (!mkdtemp(dir)) abort();
    auto opened = nanse::Store::Open(std::string(dir) + "/nanse.db");
    if (!opened.ok()) abort();
    if (!(*opened)->CreateGenesis(Key(1), "Fuzz net", 1'700'000'000'000).ok()) abort();
    return std::move(*opened);
  }();
  return *store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nanse::Store& store = SharedStore();
  nanse::ManualClock clock(1'700'000'000'000);
  // A peer id that a seed can name without computing a key (ids are only compared here).
  nanse::PublicKey peer{};
  peer.fill(2);
  nanse::SyncSession session(store, Key(1).public_key(), peer, clock, {.inline_vector_authors = 1});
  auto drain = [&] {
    for (int i = 0; i < 64; ++i) {
      auto next = session.Next();
      if (!next.ok() || !*next) return;
      if ((*next)->size() > nanse::kMaxSyncMessage) abort();
      if (!nanse::DecodeSyncMessage(**next).ok()) abort();
    }
  };
  drain();
  size_t pos = 0;
  bool failed = false;
  while (pos + 2 <= size) {
    const size_t len = (size_t{data[pos]} << 8) | data[pos + 1];
    pos += 2;
    const size_t take = std::min(len, size - pos);
    if (take == 0) continue;
    const nanse::Status handled = session.OnMessage({data + pos, take});
    pos += take;
    if (!handled.ok()) {
      failed = true;
      break;
    }
    drain();
  }
  if (failed) {
    auto next = session.Next();
    if (!next.ok() || *next) abort();  // a failed session says nothing more
  }
  // Store::Check runs SQLite's integrity check: every 64th input, or the fuzzer would crawl.
  static size_t runs = 0;
  if (++runs % 64 == 0) {
    auto problems = store.Check();
    if (!problems.ok() || !problems->empty()) abort();
  }
  return 0;
}
