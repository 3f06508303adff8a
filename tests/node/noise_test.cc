// NanseHandshake (Noise_XXpsk0) between two parties, and the primitives under it: both sides
// agree on h after every message; a wrong psk, a tampered byte, a low-order key, a replayed or
// reordered transport message all fail, naming what failed.
#include "node/noise.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace nanse {
namespace {

using noise::CipherState;
using noise::DhKeyPair;
using noise::DhPublicKey;

std::string ToHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

DhPublicKey PublicFromHex(const std::string& hex) {
  DhPublicKey key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = std::stoi(hex.substr(2 * i, 2), nullptr, 16);
  return key;
}

bool Contains(const Status& status, const std::string& text) {
  return status.ToString().find(text) != std::string::npos;
}

// Two nodes of one network, each with its own X25519 static key.
struct Parties {
  explicit Parties(uint64_t seed) : random(seed) {
    initiator_key = DhKeyPair::Generate(random);
    responder_key = DhKeyPair::Generate(random);
    random.Fill(psk);
    Hash network_id{};
    random.Fill(network_id);
    prologue = NoisePrologue(network_id);
  }
  NanseHandshake Initiator() {
    return NanseHandshake::Initiator(initiator_key, psk, prologue, random).value();
  }
  NanseHandshake Responder() {
    return NanseHandshake::Responder(responder_key, psk, prologue, random).value();
  }

