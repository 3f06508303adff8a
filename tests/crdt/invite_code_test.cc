// Tests of crdt/invite_code: "nanse1:" + base64url(msgpack [1, id, name, key, peers]).
#include "crdt/invite_code.h"

#include "crdt/crypto.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "crdt/msgpack_io.h"
#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "tests/crdt/generators.h"

namespace nanse {
namespace {

using detail::MsgpackWriter;

InviteCode Sample() {
  InviteCode code;
  for (size_t i = 0; i < 32; ++i) {
    code.network_id[i] = static_cast<uint8_t>(i);
    code.network_key[i] = static_cast<uint8_t>(0xa0 + i);
  }
  code.network_name = "Verein Sonnenblume e.V.";
  code.peers = {"nanse.example.org:7777", "192.0.2.10:7777", "[2001:db8::1]:7777"};
  return code;
}

// An invite code around hand-written msgpack, with a correct checksum.
std::string CodeOf(const std::function<void(MsgpackWriter&)>& write) {
  MsgpackWriter w;
  write(w);
  Bytes payload = w.Take();
  Hash sum = Blake2b256({AsBytes(std::string_view("nanse-invite-checksum")), payload});
  payload.insert(payload.end(), sum.begin(), sum.begin() + 4);
  return std::string(kInvitePrefix) + Base64UrlEncode(payload);
}

TEST(InviteCode, AMistypedCodeIsCaughtByItsChecksum) {
  std::string text = EncodeInviteCode(Sample());
  // Change one character of the key part to another valid base64url character.
  size_t at = text.size() - 30;
  text[at] = text[at] == 'A' ? 'B' : 'A';
  auto decoded = DecodeInviteCode(text);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().detail().find("checksum"), std::string::npos);
}

// The sample's fields written one by one, with `replace` given the chance to write field i
// differently (it returns true when it did).
std::string CodeWith(const std::function<bool(MsgpackWriter&, int)>& replace,
                     uint32_t array_size = 5) {
  InviteCode s = Sample();
  return CodeOf([&](MsgpackWriter& w) {
    w.Array(array_size);
    for (int i = 0; i < static_cast<int>(array_size); ++i) {
      if (replace(w, i)) continue;
      switch (i) {
        case 0:
          w.Uint(1);
          break;
        case 1:
          w.Bin(s.network_id);
          break;
        case 2:
          w.Str(s.network_name);
          break;
        case 3:
          w.Bin(s.network_key);
          break;
        case 4:
          w.Array(static_cast<uint32_t>(s.peers.size()));
          for (const auto& p : s.peers) w.Str(p);
          break;
        default:
          w.Nil();
      }
    }
  });
}

void ExpectMalformed(const Result<InviteCode>& decoded, const std::string& field) {
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Status::Code::kMalformed);
  EXPECT_EQ(decoded.status().field(), field) << decoded.status().ToString();
  EXPECT_FALSE(decoded.status().detail().empty());
}

TEST(InviteCode, RoundTrips) {
  std::string text = EncodeInviteCode(Sample());
  EXPECT_EQ(text.rfind("nanse1:", 0), 0u) << text;
  auto decoded = DecodeInviteCode(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, Sample());
}

TEST(InviteCode, RoundTripsWithoutPeers) {
  InviteCode code = Sample();
  code.peers.clear();
  auto decoded = DecodeInviteCode(EncodeInviteCode(code));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, code);
}

