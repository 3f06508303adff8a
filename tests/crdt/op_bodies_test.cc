// Tests of crdt/op_bodies: the typed msgpack bodies of genesis and node ops, validated
// strictly and with errors that name the field.
#include "crdt/op_bodies.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "crdt/msgpack_io.h"
#include "tests/crdt/generators.h"

namespace nanse {
namespace {

using detail::MsgpackWriter;

Bytes Pack(const std::function<void(MsgpackWriter&)>& write) {
  MsgpackWriter w;
  write(w);
  return w.Take();
}

// A node body map with the given entries, each a key and a value writer.
Bytes NodeMap(const std::vector<std::pair<std::string, std::function<void(MsgpackWriter&)>>>& kv) {
  return Pack([&](MsgpackWriter& w) {
    w.Map(static_cast<uint32_t>(kv.size()));
    for (const auto& [k, v] : kv) {
      w.Str(k);
      v(w);
    }
  });
}

std::function<void(MsgpackWriter&)> Str(std::string s) {
  return [s](MsgpackWriter& w) { w.Str(s); };
}

std::function<void(MsgpackWriter&)> StrArray(std::vector<std::string> items) {
  return [items](MsgpackWriter& w) {
    w.Array(static_cast<uint32_t>(items.size()));
    for (const auto& s : items) w.Str(s);
  };
}

template <typename T>
void ExpectMalformed(const Result<T>& decoded, const std::string& field) {
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Status::Code::kMalformed);
  EXPECT_EQ(decoded.status().field(), field) << decoded.status().ToString();
  EXPECT_FALSE(decoded.status().detail().empty());
}

void ExpectMalformed(const Status& status, const std::string& field) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kMalformed);
  EXPECT_EQ(status.field(), field) << status.ToString();
  EXPECT_FALSE(status.detail().empty());
}

// Names that ValidateName and every body decoder must refuse.
const std::vector<std::string> kBadNames = {
    std::string(),                         // empty
    std::string(kMaxNameLength + 1, 'a'),  // too long
    std::string("caf\xc3"),                // truncated UTF-8
    std::string("\xff"),                   // never UTF-8
    std::string("\xc0\xaf"),               // overlong '/'
    std::string("\xed\xa0\x80"),           // UTF-16 surrogate
    std::string("two\nlines"),             // newline
    std::string("tab\there"),              // tab
    std::string("bell\a"),                 // C0 control
    std::string("nul\0byte", 8),           // NUL
    std::string("del\x7f"),                // DEL
    std::string("esc\x1b[31mred"),         // terminal escape
};

// --- genesis ---

TEST(GenesisBody, RoundTrips) {
  GenesisBody body{"Verein Sonnenblume e.V."};
  auto decoded = DecodeGenesisBody(EncodeGenesisBody(body));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, body);
}

TEST(GenesisBody, IsAMapWithTheKeyName) {
  EXPECT_EQ(EncodeGenesisBody({"ab"}), (Bytes{0x81, 0xa4, 'n', 'a', 'm', 'e', 0xa2, 'a', 'b'}));
}

TEST(GenesisBody, RejectsAnUnknownKey) {
  ExpectMalformed(DecodeGenesisBody(NodeMap({{"name", Str("x")}, {"nmae", Str("y")}})),
                  "op.body.nmae");
  // A node body is not a genesis body.
  ExpectMalformed(DecodeGenesisBody(EncodeNodeBody({"x", {"h:1"}})), "op.body.addrs");
}

TEST(GenesisBody, RejectsARepeatedKey) {
  auto decoded = DecodeGenesisBody(NodeMap({{"name", Str("a")}, {"name", Str("b")}}));
  ExpectMalformed(decoded, "op.body.name");
  EXPECT_NE(decoded.status().detail().find("repeated"), std::string::npos);
}

TEST(GenesisBody, RejectsAMissingName) {
  auto decoded = DecodeGenesisBody(NodeMap({}));
  ExpectMalformed(decoded, "op.body.name");
  EXPECT_NE(decoded.status().detail().find("missing"), std::string::npos);
}

TEST(GenesisBody, RejectsABadName) {
  for (const std::string& bad : kBadNames) {
    SCOPED_TRACE(bad);
    ExpectMalformed(DecodeGenesisBody(EncodeGenesisBody({bad})), "op.body.name");
  }
  ExpectMalformed(DecodeGenesisBody(NodeMap({{"name", [](MsgpackWriter& w) { w.Uint(7); }}})),
                  "op.body.name");
  ExpectMalformed(
      DecodeGenesisBody(NodeMap({{"name", [](MsgpackWriter& w) { w.Bin(AsBytes("x")); }}})),
      "op.body.name");
}