  SeededRandom random;
  NoiseStaticKey initiator_key;
  NoiseStaticKey responder_key;
  NetworkKey psk{};
  Bytes prologue;
};

struct Sessions {
  NoiseSession initiator;
  NoiseSession responder;
};

Sessions Handshake(Parties& p) {
  NanseHandshake a = p.Initiator();
  NanseHandshake b = p.Responder();
  Bytes m1 = *a.WriteMessage1({});
  EXPECT_TRUE(b.ReadMessage1(m1).ok());
  Bytes m2 = *b.WriteMessage2(AsBytes("responder"));
  EXPECT_TRUE(a.ReadMessage2(m2).ok());
  Bytes m3 = *a.WriteMessage3(AsBytes("initiator"));
  EXPECT_TRUE(b.ReadMessage3(m3).ok());
  return {a.Finish().value(), b.Finish().value()};
}

TEST(NanseHandshake, BothSidesAgreeOnTheHashAfterEveryMessage) {
  SystemRandom system;
  Parties p(1);
  p.initiator_key = DhKeyPair::Generate(system);
  p.responder_key = DhKeyPair::Generate(system);
  system.Fill(p.psk);
  NanseHandshake a = NanseHandshake::Initiator(p.initiator_key, p.psk, p.prologue, system).value();
  NanseHandshake b = NanseHandshake::Responder(p.responder_key, p.psk, p.prologue, system).value();
  EXPECT_TRUE(a.is_initiator());
  EXPECT_FALSE(b.is_initiator());
  EXPECT_EQ(a.handshake_hash(), b.handshake_hash());  // after the prologue alone

  EXPECT_EQ(a.step(), NanseHandshake::Step::kWriteMessage1);
  EXPECT_EQ(b.step(), NanseHandshake::Step::kReadMessage1);
  auto m1 = a.WriteMessage1(AsBytes("one"));
  ASSERT_TRUE(m1.ok()) << m1.status().ToString();
  EXPECT_EQ(m1->size(), 32u + 3 + 16);  // e, then the payload and its tag
  auto p1 = b.ReadMessage1(*m1);
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(ToHex(*p1), ToHex(AsBytes("one")));
  EXPECT_EQ(a.handshake_hash(), b.handshake_hash());
  EXPECT_FALSE(a.remote_static().has_value());
  EXPECT_FALSE(b.remote_static().has_value());

  EXPECT_EQ(b.step(), NanseHandshake::Step::kWriteMessage2);
  auto m2 = b.WriteMessage2(AsBytes("two!"));
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(m2->size(), 32u + 48 + 4 + 16);  // e, encrypted s, payload and tag
  auto p2 = a.ReadMessage2(*m2);
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  EXPECT_EQ(p2->size(), 4u);
  EXPECT_EQ(a.handshake_hash(), b.handshake_hash());
  ASSERT_TRUE(a.remote_static().has_value());
  EXPECT_EQ(*a.remote_static(), p.responder_key.public_key);

  EXPECT_EQ(a.step(), NanseHandshake::Step::kWriteMessage3);
  auto m3 = a.WriteMessage3(AsBytes("three"));
  ASSERT_TRUE(m3.ok());
  EXPECT_EQ(m3->size(), 48u + 5 + 16);
  auto p3 = b.ReadMessage3(*m3);
  ASSERT_TRUE(p3.ok()) << p3.status().ToString();
  EXPECT_EQ(a.handshake_hash(), b.handshake_hash());
  ASSERT_TRUE(b.remote_static().has_value());
  EXPECT_EQ(*b.remote_static(), p.initiator_key.public_key);

  EXPECT_EQ(a.step(), NanseHandshake::Step::kFinish);
  EXPECT_EQ(b.step(), NanseHandshake::Step::kFinish);
  const noise::HandshakeHash h = a.handshake_hash();
  auto sa = a.Finish();
  auto sb = b.Finish();
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(a.step(), NanseHandshake::Step::kDone);
  EXPECT_EQ(sa->handshake_hash(), h);
  EXPECT_EQ(sb->handshake_hash(), h);
  EXPECT_EQ(sa->remote_static(), p.responder_key.public_key);
  EXPECT_EQ(sb->remote_static(), p.initiator_key.public_key);

  auto wire = sa->Seal(AsBytes("ops"));
  ASSERT_TRUE(wire.ok());
  auto opened = sb->Open(*wire);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(ToHex(*opened), ToHex(AsBytes("ops")));
  auto back = sb->Seal(AsBytes("ack"));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(sa->Open(*back).ok());
}

TEST(NanseHandshake, TwoSessionsHaveDifferentHashes) {
  Parties p(2);
  Sessions one = Handshake(p);
  Sessions two = Handshake(p);
  EXPECT_NE(one.initiator.handshake_hash(), two.initiator.handshake_hash());
}

TEST(NanseHandshake, WrongPskFailsTheResponderAtMessage1) {
  Parties p(3);
  NanseHandshake a = p.Initiator();
  NetworkKey other = p.psk;
  other[0] ^= 1;
  NanseHandshake b =
      NanseHandshake::Responder(p.responder_key, other, p.prologue, p.random).value();
  Bytes m1 = *a.WriteMessage1({});
  auto read = b.ReadMessage1(m1);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(read.status().ToString(),
            "noise message 1: payload: psk or prologue mismatch, or tampered (decrypt failed)");
  EXPECT_EQ(b.step(), NanseHandshake::Step::kFailed);
  EXPECT_EQ(b.failure().ToString(), read.status().ToString());
  // Nothing more comes out of a failed handshake.
  auto again = b.WriteMessage2({});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kUsage);
  EXPECT_TRUE(Contains(again.status(), "next step is Failed")) << again.status().ToString();
}

TEST(NanseHandshake, WrongPrologueFailsAtMessage1) {
  Parties p(4);
  NanseHandshake a = p.Initiator();
  Hash other_network{};
  NanseHandshake b =
      NanseHandshake::Responder(p.responder_key, p.psk, NoisePrologue(other_network), p.random)
          .value();
  auto read = b.ReadMessage1(*a.WriteMessage1({}));
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(Contains(read.status(), "noise message 1")) << read.status().ToString();
}

