// Tests of crdt/invite_code: "nanse1:" + base64url(msgpack [2, id, name, key, ticket, role,
// member, invite hlc, peers] + checksum).
#include "crdt/invite_code.h"

#include "crdt/crypto.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "crdt/msgpack_io.h"
#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "tests/crdt/generators.h"

namespace nanse {
namespace {

using detail::MsgpackWriter;

constexpr const char* kRolesForTest[] = {"admin", "treasurer", "member", "observer"};

InviteCode Sample() {
  InviteCode code;
  for (size_t i = 0; i < 32; ++i) {
    code.network_id[i] = static_cast<uint8_t>(i);
    code.network_key[i] = static_cast<uint8_t>(0xa0 + i);
    code.ticket_seed[i] = static_cast<uint8_t>(0x40 + i);
  }
  code.network_name = "Verein Sonnenblume e.V.";
  code.peers = {"nanse.example.org:7777", "192.0.2.10:7777", "[2001:db8::1]:7777"};
  code.role = "treasurer";
  RecordId member{};
  for (size_t i = 0; i < 16; ++i) member[i] = static_cast<uint8_t>(0xe0 + i);
  code.member = member;
  code.invite_hlc = Hlc::FromParts(1'700'000'000'000, 3);
  return code;
}

InviteCode SampleWithoutMember() {
  InviteCode code = Sample();
  code.member.reset();
  code.role = "observer";
  return code;
}

// The payload P (msgpack, without the checksum) of an encoded code.
Bytes PayloadOf(const std::string& text) {
  auto raw = Base64UrlDecode(text.substr(kInvitePrefix.size()));
  EXPECT_TRUE(raw.ok());
  if (!raw.ok() || raw->size() < 4) return {};
  return Bytes(raw->begin(), raw->end() - 4);
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

// Writes field i (0..8) of the version 2 layout of `s`; anything beyond is nil.
void WriteField(MsgpackWriter& w, const InviteCode& s, int i) {
  switch (i) {
    case 0:
      w.Uint(2);
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
      w.Bin(s.ticket_seed);
      break;
    case 5:
      w.Str(s.role);
      break;
    case 6:
      if (s.member) {
        w.Bin(*s.member);
      } else {
        w.Nil();
      }
      break;
    case 7:
      w.Uint(s.invite_hlc.packed());
      break;
    case 8:
      w.Array(static_cast<uint32_t>(s.peers.size()));
      for (const auto& p : s.peers) w.Str(p);
      break;
    default:
      w.Nil();
  }
}

// The sample's fields written one by one, with `replace` given the chance to write field i
// differently (it returns true when it did).
std::string CodeWith(const std::function<bool(MsgpackWriter&, int)>& replace,
                     uint32_t array_size = 9) {
  InviteCode s = Sample();
  return CodeOf([&](MsgpackWriter& w) {
    w.Array(array_size);
    for (int i = 0; i < static_cast<int>(array_size); ++i) {
      if (replace(w, i)) continue;
      WriteField(w, s, i);
    }
  });
}

// The sample with field `index` written by `write`.
std::string CodeWithField(int index, const std::function<void(MsgpackWriter&)>& write) {
  return CodeWith([&](MsgpackWriter& w, int i) {
    if (i != index) return false;
    write(w);
    return true;
  });
}

// A code as nanse 1 wrote it: [1, id, name, key, peers].
std::string VersionOneCode() {
  InviteCode s = Sample();
  return CodeOf([&](MsgpackWriter& w) {
    w.Array(5);
    w.Uint(1);
    w.Bin(s.network_id);
    w.Str(s.network_name);
    w.Bin(s.network_key);
    w.Array(static_cast<uint32_t>(s.peers.size()));
    for (const auto& p : s.peers) w.Str(p);
  });
}

void ExpectMalformed(const Result<InviteCode>& decoded, const std::string& field) {
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Status::Code::kMalformed);
  EXPECT_EQ(decoded.status().field(), field) << decoded.status().ToString();
  EXPECT_FALSE(decoded.status().detail().empty());
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

TEST(InviteCode, RejectsAWrongChecksum) {
  // A valid payload with each of the 4 checksum bytes changed in turn, and with a checksum
  // computed without the domain string.
  Bytes payload = PayloadOf(EncodeInviteCode(Sample()));
  Hash sum = Blake2b256({AsBytes(std::string_view("nanse-invite-checksum")), payload});
  for (size_t k = 0; k < 4; ++k) {
    SCOPED_TRACE(k);
    Bytes raw = payload;
    raw.insert(raw.end(), sum.begin(), sum.begin() + 4);
    raw[payload.size() + k] ^= 0x01;
    auto decoded = DecodeInviteCode(std::string(kInvitePrefix) + Base64UrlEncode(raw));
    ExpectMalformed(decoded, "invite code");
    EXPECT_NE(decoded.status().detail().find("checksum"), std::string::npos);
  }
  Hash plain = Blake2b256({payload});
  Bytes raw = payload;
  raw.insert(raw.end(), plain.begin(), plain.begin() + 4);
  auto decoded = DecodeInviteCode(std::string(kInvitePrefix) + Base64UrlEncode(raw));
  ExpectMalformed(decoded, "invite code");
  EXPECT_NE(decoded.status().detail().find("checksum"), std::string::npos);
}

TEST(InviteCode, RoundTrips) {
  std::string text = EncodeInviteCode(Sample());
  EXPECT_EQ(text.rfind("nanse1:", 0), 0u) << text;
  auto decoded = DecodeInviteCode(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, Sample());
  EXPECT_EQ(decoded->ticket_seed, Sample().ticket_seed);
  EXPECT_EQ(decoded->role, "treasurer");
  EXPECT_EQ(decoded->member, Sample().member);
  EXPECT_EQ(decoded->invite_hlc, Hlc::FromParts(1'700'000'000'000, 3));
}

TEST(InviteCode, RoundTripsWithoutMember) {
  InviteCode code = SampleWithoutMember();
  auto decoded = DecodeInviteCode(EncodeInviteCode(code));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, code);
  EXPECT_FALSE(decoded->member.has_value());
}

TEST(InviteCode, TellsCodesWithAndWithoutMemberApart) {
  InviteCode without = Sample();
  without.member.reset();
  auto decoded = DecodeInviteCode(EncodeInviteCode(without));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_FALSE(*decoded == Sample());
}

TEST(InviteCode, RoundTripsWithoutPeers) {
  for (const InviteCode& base : {Sample(), SampleWithoutMember()}) {
    InviteCode code = base;
    code.peers.clear();
    auto decoded = DecodeInviteCode(EncodeInviteCode(code));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, code);
  }
}

TEST(InviteCode, RoundTripsEveryRole) {
  for (const char* role : kRolesForTest) {
    SCOPED_TRACE(role);
    InviteCode code = Sample();
    code.role = role;
    auto decoded = DecodeInviteCode(EncodeInviteCode(code));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, code);
  }
}