TEST(GenesisBody, RejectsWhatIsNotOneMap) {
  ExpectMalformed(DecodeGenesisBody(Bytes{}), "op.body");
  ExpectMalformed(DecodeGenesisBody(Pack([](MsgpackWriter& w) { w.Str("name"); })), "op.body");
  ExpectMalformed(DecodeGenesisBody(Pack([](MsgpackWriter& w) {
                    w.Array(2);
                    w.Str("name");
                    w.Str("x");
                  })),
                  "op.body");
  Bytes trailing = EncodeGenesisBody({"x"});
  trailing.push_back(0xc0);
  ExpectMalformed(DecodeGenesisBody(trailing), "op.body");
  Bytes truncated = EncodeGenesisBody({"xyz"});
  truncated.pop_back();
  ExpectMalformed(DecodeGenesisBody(truncated), "op.body");
}

TEST(GenesisBody, RejectsANonStringKey) {
  ExpectMalformed(DecodeGenesisBody(Pack([](MsgpackWriter& w) {
                    w.Map(1);
                    w.Uint(1);
                    w.Str("x");
                  })),
                  "op.body");
}

// --- node ---

TEST(NodeBody, RoundTrips) {
  NodeBody body{"kassel-pi", {"kassel.example.org:7777", "192.0.2.1:80", "[2001:db8::1]:443"}};
  auto decoded = DecodeNodeBody(EncodeNodeBody(body));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, body);
}

TEST(NodeBody, RoundTripsWithoutAddresses) {
  NodeBody body{"laptop", {}};
  auto decoded = DecodeNodeBody(EncodeNodeBody(body));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, body);
}

TEST(NodeBody, AddressesAreOptional) {
  auto decoded = DecodeNodeBody(NodeMap({{"name", Str("laptop")}}));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, (NodeBody{"laptop", {}}));
}

TEST(NodeBody, KeysMayComeInAnyOrder) {
  auto decoded = DecodeNodeBody(NodeMap({{"addrs", StrArray({"h:1"})}, {"name", Str("n")}}));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, (NodeBody{"n", {"h:1"}}));
}

TEST(NodeBody, RejectsAnUnknownKey) {
  ExpectMalformed(DecodeNodeBody(NodeMap({{"name", Str("n")}, {"address", StrArray({"h:1"})}})),
                  "op.body.address");
  ExpectMalformed(DecodeNodeBody(NodeMap({{"Name", Str("n")}})), "op.body.Name");
}

TEST(NodeBody, RejectsARepeatedKey) {
  ExpectMalformed(
      DecodeNodeBody(NodeMap(
          {{"name", Str("n")}, {"addrs", StrArray({"h:1"})}, {"addrs", StrArray({"h:2"})}})),
      "op.body.addrs");
  ExpectMalformed(DecodeNodeBody(NodeMap({{"name", Str("n")}, {"name", Str("n")}})),
                  "op.body.name");
}

TEST(NodeBody, RejectsAMissingName) {
  ExpectMalformed(DecodeNodeBody(NodeMap({{"addrs", StrArray({"h:1"})}})), "op.body.name");
}

TEST(NodeBody, RejectsABadName) {
  for (const std::string& bad : kBadNames) {
    SCOPED_TRACE(bad);
    ExpectMalformed(DecodeNodeBody(EncodeNodeBody({bad, {"h:1"}})), "op.body.name");
  }
}

TEST(NodeBody, AcceptsANameOfTheMaximumLength) {
  // 100 bytes, not 100 characters: 50 two-byte 'ä'.
  std::string name;
  for (int i = 0; i < 50; ++i) name += "\xc3\xa4";
  ASSERT_EQ(name.size(), kMaxNameLength);
  auto decoded = DecodeNodeBody(EncodeNodeBody({name, {}}));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectMalformed(DecodeNodeBody(EncodeNodeBody({name + "a", {}})), "op.body.name");
}

