// Child process for the crash test: appends ops to a store as fast as it can and prints
// "<seq> <op id>" after each commit, until it is killed.
//   crash_writer DB_PATH
#include <cstdio>

#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "node/clock.h"
#include "node/store.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: crash_writer DB_PATH\n");
    return 2;
  }
  nanse::Seed seed{};
  seed.fill(7);
  nanse::SigningKey key = nanse::SigningKey::FromSeed(seed);
  nanse::SystemClock clock;
  auto store = nanse::Store::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  auto network = (*store)->NetworkId();
  if (network.ok() && !*network) {
    if (!(*store)->CreateGenesis(key, "crash test", clock.NowMillis()).ok()) return 1;
  }
  for (uint64_t i = 0;; ++i) {
    auto op = (*store)->AppendLocal(
        key, "node", nanse::EncodeNodeBody({"writer " + std::to_string(i), {}}), clock.NowMillis());
    if (!op.ok()) {
      std::fprintf(stderr, "%s\n", op.status().ToString().c_str());
      return 1;
    }
    // Printed only after the commit returned: every line names a durable op.
    std::printf("%llu %s\n", static_cast<unsigned long long>(op->header.seq),
                nanse::Base32Encode(op->id).c_str());
    std::fflush(stdout);
  }
}
