// Fuzzes the Noise_XXpsk0 handshake (node/noise.h) with fixed keys and a fixed random stream:
// the input is read as message 1 by a responder, as message 2 by an initiator that wrote
// message 1, as message 3 by a responder that got this far for real, and as a transport message
// of a finished session. Whatever the bytes, nothing may crash, and a message that is accepted
// must leave the next step usable.
#include <array>

#include "node/noise.h"

namespace {

nanse::NoiseStaticKey Key(uint8_t fill) {
  std::array<uint8_t, 32> bytes{};
  bytes.fill(fill);
  return nanse::NoiseStaticKey::FromPrivate(bytes).value();
}

struct Parties {
  nanse::SeededRandom random{1};
  nanse::NoiseStaticKey initiator_key = Key(1);
  nanse::NoiseStaticKey responder_key = Key(2);
  nanse::NetworkKey psk{};
  nanse::Bytes prologue = nanse::NoisePrologue(nanse::Hash{});

  Parties() { psk.fill(3); }
  nanse::NanseHandshake Initiator() {
    return nanse::NanseHandshake::Initiator(initiator_key, psk, prologue, random).value();
  }
  nanse::NanseHandshake Responder() {
    return nanse::NanseHandshake::Responder(responder_key, psk, prologue, random).value();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nanse::ByteView input(data, size);
  Parties p;
  {  // message 1, to a responder
    nanse::NanseHandshake b = p.Responder();
    if (b.ReadMessage1(input).ok()) (void)b.WriteMessage2({});
  }
  nanse::NanseHandshake a = p.Initiator();
  nanse::NanseHandshake b = p.Responder();
  nanse::Bytes m1 = *a.WriteMessage1({});
  (void)b.ReadMessage1(m1);
  {  // message 2, to an initiator that sent message 1
    nanse::NanseHandshake a2 = p.Initiator();
    (void)a2.WriteMessage1({});
    if (a2.ReadMessage2(input).ok()) (void)a2.WriteMessage3({});
  }
  nanse::Bytes m2 = *b.WriteMessage2({});
  (void)a.ReadMessage2(m2);
  {  // message 3, to the responder
    if (b.ReadMessage3(input).ok()) (void)b.Finish();
  }
  {  // a transport message, to a finished session
    nanse::NanseHandshake b3 = p.Responder();
    nanse::NanseHandshake a3 = p.Initiator();
    (void)b3.ReadMessage1(*a3.WriteMessage1({}));
    (void)a3.ReadMessage2(*b3.WriteMessage2({}));
    (void)b3.ReadMessage3(*a3.WriteMessage3({}));
    auto session = b3.Finish();
    if (session.ok()) (void)session->Open(input);
  }
  return 0;
}