TEST(NodeBody, RejectsTooManyAddresses) {
  NodeBody body{"n", std::vector<std::string>(kMaxAddresses, "h:1")};
  ASSERT_TRUE(DecodeNodeBody(EncodeNodeBody(body)).ok());
  body.addresses.push_back("h:2");
  auto decoded = DecodeNodeBody(EncodeNodeBody(body));
  ExpectMalformed(decoded, "op.body.addrs");
  EXPECT_NE(decoded.status().detail().find("at most 8"), std::string::npos);
}

TEST(NodeBody, RejectsAddressesThatAreNotAList) {
  ExpectMalformed(DecodeNodeBody(NodeMap({{"name", Str("n")}, {"addrs", Str("h:1")}})),
                  "op.body.addrs");
  ExpectMalformed(
      DecodeNodeBody(NodeMap({{"name", Str("n")}, {"addrs", [](MsgpackWriter& w) { w.Nil(); }}})),
      "op.body.addrs");
}

// Addresses every decoder must refuse, with what is wrong with them.
const std::vector<std::string> kBadAddresses = {
    "...:80",                                           // empty labels
    "-:80",                                             // label starting with '-'
    "a..b:80",                                          // empty label
    "host-.org:80",                                     // label ending with '-'
    "999.999.999.999:80",                               // numeric, but not IPv4
    "1.2.3:80",                                         // numeric, but not IPv4
    "[:::::]:80",                                       // not IPv6
    "[1.2.3.4]:80",                                     // IPv4 in brackets
    "example.org:080",                                  // leading zero in the port
    "",                                                 // empty
    "example.org",                                      // no port
    "example.org:",                                     // empty port
    ":7777",                                            // no host
    "example.org:0",                                    // port 0
    "example.org:70000",                                // port too large
    "example.org:65536",                                // port just too large
    "example.org:123456",                               // too many digits
    "example.org:-1",                                   // sign
    "example.org:+80",                                  // sign
    "example.org:8o",                                   // letter in port
    "example.org: 80",                                  // space in port
    "exa mple.org:80",                                  // space in host
    "exa_mple.org:80",                                  // underscore in host
    "exa/mple.org:80",                                  // slash in host
    "user@example.org:80",                              // userinfo
    "http://example.org:80",                            // a URL, not an address
    "b\xc3\xa4r.example:80",                            // non-ASCII host (IDNA is the user's job)
    "::1:80",                                           // IPv6 without brackets
    "[::1:80",                                          // unclosed bracket
    "[]:80",                                            // empty IPv6
    "[::g]:80",                                         // not hex
    "[::1]x:80",                                        // junk after the bracket
    std::string(kMaxAddressLength - 4, 'a') + ":7777",  // 261 bytes
};

TEST(NodeBody, RejectsABadAddressNamingItsIndex) {
  for (const std::string& bad : kBadAddresses) {
    SCOPED_TRACE(bad);
    ExpectMalformed(DecodeNodeBody(EncodeNodeBody({"n", {"good.example.org:1", bad}})),
                    "op.body.addrs[1]");
  }
  ExpectMalformed(DecodeNodeBody(NodeMap({{"name", Str("n")},
                                          {"addrs",
                                           [](MsgpackWriter& w) {
                                             w.Array(3);
                                             w.Str("h:1");
                                             w.Str("h:2");
                                             w.Uint(7777);
                                           }}})),
                  "op.body.addrs[2]");
  ExpectMalformed(DecodeNodeBody(EncodeNodeBody({"n", {"h:1", "h:2\n"}})), "op.body.addrs[1]");
}

RC_GTEST_PROP(NodeBody, RoundTripsAnyValidBody, ()) {
  NodeBody body{*testing::GenName(), *testing::GenAddresses()};
  auto decoded = DecodeNodeBody(EncodeNodeBody(body));
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == body);
}

RC_GTEST_PROP(GenesisBody, RoundTripsAnyValidName, ()) {
  GenesisBody body{*testing::GenName()};
  auto decoded = DecodeGenesisBody(EncodeGenesisBody(body));
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == body);
}

// --- ValidateAddress, ValidateName ---

TEST(ValidateName, RefusesInvisibleControlsThatCouldDisguiseAName) {
  for (std::string bad : {std::string("Coop\xc2\x9b"
                                      "31m"),  // C1 CSI: a terminal escape
                          std::string("abc\xe2\x80\xae"
                                      "cba"),             // U+202E right-to-left override
                          std::string("x\xe2\x81\xa6y"),  // U+2066 left-to-right isolate
                          std::string("tab\there")}) {
    EXPECT_FALSE(ValidateName(bad, "name").ok()) << bad;
  }
  EXPECT_TRUE(ValidateName("Coopérative — Montréal ñ ü", "name").ok());
}