// Flipping any one bit of any message makes its reader fail, at that message.
TEST(NanseHandshake, ATamperedByteInAnyMessageFails) {
  Parties p(5);
  for (int message = 1; message <= 3; ++message) {
    size_t size = 0;
    for (size_t pos = 0; size == 0 || pos < size; ++pos) {
      SCOPED_TRACE("message " + std::to_string(message) + " byte " + std::to_string(pos));
      NanseHandshake a = p.Initiator();
      NanseHandshake b = p.Responder();
      Bytes m1 = *a.WriteMessage1(AsBytes("1"));
      Result<Bytes> read = Status::Ok();
      if (message == 1) {
        size = m1.size();
        m1[pos] ^= 0x01;
        read = b.ReadMessage1(m1);
      } else {
        ASSERT_TRUE(b.ReadMessage1(m1).ok());
        Bytes m2 = *b.WriteMessage2(AsBytes("22"));
        if (message == 2) {
          size = m2.size();
          m2[pos] ^= 0x01;
          read = a.ReadMessage2(m2);
        } else {
          ASSERT_TRUE(a.ReadMessage2(m2).ok());
          Bytes m3 = *a.WriteMessage3(AsBytes("333"));
          size = m3.size();
          m3[pos] ^= 0x01;
          read = b.ReadMessage3(m3);
        }
      }
      ASSERT_FALSE(read.ok());
      EXPECT_TRUE(Contains(read.status(), "noise message " + std::to_string(message) + ": "))
          << read.status().ToString();
      EXPECT_TRUE(Contains(read.status(), "decrypt failed")) << read.status().ToString();
      EXPECT_EQ((message == 2 ? a : b).step(), NanseHandshake::Step::kFailed);
    }
  }
}

TEST(NanseHandshake, TruncatedOrOverlongMessagesFail) {
  Parties p(6);
  NanseHandshake a = p.Initiator();
  Bytes m1 = *a.WriteMessage1({});
  NanseHandshake b = p.Responder();
  auto short_read = b.ReadMessage1(ByteView(m1).first(40));
  ASSERT_FALSE(short_read.ok());
  EXPECT_EQ(short_read.status().code(), Status::Code::kMalformed);
  EXPECT_EQ(short_read.status().ToString(),
            "noise message 1: length: truncated: at least 48 bytes, got 40");
  NanseHandshake c = p.Responder();
  Bytes huge(kMaxNoiseMessage + 1, 0);
  auto long_read = c.ReadMessage1(huge);
  ASSERT_FALSE(long_read.ok());
  EXPECT_TRUE(Contains(long_read.status(), "at most 65535 bytes")) << long_read.status().ToString();
  NanseHandshake d = p.Responder();
  EXPECT_FALSE(d.ReadMessage1({}).ok());
}

TEST(NanseHandshake, PayloadsUpToTheLimitFitIn65535Bytes) {
  Parties p(7);
  NanseHandshake a = p.Initiator();
  NanseHandshake b = p.Responder();
  auto too_big = a.WriteMessage1(Bytes(kMaxNoisePayload1 + 1, 1));
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), Status::Code::kUsage);
  EXPECT_EQ(a.step(), NanseHandshake::Step::kWriteMessage1);  // nothing changed
  auto m1 = a.WriteMessage1(Bytes(kMaxNoisePayload1, 1));
  ASSERT_TRUE(m1.ok());
  EXPECT_EQ(m1->size(), kMaxNoiseMessage);
  ASSERT_TRUE(b.ReadMessage1(*m1).ok());
  EXPECT_FALSE(b.WriteMessage2(Bytes(kMaxNoisePayload2 + 1, 2)).ok());
  auto m2 = b.WriteMessage2(Bytes(kMaxNoisePayload2, 2));
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(m2->size(), kMaxNoiseMessage);
  ASSERT_TRUE(a.ReadMessage2(*m2).ok());
  EXPECT_FALSE(a.WriteMessage3(Bytes(kMaxNoisePayload3 + 1, 3)).ok());
  auto m3 = a.WriteMessage3(Bytes(kMaxNoisePayload3, 3));
  ASSERT_TRUE(m3.ok());
  EXPECT_EQ(m3->size(), kMaxNoiseMessage);
  ASSERT_TRUE(b.ReadMessage3(*m3).ok());
  auto sa = a.Finish();
  auto sb = b.Finish();
  auto sealed = sa->Seal(Bytes(kMaxTransportPayload, 4));
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), kMaxNoiseMessage);
  EXPECT_TRUE(sb->Open(*sealed).ok());
  auto too_long = sa->Seal(Bytes(kMaxTransportPayload + 1, 4));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), Status::Code::kUsage);
  EXPECT_EQ(sa->send_nonce(), 1u);  // the refused Seal used no nonce
}