TEST(InviteCode, RoundTripsTheExtremeHlcs) {
  for (Hlc hlc : {Hlc(), Hlc(1), Hlc::FromParts(Hlc::kMaxOpMillis, 0),
                  Hlc::FromParts(Hlc::kMaxOpMillis, 0xffff)}) {
    SCOPED_TRACE(hlc.packed());
    InviteCode code = Sample();
    code.invite_hlc = hlc;
    auto decoded = DecodeInviteCode(EncodeInviteCode(code));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, code);
  }
}

TEST(InviteCode, WritesTheVersion2LayoutByteForByte) {
  // The example of docs/op-format.md, section 8.
  InviteCode code;
  code.network_id.fill(0x01);
  code.network_name = "n";
  code.network_key.fill(0x02);
  code.ticket_seed.fill(0x03);
  code.role = "member";
  code.invite_hlc = Hlc::FromParts(1, 2);  // 0x10002
  Bytes want = {0x99, 0x02, 0xc4, 0x20};
  want.insert(want.end(), 32, 0x01);
  want.insert(want.end(), {0xa1, 'n', 0xc4, 0x20});
  want.insert(want.end(), 32, 0x02);
  want.insert(want.end(), {0xc4, 0x20});
  want.insert(want.end(), 32, 0x03);
  want.insert(want.end(),
              {0xa6, 'm', 'e', 'm', 'b', 'e', 'r', 0xc0, 0xce, 0x00, 0x01, 0x00, 0x02, 0x90});
  std::string text = EncodeInviteCode(code);
  EXPECT_EQ(PayloadOf(text), want);
  auto decoded = DecodeInviteCode(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, code);

  // With a member: element 6 is bin 16.
  code.member = RecordId{};
  code.member->fill(0x04);
  Bytes payload = PayloadOf(EncodeInviteCode(code));
  Bytes member_bin = {0xc4, 0x10};
  member_bin.insert(member_bin.end(), 16, 0x04);
  EXPECT_NE(std::search(payload.begin(), payload.end(), member_bin.begin(), member_bin.end()),
            payload.end());
  EXPECT_EQ(payload.size(), want.size() - 1 + member_bin.size());
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
  for (const InviteCode& code : {Sample(), SampleWithoutMember()}) {
    std::string text = EncodeInviteCode(code);
    for (size_t n = 0; n < text.size(); ++n) {
      SCOPED_TRACE(n);
      ExpectMalformed(DecodeInviteCode(text.substr(0, n)), "invite code");
    }
  }
}