TEST(InviteCode, IsOnePasteableWord) {
  // No padding, no '+' or '/', nothing a mail client would wrap or escape.
  std::string text = EncodeInviteCode(Sample());
  EXPECT_EQ(text.find_first_not_of(
                "nanse1:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos)
      << text;
}

TEST(InviteCode, AcceptsSurroundingWhitespace) {
  std::string text = EncodeInviteCode(Sample());
  for (std::string before : {"", " ", "\n", "\t \r\n"}) {
    for (std::string after : {"", " ", "\n", "\r\n", " \t\n\n"}) {
      auto decoded = DecodeInviteCode(before + text + after);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      EXPECT_EQ(*decoded, Sample());
    }
  }
}

TEST(InviteCode, RejectsWhitespaceInside) {
  std::string text = EncodeInviteCode(Sample());
  text.insert(text.size() / 2, " ");
  ExpectMalformed(DecodeInviteCode(text), "invite code");
}

TEST(InviteCode, RejectsGarbage) {
  for (std::string bad :
       std::vector<std::string>{"", "   ", "hello", "nanse1:", "nanse1:!!!!", "nanse1:AAAA",
                                "nanse1:" + std::string(5000, 'A')}) {
    SCOPED_TRACE(bad.substr(0, 20));
    ExpectMalformed(DecodeInviteCode(bad), "invite code");
  }
}

TEST(InviteCode, RejectsAWrongPrefix) {
  std::string text = EncodeInviteCode(Sample());
  std::string body = text.substr(kInvitePrefix.size());
  for (std::string bad :
       {body, "nanse2:" + body, "Nanse1:" + body, "nanse1" + body, "nanse:" + body, "x" + text}) {
    SCOPED_TRACE(bad.substr(0, 10));
    auto decoded = DecodeInviteCode(bad);
    ExpectMalformed(decoded, "invite code");
    EXPECT_NE(decoded.status().detail().find("nanse1:"), std::string::npos);
  }
}

TEST(InviteCode, RejectsEveryTruncation) {
  // A code cut short in a copy-paste must never decode to something else.
  std::string text = EncodeInviteCode(Sample());
  for (size_t n = 0; n < text.size(); ++n) {
    SCOPED_TRACE(n);
    ExpectMalformed(DecodeInviteCode(text.substr(0, n)), "invite code");
  }
}

TEST(InviteCode, RejectsADamagedCharacterAsDamaged) {
  std::string text = EncodeInviteCode(Sample());
  text[text.size() - 3] = '*';
  auto decoded = DecodeInviteCode(text);
  ExpectMalformed(decoded, "invite code");
  EXPECT_NE(decoded.status().detail().find("damaged"), std::string::npos);
}

TEST(InviteCode, RejectsAnotherVersionNamingIt) {
  for (uint64_t version : {0u, 2u, 255u}) {
    SCOPED_TRACE(version);
    auto decoded = DecodeInviteCode(CodeWith([&](MsgpackWriter& w, int i) {
      if (i != 0) return false;
      w.Uint(version);
      return true;
    }));
    ExpectMalformed(decoded, "invite code.version");
    EXPECT_NE(decoded.status().detail().find("got " + std::to_string(version)), std::string::npos);
  }
}

TEST(InviteCode, RejectsANewerVersionWhateverItsShape) {
  // A future version may have other fields; the version is still what the error names.
  auto decoded = DecodeInviteCode(CodeOf([](MsgpackWriter& w) {
    w.Array(2);
    w.Uint(2);
    w.Str("something new");
  }));
  ExpectMalformed(decoded, "invite code.version");
}

TEST(InviteCode, RejectsAVersionOfTheWrongType) {
  ExpectMalformed(DecodeInviteCode(CodeWith([](MsgpackWriter& w, int i) {
                    if (i != 0) return false;
                    w.Str("1");
                    return true;
                  })),
                  "invite code.version");
}

TEST(InviteCode, RejectsAWrongNumberOfFields) {
  ExpectMalformed(DecodeInviteCode(CodeWith([](MsgpackWriter&, int) { return false; }, 4)),
                  "invite code");
  ExpectMalformed(DecodeInviteCode(CodeWith([](MsgpackWriter&, int) { return false; }, 6)),
                  "invite code");
  ExpectMalformed(DecodeInviteCode(CodeOf([](MsgpackWriter& w) { w.Array(0); })), "invite code");
}

TEST(InviteCode, RejectsSomethingOtherThanAnArray) {
  ExpectMalformed(DecodeInviteCode(CodeOf([](MsgpackWriter& w) { w.Uint(1); })), "invite code");
  ExpectMalformed(DecodeInviteCode(CodeOf([](MsgpackWriter& w) {
                    w.Map(1);
                    w.Str("version");
                    w.Uint(1);
                  })),
                  "invite code");
}

TEST(InviteCode, RejectsTrailingBytes) {
  InviteCode s = Sample();
  ExpectMalformed(DecodeInviteCode(CodeOf([&](MsgpackWriter& w) {
                    w.Array(5);
                    w.Uint(1);
                    w.Bin(s.network_id);
                    w.Str(s.network_name);
                    w.Bin(s.network_key);
                    w.Array(0);
                    w.Nil();
                  })),
                  "invite code");
}

TEST(InviteCode, RejectsAWrongSizeOfNetworkId) {
  for (size_t n : {0u, 31u, 33u}) {
    SCOPED_TRACE(n);
    auto decoded = DecodeInviteCode(CodeWith([&](MsgpackWriter& w, int i) {
      if (i != 1) return false;
      w.Bin(Bytes(n, 1));
      return true;
    }));
    ExpectMalformed(decoded, "invite code.network_id");
  }
  ExpectMalformed(DecodeInviteCode(CodeWith([](MsgpackWriter& w, int i) {
                    if (i != 1) return false;
                    w.Str(std::string(32, 'x'));
                    return true;
                  })),
                  "invite code.network_id");
}

TEST(InviteCode, RejectsAWrongSizeOfNetworkKey) {
  for (size_t n : {0u, 16u, 31u, 33u, 64u}) {
    SCOPED_TRACE(n);
    ExpectMalformed(DecodeInviteCode(CodeWith([&](MsgpackWriter& w, int i) {
                      if (i != 3) return false;
                      w.Bin(Bytes(n, 1));
                      return true;
                    })),
                    "invite code.network_key");
  }
}

TEST(InviteCode, RejectsABadNetworkName) {
  for (std::string bad : {std::string(), std::string(kMaxNameLength + 1, 'a'), std::string("a\nb"),
                          std::string("\xff\xfe"), std::string("\xc0\xaf")}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(DecodeInviteCode(CodeWith([&](MsgpackWriter& w, int i) {
                      if (i != 2) return false;
                      w.Str(bad);
                      return true;
                    })),
                    "invite code.network_name");
  }
}

TEST(InviteCode, AcceptsANameOfTheMaximumLength) {
  InviteCode code = Sample();
  code.network_name = std::string(kMaxNameLength, 'a');
  auto decoded = DecodeInviteCode(EncodeInviteCode(code));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, code);
}

TEST(InviteCode, RejectsTooManyPeers) {
  InviteCode code = Sample();
  code.peers.assign(kMaxAddresses, "peer.example.org:1");
  ASSERT_TRUE(DecodeInviteCode(EncodeInviteCode(code)).ok());
  code.peers.push_back("peer.example.org:2");
  ExpectMalformed(DecodeInviteCode(EncodeInviteCode(code)), "invite code.peers");
}

TEST(InviteCode, RejectsPeersThatAreNotAList) {
  ExpectMalformed(DecodeInviteCode(CodeWith([](MsgpackWriter& w, int i) {
                    if (i != 4) return false;
                    w.Str("peer.example.org:1");
                    return true;
                  })),
                  "invite code.peers");
}

TEST(InviteCode, RejectsABadPeerNamingIt) {
  for (std::string bad : {"peer.example.org", "peer.example.org:0", "peer.example.org:70000",
                          "peer example.org:1", ":7777", ""}) {
    SCOPED_TRACE(bad);
    InviteCode code = Sample();
    code.peers[1] = bad;
    ExpectMalformed(DecodeInviteCode(EncodeInviteCode(code)), "invite code.peers[1]");
  }
  ExpectMalformed(DecodeInviteCode(CodeWith([](MsgpackWriter& w, int i) {
                    if (i != 4) return false;
                    w.Array(1);
                    w.Uint(7777);
                    return true;
                  })),
                  "invite code.peers[0]");
}

RC_GTEST_PROP(InviteCode, RoundTripsAnyValidCode, ()) {
  InviteCode code;
  code.network_id = *testing::GenBytes32();
  code.network_key = *testing::GenBytes32();
  code.network_name = *testing::GenName();
  code.peers = *testing::GenAddresses();
  std::string text = EncodeInviteCode(code);
  auto decoded = DecodeInviteCode(text);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == code);
}

RC_GTEST_PROP(InviteCode, NeverAcceptsAChangedCharacter, ()) {
  // Any one character replaced by another either fails to decode or gives a different code:
  // never the same network with, say, another key silently.
  InviteCode code = Sample();
  std::string text = EncodeInviteCode(code);
  const size_t pos = *rc::gen::inRange<size_t>(0, text.size());
  const char c = *rc::gen::elementOf(
      std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:=+/ "));
  RC_PRE(text[pos] != c);
  text[pos] = c;
  auto decoded = DecodeInviteCode(text);
  if (decoded.ok()) RC_ASSERT(!(*decoded == code));
}

}  // namespace
}  // namespace nanse