TEST(NanseHandshake, CallsOutOfTurnAreRefusedAndChangeNothing) {
  Parties p(8);
  NanseHandshake a = p.Initiator();
  NanseHandshake b = p.Responder();
  auto wrong = a.ReadMessage1({});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().ToString(),
            "noise handshake: ReadMessage1 called, but the next step is WriteMessage1");
  EXPECT_FALSE(b.WriteMessage1({}).ok());
  EXPECT_FALSE(b.WriteMessage2({}).ok());
  EXPECT_FALSE(a.Finish().ok());
  EXPECT_EQ(a.step(), NanseHandshake::Step::kWriteMessage1);
  EXPECT_EQ(b.step(), NanseHandshake::Step::kReadMessage1);
  ASSERT_TRUE(b.ReadMessage1(*a.WriteMessage1({})).ok());  // still works
}

// A low-order ephemeral key makes the ee DH all zeros: the side that computes it fails.
TEST(NanseHandshake, LowOrderEphemeralInMessage2FailsTheInitiator) {
  // 0, 1, and a point of order 8: X25519 with any of them gives all zeros.
  for (const std::string& hex :
       {std::string(64, '0'), "01" + std::string(62, '0'),
        std::string("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")}) {
    SCOPED_TRACE(hex);
    Parties p(9);
    NanseHandshake a = p.Initiator();
    NanseHandshake b = p.Responder();
    ASSERT_TRUE(b.ReadMessage1(*a.WriteMessage1({})).ok());
    Bytes m2 = *b.WriteMessage2({});
    DhPublicKey low = PublicFromHex(hex);
    std::copy(low.begin(), low.end(), m2.begin());
    auto read = a.ReadMessage2(m2);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.status().ToString(),
              "noise message 2: ee: low-order public key (the X25519 result is all zeros)");
    EXPECT_EQ(a.step(), NanseHandshake::Step::kFailed);
  }
}

TEST(NanseHandshake, LowOrderEphemeralInMessage1FailsTheResponder) {
  // Someone who holds the psk sends message 1 with an all-zero ephemeral key, built by hand.
  Parties p(10);
  noise::SymmetricState forged(kNanseNoiseProtocol);
  forged.MixHash(p.prologue);
  forged.MixKeyAndHash(p.psk);  // psk
  DhPublicKey zero{};
  forged.MixHash(zero);  // e
  forged.MixKey(zero);
  Bytes m1(zero.begin(), zero.end());
  ASSERT_TRUE(forged.EncryptAndHash({}, m1).ok());

  NanseHandshake b = p.Responder();
  ASSERT_TRUE(b.ReadMessage1(m1).ok());  // a valid message: the key is only used at ee
  auto m2 = b.WriteMessage2({});
  ASSERT_FALSE(m2.ok());
  EXPECT_EQ(m2.status().ToString(),
            "noise message 2: ee: low-order public key (the X25519 result is all zeros)");
  EXPECT_EQ(b.step(), NanseHandshake::Step::kFailed);
}

TEST(NoiseSession, NonceCountsEachMessage) {
  Parties p(11);
  Sessions s = Handshake(p);
  EXPECT_EQ(s.initiator.send_nonce(), 0u);
  EXPECT_EQ(s.responder.receive_nonce(), 0u);
  Bytes first = *s.initiator.Seal(AsBytes("same"));
  Bytes second = *s.initiator.Seal(AsBytes("same"));
  EXPECT_NE(first, second);  // the nonce differs
  EXPECT_EQ(s.initiator.send_nonce(), 2u);
  EXPECT_TRUE(s.responder.Open(first).ok());
  EXPECT_EQ(s.responder.receive_nonce(), 1u);
  EXPECT_TRUE(s.responder.Open(second).ok());
  EXPECT_EQ(s.responder.receive_nonce(), 2u);
  EXPECT_EQ(s.responder.send_nonce(), 0u);  // each direction counts on its own
}