TEST(InviteCode, RejectsATruncatedPayloadWithAValidChecksum) {
  // The msgpack cut short, but with a checksum recomputed over what is left: the msgpack
  // reader must still refuse it.
  Bytes payload = PayloadOf(EncodeInviteCode(Sample()));
  for (size_t n = 1; n < payload.size(); ++n) {
    SCOPED_TRACE(n);
    Bytes cut(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(n));
    ExpectMalformed(DecodeInviteCode(CodeOf([&](MsgpackWriter& w) { w.Raw(cut); })), "invite code");
  }
}

TEST(InviteCode, RejectsADamagedCharacterAsDamaged) {
  std::string text = EncodeInviteCode(Sample());
  text[text.size() - 3] = '*';
  auto decoded = DecodeInviteCode(text);
  ExpectMalformed(decoded, "invite code");
  EXPECT_NE(decoded.status().detail().find("damaged"), std::string::npos);
}

TEST(InviteCode, RejectsAVersionOneCodeAskingForANewInvite) {
  auto decoded = DecodeInviteCode(VersionOneCode());
  ExpectMalformed(decoded, "invite code.version");
  EXPECT_NE(decoded.status().detail().find("older nanse"), std::string::npos)
      << decoded.status().ToString();
  EXPECT_NE(decoded.status().detail().find("ask an admin for a new invite"), std::string::npos)
      << decoded.status().ToString();
  // The version decides, not the shape: a 9-element code with version 1 gets the same answer.
  auto nine = DecodeInviteCode(CodeWithField(0, [](MsgpackWriter& w) { w.Uint(1); }));
  ExpectMalformed(nine, "invite code.version");
  EXPECT_EQ(nine.status().detail(), decoded.status().detail());
}

TEST(InviteCode, RejectsAnotherVersionNamingIt) {
  for (uint64_t version :
       {uint64_t{0}, uint64_t{3}, uint64_t{255}, std::numeric_limits<uint64_t>::max()}) {
    SCOPED_TRACE(version);
    auto decoded = DecodeInviteCode(CodeWithField(0, [&](MsgpackWriter& w) { w.Uint(version); }));
    ExpectMalformed(decoded, "invite code.version");
    EXPECT_NE(decoded.status().detail().find("expected 2, got " + std::to_string(version)),
              std::string::npos)
        << decoded.status().ToString();
    EXPECT_EQ(decoded.status().detail().find("newer nanse") != std::string::npos, version > 2)
        << decoded.status().ToString();
  }
}

TEST(InviteCode, RejectsANewerVersionWhateverItsShape) {
  // A future version may have other fields; the version is still what the error names.
  auto decoded = DecodeInviteCode(CodeOf([](MsgpackWriter& w) {
    w.Array(2);
    w.Uint(3);
    w.Str("something new");
  }));
  ExpectMalformed(decoded, "invite code.version");
  EXPECT_NE(decoded.status().detail().find("newer nanse"), std::string::npos);
}

TEST(InviteCode, RejectsAVersionOfTheWrongType) {
  for (auto write : std::vector<std::function<void(MsgpackWriter&)>>{
           [](MsgpackWriter& w) { w.Str("2"); }, [](MsgpackWriter& w) { w.Int(-2); },
           [](MsgpackWriter& w) { w.Nil(); }, [](MsgpackWriter& w) { w.Bool(true); }}) {
    ExpectMalformed(DecodeInviteCode(CodeWithField(0, write)), "invite code.version");
  }
}