TEST(ValidateAddress, AcceptsNamesIpv4AndBracketedIpv6) {
  for (std::string good :
       {"localhost:1", "example.org:65535", "Kassel-Pi.local:7777", "192.0.2.1:80", "[::1]:7777",
        "[2001:DB8::1]:443", "[::ffff:192.0.2.1]:80"}) {
    EXPECT_TRUE(ValidateAddress(good, "addr").ok()) << good;
  }
  const std::string longest_name = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                                   std::string(63, 'c') + "." + std::string(61, 'd');
  EXPECT_TRUE(ValidateAddress(longest_name + ":777", "addr").ok());
  EXPECT_FALSE(ValidateAddress(longest_name + "d:777", "addr").ok());
}

TEST(ValidateAddress, RejectsMalformedAddressesNamingTheField) {
  for (const std::string& bad : kBadAddresses) {
    SCOPED_TRACE(bad);
    ExpectMalformed(ValidateAddress(bad, "peer"), "peer");
  }
}

TEST(ValidateAddress, ExplainsABadPort) {
  Status s = ValidateAddress("example.org:70000", "peer");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.detail().find("65535"), std::string::npos) << s.ToString();
}

RC_GTEST_PROP(ValidateAddress, AcceptsEveryGeneratedAddress, ()) {
  std::string address = *testing::GenAddress();
  RC_ASSERT(ValidateAddress(address, "a").ok());
}

TEST(ValidateName, AcceptsPrintableUtf8) {
  for (std::string good : {"a", "Verein Sonnenblume e.V.", "Caf\xc3\xa9 M\xc3\xbcller",
                           "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x8c\xbb sunflower"}) {
    EXPECT_TRUE(ValidateName(good, "name").ok()) << good;
  }
}

TEST(ValidateName, RejectsWhatTheDecodersReject) {
  for (const std::string& bad : kBadNames) {
    SCOPED_TRACE(bad);
    ExpectMalformed(ValidateName(bad, "member.name"), "member.name");
  }
}

RC_GTEST_PROP(ValidateName, AgreesWithTheBodyDecoder, (const std::string& name)) {
  // One rule for names: ValidateName (for input typed by a user) and the decoders (for bytes
  // from a peer) accept the same strings.
  bool valid = ValidateName(name, "name").ok();
  bool decodes = DecodeGenesisBody(EncodeGenesisBody({name})).ok();
  RC_ASSERT(valid == decodes);
}

// --- ValidateOpBody ---

TEST(ValidateOpBody, AcceptsTheBodyOfEachKnownType) {
  EXPECT_TRUE(ValidateOpBody("genesis", EncodeGenesisBody({"net"})).ok());
  EXPECT_TRUE(ValidateOpBody("node", EncodeNodeBody({"n", {"h:1"}})).ok());
}

TEST(ValidateOpBody, ChecksTheBodyAgainstItsType) {
  ExpectMalformed(ValidateOpBody("genesis", EncodeNodeBody({"n", {"h:1"}})), "op.body.addrs");
  ExpectMalformed(ValidateOpBody("node", EncodeNodeBody({"n", {"h"}})), "op.body.addrs[0]");
  ExpectMalformed(ValidateOpBody("node", Bytes{}), "op.body");
}

TEST(ValidateOpBody, RefusesUnknownTypes) {
  for (std::string type : {"member", "Node", "", "genesis2", "node.v2"}) {
    SCOPED_TRACE(type);
    Status s = ValidateOpBody(type, EncodeNodeBody({"n", {}}));
    ExpectMalformed(s, "op.header.type");
    EXPECT_NE(s.detail().find("unknown op type"), std::string::npos);
  }
}

TEST(IsKnownOpType, KnowsExactlyTheTypesValidateOpBodyAccepts) {
  for (std::string type : {"genesis", "node", "member", "Node", "", "genesis2", "node.v2"}) {
    SCOPED_TRACE(type);
    Status s = ValidateOpBody(type, Bytes{});
    EXPECT_EQ(IsKnownOpType(type), s.field() != "op.header.type") << s.ToString();
  }
  EXPECT_TRUE(IsKnownOpType("genesis"));
  EXPECT_TRUE(IsKnownOpType("node"));
}

}  // namespace
}  // namespace nanse