TEST(NoiseSession, AReplayedMessageFailsAndBreaksTheSession) {
  Parties p(12);
  Sessions s = Handshake(p);
  Bytes first = *s.initiator.Seal(AsBytes("a"));
  Bytes second = *s.initiator.Seal(AsBytes("b"));
  ASSERT_TRUE(s.responder.Open(first).ok());
  auto replay = s.responder.Open(first);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.status().ToString(),
            "noise transport message 1: decrypt failed (tampered, replayed, out of order, or "
            "from another session)");
  auto after = s.responder.Open(second);  // the transport drops the peer; so does the session
  ASSERT_FALSE(after.ok());
  EXPECT_TRUE(Contains(after.status(), "session is broken"));
}

TEST(NoiseSession, AReorderedMessageFails) {
  Parties p(13);
  Sessions s = Handshake(p);
  Bytes first = *s.responder.Seal(AsBytes("a"));
  Bytes second = *s.responder.Seal(AsBytes("b"));
  (void)first;
  auto read = s.initiator.Open(second);
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(Contains(read.status(), "noise transport message 0: decrypt failed"));
}

TEST(NoiseSession, ATamperedOrForeignMessageFails) {
  Parties p(14);
  Sessions s = Handshake(p);
  Sessions other = Handshake(p);
  Bytes wire = *s.initiator.Seal(AsBytes("hello"));
  Bytes tampered = wire;
  tampered.back() ^= 0x80;
  EXPECT_FALSE(other.responder.Open(wire).ok());
  EXPECT_FALSE(s.responder.Open(tampered).ok());
  EXPECT_FALSE(s.responder.Open(ByteView(wire).first(15)).ok());
}

TEST(NoiseSession, RekeyOnBothEndsKeepsTheStreamGoing) {
  Parties p(15);
  Sessions s = Handshake(p);
  ASSERT_TRUE(s.responder.Open(*s.initiator.Seal(AsBytes("before"))).ok());
  ASSERT_TRUE(s.initiator.RekeySend().ok());
  ASSERT_TRUE(s.responder.RekeyReceive().ok());
  EXPECT_EQ(s.initiator.send_nonce(), 1u);  // Rekey keeps n
  auto after = s.responder.Open(*s.initiator.Seal(AsBytes("after")));
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(ToHex(*after), ToHex(AsBytes("after")));
  // The other direction is untouched.
  ASSERT_TRUE(s.initiator.Open(*s.responder.Seal(AsBytes("reply"))).ok());
}

TEST(NoiseSession, RekeyOnOneEndOnlyFails) {
  Parties p(16);
  Sessions s = Handshake(p);
  ASSERT_TRUE(s.initiator.RekeySend().ok());
  EXPECT_FALSE(s.responder.Open(*s.initiator.Seal(AsBytes("x"))).ok());
}

TEST(NoiseCipherState, RekeyIsTheEncryptionOfZerosUnderTheMaxNonce) {
  std::array<uint8_t, 32> key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 7);
  // REKEY(k) = the first 32 bytes of ENCRYPT(k, 2^64-1, empty, 32 zero bytes), with libsodium.
  std::array<uint8_t, 12> max_nonce{};
  for (int i = 4; i < 12; ++i) max_nonce[i] = 0xff;
  std::array<uint8_t, 32> zeros{};
  std::array<uint8_t, 48> encrypted{};
  crypto_aead_chacha20poly1305_ietf_encrypt(encrypted.data(), nullptr, zeros.data(), 32, nullptr, 0,
                                            nullptr, max_nonce.data(), key.data());
  CipherState rekeyed, expected;
  rekeyed.InitializeKey(key);
  ASSERT_TRUE(rekeyed.Rekey().ok());
  expected.InitializeKey(ByteView(encrypted).first(32));
  Bytes a, b;
  ASSERT_TRUE(rekeyed.EncryptWithAd(AsBytes("ad"), AsBytes("text"), a).ok());
  ASSERT_TRUE(expected.EncryptWithAd(AsBytes("ad"), AsBytes("text"), b).ok());
  EXPECT_EQ(a, b);
}