TEST(InviteCode, RejectsAWrongNumberOfFields) {
  for (uint32_t n : {2u, 5u, 8u, 10u, 16u}) {
    SCOPED_TRACE(n);
    ExpectMalformed(DecodeInviteCode(CodeWith([](MsgpackWriter&, int) { return false; }, n)),
                    "invite code");
  }
  ExpectMalformed(DecodeInviteCode(CodeOf([](MsgpackWriter& w) { w.Array(0); })), "invite code");
}

TEST(InviteCode, RejectsSomethingOtherThanAnArray) {
  ExpectMalformed(DecodeInviteCode(CodeOf([](MsgpackWriter& w) { w.Uint(2); })), "invite code");
  ExpectMalformed(DecodeInviteCode(CodeOf([](MsgpackWriter& w) {
                    w.Map(1);
                    w.Str("version");
                    w.Uint(2);
                  })),
                  "invite code");
}

TEST(InviteCode, RejectsTrailingBytes) {
  InviteCode s = Sample();
  ExpectMalformed(DecodeInviteCode(CodeOf([&](MsgpackWriter& w) {
                    w.Array(9);
                    for (int i = 0; i < 9; ++i) WriteField(w, s, i);
                    w.Nil();
                  })),
                  "invite code");
}

// Each field of the version 2 layout, written wrong in several ways, gives an error that
// names that field.
TEST(InviteCode, NamesEveryMalformedField) {
  using Write = std::function<void(MsgpackWriter&)>;
  auto bin = [](size_t n) -> Write { return [n](MsgpackWriter& w) { w.Bin(Bytes(n, 1)); }; };
  auto str = [](std::string s) -> Write { return [s](MsgpackWriter& w) { w.Str(s); }; };
  auto uint = [](uint64_t v) -> Write { return [v](MsgpackWriter& w) { w.Uint(v); }; };
  const Write nil = [](MsgpackWriter& w) { w.Nil(); };
  const Write negative = [](MsgpackWriter& w) { w.Int(-1); };
  const Write boolean = [](MsgpackWriter& w) { w.Bool(false); };
  const Write empty_array = [](MsgpackWriter& w) { w.Array(0); };
  const Write map = [](MsgpackWriter& w) { w.Map(0); };
  struct Case {
    int index;
    std::string field;
    std::vector<Write> bad;
  };
  const uint64_t too_late = Hlc::FromParts(Hlc::kMaxOpMillis + 1, 0).packed();
  const std::vector<Case> cases = {
      {1,
       "invite code.network_id",
       {bin(0), bin(16), bin(31), bin(33), str(std::string(32, 'x')), nil, uint(1), empty_array}},
      {2,
       "invite code.network_name",
       {str(""), str(std::string(kMaxNameLength + 1, 'a')), str("a\nb"), str("\xff\xfe"),
        str("\xc0\xaf"), bin(5), nil, uint(1)}},
      {3,
       "invite code.network_key",
       {bin(0), bin(16), bin(31), bin(33), bin(64), str(std::string(32, 'x')), nil}},
      {4,
       "invite code.ticket",
       {bin(0), bin(16), bin(31), bin(33), bin(64), str(std::string(32, 'x')), nil, uint(0),
        empty_array, map}},
      {5,
       "invite code.role",
       {str(""), str("Admin"), str("ADMIN"), str("owner"), str("member "), str(" member"),
        str("members"), str(std::string("admin\0", 6)), bin(5), nil, uint(0), boolean, empty_array,
        map}},
      {6,
       "invite code.member",
       {bin(0), bin(15), bin(17), bin(32), str(std::string(16, 'x')),
        str("8c1fa0d2-7b3e-4c55-9a0e-1d2f3a4b5c6d"), uint(0), boolean, empty_array, map}},
      {7,
       "invite code.invite_hlc",
       {str("1700000000000"), negative, nil, bin(8), boolean, empty_array, uint(too_late),
        uint(std::numeric_limits<uint64_t>::max())}},
      {8, "invite code.peers", {str("peer.example.org:1"), nil, bin(4), uint(1), map}},
  };
  for (const Case& c : cases) {
    for (size_t k = 0; k < c.bad.size(); ++k) {
      SCOPED_TRACE(c.field + " case " + std::to_string(k));
      ExpectMalformed(DecodeInviteCode(CodeWithField(c.index, c.bad[k])), c.field);
    }
  }
}

