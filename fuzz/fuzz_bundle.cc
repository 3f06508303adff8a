// Fuzzes the bundle decoder with a fixed network. Inputs that start with a valid prefix reach
// the authentication step; the seed corpus holds a real bundle of this network.
#include "node/bundle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nanse::NetworkInfo network;
  network.id.fill(1);
  network.key.fill(2);
  network.name = "fuzz";
  (void)nanse::DecodeBundle(network, nanse::ByteView(data, size));
  return 0;
}