TEST(NoiseCipherState, NonceIsFourZeroBytesThenLittleEndianCounter) {
  std::array<uint8_t, 32> key{};
  key.fill(9);
  CipherState cipher;
  cipher.InitializeKey(key);
  cipher.SetNonce(0x0102030405060708ull);
  Bytes ours;
  ASSERT_TRUE(cipher.EncryptWithAd({}, AsBytes("x"), ours).ok());
  const std::array<uint8_t, 12> nonce = {0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};
  Bytes theirs(1 + 16);
  crypto_aead_chacha20poly1305_ietf_encrypt(theirs.data(), nullptr, AsBytes("x").data(), 1, nullptr,
                                            0, nullptr, nonce.data(), key.data());
  EXPECT_EQ(ours, theirs);
}

TEST(NoiseCipherState, TheLastNonceIsReserved) {
  std::array<uint8_t, 32> key{};
  CipherState sender, receiver;
  sender.InitializeKey(key);
  receiver.InitializeKey(key);
  sender.SetNonce(CipherState::kMaxNonce - 1);
  receiver.SetNonce(CipherState::kMaxNonce - 1);
  Bytes last;
  ASSERT_TRUE(sender.EncryptWithAd({}, AsBytes("last"), last).ok());
  Bytes plain;
  ASSERT_TRUE(receiver.DecryptWithAd({}, last, plain).ok());
  Bytes none;
  Status refused = sender.EncryptWithAd({}, AsBytes("one more"), none);
  EXPECT_EQ(refused.code(), Status::Code::kInvalid);
  EXPECT_EQ(refused.field(), "nonce");
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(receiver.DecryptWithAd({}, last, plain).ok());
}