TEST(InviteCode, RejectsAWrongSizeOfTicketSayingWhatItExpected) {
  auto decoded = DecodeInviteCode(CodeWithField(4, [](MsgpackWriter& w) { w.Bin(Bytes(31, 1)); }));
  ExpectMalformed(decoded, "invite code.ticket");
  EXPECT_NE(decoded.status().detail().find("32"), std::string::npos) << decoded.status().ToString();
}

TEST(InviteCode, RejectsABadRoleListingTheRoles) {
  auto decoded = DecodeInviteCode(CodeWithField(5, [](MsgpackWriter& w) { w.Str("owner"); }));
  ExpectMalformed(decoded, "invite code.role");
  for (const char* role : kRolesForTest) {
    EXPECT_NE(decoded.status().detail().find(role), std::string::npos)
        << decoded.status().ToString();
  }
  // The encoder writes what it is given; the decoder refuses it.
  InviteCode code = Sample();
  code.role = "";
  ExpectMalformed(DecodeInviteCode(EncodeInviteCode(code)), "invite code.role");
}

TEST(InviteCode, RejectsAWrongSizeOfMemberSayingWhatItGot) {
  auto decoded = DecodeInviteCode(CodeWithField(6, [](MsgpackWriter& w) { w.Bin(Bytes(15, 1)); }));
  ExpectMalformed(decoded, "invite code.member");
  EXPECT_NE(decoded.status().detail().find("16"), std::string::npos);
  EXPECT_NE(decoded.status().detail().find("15"), std::string::npos);
}

TEST(InviteCode, RejectsAnHlcAfterTheYear9999) {
  InviteCode code = Sample();
  code.invite_hlc = Hlc::FromParts(Hlc::kMaxOpMillis + 1, 0);
  ExpectMalformed(DecodeInviteCode(EncodeInviteCode(code)), "invite code.invite_hlc");
  code.invite_hlc = Hlc::FromParts(Hlc::kMaxMillis, 0xffff);
  ExpectMalformed(DecodeInviteCode(EncodeInviteCode(code)), "invite code.invite_hlc");
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

TEST(InviteCode, RejectsABadPeerNamingIt) {
  for (std::string bad : {"peer.example.org", "peer.example.org:0", "peer.example.org:70000",
                          "peer example.org:1", ":7777", ""}) {
    SCOPED_TRACE(bad);
    InviteCode code = Sample();
    code.peers[1] = bad;
    ExpectMalformed(DecodeInviteCode(EncodeInviteCode(code)), "invite code.peers[1]");
  }
  ExpectMalformed(DecodeInviteCode(CodeWithField(8,
                                                 [](MsgpackWriter& w) {
                                                   w.Array(1);
                                                   w.Uint(7777);
                                                 })),
                  "invite code.peers[0]");
}

RC_GTEST_PROP(InviteCode, RoundTripsAnyValidCode, ()) {
  InviteCode code;
  code.network_id = *testing::GenBytes32();
  code.network_key = *testing::GenBytes32();
  code.network_name = *testing::GenName();
  code.peers = *testing::GenAddresses();
  code.ticket_seed = *testing::GenBytes32();
  code.role = *rc::gen::elementOf(
      std::vector<std::string>(std::begin(kRolesForTest), std::end(kRolesForTest)));
  if (*rc::gen::arbitrary<bool>()) code.member = *rc::gen::arbitrary<RecordId>();
  code.invite_hlc = Hlc::FromParts(*rc::gen::inRange<uint64_t>(0, Hlc::kMaxOpMillis + 1),
                                   *rc::gen::arbitrary<uint16_t>());
  std::string text = EncodeInviteCode(code);
  auto decoded = DecodeInviteCode(text);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == code);
}

RC_GTEST_PROP(InviteCode, NeverAcceptsAChangedCharacter, ()) {
  // Any one character replaced by another either fails to decode or gives a different code:
  // never the same network with, say, another key or ticket silently.
  InviteCode code = *rc::gen::element(Sample(), SampleWithoutMember());
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
