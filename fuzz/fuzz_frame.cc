// Fuzzes what a TCP listener does with the bytes of a stranger: the frame decoder
// (node/frame.h) cuts the input into messages, fed to it in pieces whose size the input
// chooses, and each message goes to a responder's handshake (node/tcp_handshake.h) as the
// server runs it, then, if the handshake ever finishes, to its session. The first byte picks
// the piece size (low 6 bits) and whether a real initiator's message 1 comes first (top bit),
// so the fuzzer also reaches message 3 and the hello check. The input is also read as a hello.
//
// Checked: no crash, leak or undefined behaviour; the decoder consumes no more than it is
// given, yields only messages of 1..65535 bytes, and the frames of the messages it yields are
// exactly the bytes it consumed.
#include <algorithm>
#include <array>
#include <cstdlib>

#include "node/frame.h"
#include "node/peer_hello.h"
#include "node/tcp_handshake.h"

namespace {

nanse::PeerIdentity Identity(uint8_t n) {
  nanse::Seed seed{};
  seed.fill(n);
  std::array<uint8_t, 32> noise{};
  noise.fill(static_cast<uint8_t>(0x40 + n));
  nanse::Hash network_id{};
  network_id.fill(7);
  nanse::NetworkKey network_key{};
  network_key.fill(9);
  return nanse::PeerIdentity(nanse::SigningKey::FromSeed(seed),
                             nanse::NoiseStaticKey::FromPrivate(noise).value(), network_id,
                             network_key);
}

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nanse::PeerIdentity server = Identity(1);
  static const nanse::PeerIdentity client = Identity(2);
  if (size == 0) return 0;
  const size_t piece = (data[0] & 0x3f) + 1;
  const bool real_message1 = (data[0] & 0x80) != 0;
  const nanse::ByteView input(data + 1, size - 1);

  (void)nanse::CheckHello(input, server.noise_key.public_key);

  nanse::SeededRandom random(1);
  nanse::Bytes stream;
  if (real_message1) {
    auto initiator = nanse::PeerHandshake::Initiator(client, random).value();
    stream = nanse::EncodeFrame(*initiator.Start().value()).value();
  }
  nanse::Append(stream, input);

  auto responder = nanse::PeerHandshake::Responder(server, random).value();
  std::optional<nanse::EstablishedPeer> established;
  bool dropped = false;
  nanse::FrameDecoder decoder;
  nanse::Bytes reframed;  // the frames of every message yielded
  size_t consumed = 0;
  nanse::ByteView rest(stream);
  while (!rest.empty() && !dropped) {
    nanse::ByteView chunk = rest.first(std::min(piece, rest.size()));
    rest = rest.subspan(chunk.size());
    while (!chunk.empty() && !dropped) {
      auto used = decoder.Feed(chunk);
      if (!used.ok()) {
        Check(decoder.failed() && !decoder.Feed(chunk).ok());
        dropped = true;
        break;
      }
      Check(*used <= chunk.size());
      consumed += *used;
      chunk = chunk.subspan(*used);
      auto message = decoder.Take();
      if (!message) {
        Check(chunk.empty());  // a frame still open: the decoder took everything it was given
        continue;
      }
      Check(!message->empty() && message->size() <= nanse::kMaxFrameMessage);
      nanse::Append(reframed, nanse::EncodeFrame(*message).value());
      // What the server does with the message.
      if (established) {
        if (!established->session.Open(*message).ok()) dropped = true;
      } else if (!responder.Receive(*message).ok()) {
        Check(responder.failure() != nanse::HandshakeFailure::kNone);
        dropped = true;
      } else if (responder.done()) {
        auto finished = responder.Finish();
        if (finished.ok()) established.emplace(std::move(*finished));
      }
    }
  }
  // Every byte consumed up to the last complete message is that message's frame.
  Check(reframed.size() <= consumed);
  Check(std::equal(reframed.begin(), reframed.end(), stream.begin()));
  return 0;
}