TEST(NoiseCipherState, FailedDecryptionKeepsTheNonce) {
  std::array<uint8_t, 32> key{};
  CipherState sender, receiver;
  sender.InitializeKey(key);
  receiver.InitializeKey(key);
  Bytes wire;
  ASSERT_TRUE(sender.EncryptWithAd({}, AsBytes("m"), wire).ok());
  Bytes bad = wire;
  bad[0] ^= 1;
  Bytes out;
  EXPECT_FALSE(receiver.DecryptWithAd({}, bad, out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(receiver.nonce(), 0u);
  EXPECT_TRUE(receiver.DecryptWithAd({}, wire, out).ok());
  EXPECT_EQ(receiver.nonce(), 1u);
}

// HMAC-BLAKE2b against Python's hmac.new(key, msg, hashlib.blake2b) (a 128-byte block), for a
// 64-byte key and for a 200-byte key (hashed first); and it is not keyed BLAKE2b.
TEST(NoiseCrypto, HmacBlake2bIsRfc2104WithA128ByteBlock) {
  Bytes key(64);
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  noise::HashOutput out;
  noise::HmacBlake2b(key, {AsBytes("nanse "), AsBytes("hmac test")}, out);
  EXPECT_EQ(ToHex(out.view()),
            "e4cd280dd2f6ee21c32002043f4a0c62906e3e0ad11e5c2e4b914a776a9df0338dd7d535be1294eb58"
            "438c8edf240e16f5404ef1ee50af9cca84bd77506fe2e8");
  EXPECT_NE(ToHex(out.view()),
            "730c3df75e5d083504321f8ef964293f13a01b036972185d7043b25f9061a86046d723eabec2001a5a"
            "d44f7df1e93f5b5ff39933f4e8616ffe6113e611975e39");  // keyed BLAKE2b
  Bytes long_key(200, 0xaa);
  noise::HmacBlake2b(long_key, {AsBytes("nanse hmac test")}, out);
  EXPECT_EQ(ToHex(out.view()),
            "5a26ae7ff77ff6ae9839457c975ba9b44a5e4b12416b60cf5ab3252fdabed5a27858ca9e31a33c0a06"
            "8aa986198170ca1b7cce7e49b3a107d158b5d9805d7bbf");
}

TEST(NoiseCrypto, DhRejectsAnAllZeroResult) {
  SeededRandom random(17);
  DhKeyPair pair = DhKeyPair::Generate(random);
  auto shared = noise::Dh(pair, DhPublicKey{});
  ASSERT_FALSE(shared.ok());
  EXPECT_EQ(shared.status().field(), "dh");
  DhKeyPair other = DhKeyPair::Generate(random);
  auto ab = noise::Dh(pair, other.public_key);
  auto ba = noise::Dh(other, pair.public_key);
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_EQ(ToHex(ab->view()), ToHex(ba->view()));
}

TEST(NoiseCrypto, SecretsAreWipedWhenMovedFrom) {
  Bytes bytes(32, 0x5a);
  noise::Secret<32> a(bytes);
  noise::Secret<32> b(std::move(a));
  EXPECT_EQ(ToHex(a.view()), std::string(64, '0'));  // NOLINT: reading a moved-from secret
  EXPECT_EQ(ToHex(b.view()), ToHex(bytes));
}

TEST(NoisePattern, NamesAndModifiers) {
  auto xx = noise::ParseProtocolName(kNanseNoiseProtocol);
  ASSERT_TRUE(xx.ok());
  EXPECT_EQ(xx->name, "XXpsk0");
  ASSERT_EQ(xx->messages.size(), 3u);
  EXPECT_EQ(xx->messages[0], (std::vector<noise::Token>{noise::Token::kPsk, noise::Token::kE}));
  EXPECT_EQ(xx->psk_count, 1u);
  auto x1k1 = noise::FindPattern("X1K1");
  ASSERT_TRUE(x1k1.ok());
  EXPECT_EQ(x1k1->messages.size(), 4u);
  auto two = noise::FindPattern("NXpsk0+psk1+psk2");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->psk_count, 3u);
  EXPECT_EQ(two->messages[1].back(), noise::Token::kPsk);

  EXPECT_FALSE(noise::FindPattern("XXfallback").ok());
  EXPECT_FALSE(noise::FindPattern("XXpsk4").ok());
  EXPECT_FALSE(noise::FindPattern("XXpsk0+psk0").ok());
  EXPECT_FALSE(noise::FindPattern("QQ").ok());
  EXPECT_FALSE(noise::ParseProtocolName("Noise_XX_448_ChaChaPoly_BLAKE2b").ok());
  EXPECT_FALSE(noise::ParseProtocolName("Noise_XX_25519_AESGCM_SHA256").ok());
  auto bad = noise::ParseProtocolName("Noise_XXhfs_25519_ChaChaPoly_BLAKE2b");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().ToString(),
            "noise pattern: 'XXhfs': modifier 'hfs' is not supported (only psk0 to psk9)");
}

TEST(NoiseHandshakeState, CreateNamesWhatIsMissing) {
  SeededRandom random(18);
  noise::HandshakeConfig config;
  config.protocol_name = std::string(kNanseNoiseProtocol);
  config.random = &random;
  auto no_static = noise::HandshakeState::Create(std::move(config));
  ASSERT_FALSE(no_static.ok());
  EXPECT_EQ(no_static.status().ToString(),
            "noise handshake config: XXpsk0 needs a static key pair for the initiator");

  noise::HandshakeConfig no_psk;
  no_psk.protocol_name = std::string(kNanseNoiseProtocol);
  no_psk.random = &random;
  no_psk.local_static = DhKeyPair::Generate(random);
  auto created = noise::HandshakeState::Create(std::move(no_psk));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().ToString(), "noise handshake config: XXpsk0 needs 1 psk(s), got 0");

  noise::HandshakeConfig ik;
  ik.protocol_name = "Noise_IK_25519_ChaChaPoly_BLAKE2b";
  ik.random = &random;
  ik.local_static = DhKeyPair::Generate(random);
  auto no_remote = noise::HandshakeState::Create(std::move(ik));
  ASSERT_FALSE(no_remote.ok());
  EXPECT_EQ(no_remote.status().ToString(),
            "noise handshake config: IK needs the initiator to know the peer's static key");
}

}  // namespace
}  // namespace nanse
