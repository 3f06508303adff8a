// Tests of crdt/version_vector: per-author high-water marks and their "nv1:" text form.
#include "crdt/version_vector.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "crdt/text_codec.h"

namespace nanse {
namespace {

PublicKey Key(uint8_t fill) {
  PublicKey k;
  k.fill(fill);
  return k;
}

std::string Id(const PublicKey& k) { return Base32Encode(k); }

void ExpectMalformed(const Result<VersionVector>& parsed, const std::string& field) {
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Status::Code::kMalformed);
  EXPECT_EQ(parsed.status().field(), field);
  EXPECT_FALSE(parsed.status().detail().empty());
}

TEST(VersionVector, UnknownAuthorsAreAtZero) {
  VersionVector vv;
  EXPECT_EQ(vv.Get(Key(1)), 0u);
  EXPECT_EQ(vv.size(), 0u);
  EXPECT_EQ(vv.TotalOps(), 0u);
}

TEST(VersionVector, AdvanceOnlyRaises) {
  VersionVector vv;
  vv.Advance(Key(1), 5);
  vv.Advance(Key(1), 3);
  EXPECT_EQ(vv.Get(Key(1)), 5u);
  vv.Advance(Key(1), 9);
  EXPECT_EQ(vv.Get(Key(1)), 9u);
  vv.Advance(Key(2), 2);
  EXPECT_EQ(vv.size(), 2u);
  EXPECT_EQ(vv.TotalOps(), 11u);
}

TEST(VersionVector, AdvancingToZeroRecordsNothing) {
  // Seq 0 means "no op of this author"; it must not make the vector differ from one that
  // never heard of the author (equality, size and the text form must agree).
  VersionVector vv;
  vv.Advance(Key(1), 0);
  EXPECT_EQ(vv, VersionVector());
  EXPECT_EQ(vv.size(), 0u);
  EXPECT_EQ(vv.ToText(), "nv1:");
}

TEST(VersionVector, EmptyVectorIsThePrefixAlone) {
  EXPECT_EQ(VersionVector().ToText(), "nv1:");
  auto parsed = VersionVector::FromText("nv1:");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, VersionVector());
}

TEST(VersionVector, TextListsAuthorsSortedWithTheirSeq) {
  VersionVector vv;
  vv.Advance(Key(0xff), 1);
  vv.Advance(Key(0x00), 42);
  EXPECT_EQ(vv.ToText(), "nv1:" + Id(Key(0x00)) + ":42," + Id(Key(0xff)) + ":1");
}

TEST(VersionVector, ParsesTextWithATrailingNewline) {
  std::string text = "nv1:" + Id(Key(7)) + ":3";
  for (std::string suffix : {"\n", "\r\n", " ", "  \n"}) {
    auto parsed = VersionVector::FromText(text + suffix);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->Get(Key(7)), 3u);
  }
}

TEST(VersionVector, ParsesTheLargestSeq) {
  VersionVector vv;
  vv.Advance(Key(3), std::numeric_limits<uint64_t>::max());
  auto parsed = VersionVector::FromText(vv.ToText());
  ASSERT_TRUE(parsed.ok()) << vv.ToText() << ": " << parsed.status().ToString();
  EXPECT_EQ(*parsed, vv);
}

TEST(VersionVector, RejectsTextWithoutThePrefix) {
  std::string entry = Id(Key(1)) + ":1";
  for (std::string bad :
       std::vector<std::string>{"", "nv1", "nv2:", "NV1:", " nv1:", entry, "nv2:" + entry}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(VersionVector::FromText(bad), "version vector");
  }
}

TEST(VersionVector, RejectsAnEntryWithoutSeparator) {
  ExpectMalformed(VersionVector::FromText("nv1:" + Id(Key(1))), "version vector entry 1");
  ExpectMalformed(VersionVector::FromText("nv1:" + Id(Key(1)) + ":1,," + Id(Key(2)) + ":1"),
                  "version vector entry 2");
}

TEST(VersionVector, RejectsABadAuthor) {
  std::string good = Id(Key(1));
  std::string upper = good;
  upper[0] = 'A';
  for (std::string bad : std::vector<std::string>{"", good.substr(1), good + "a", upper,
                                                  good + "aaaa", "not-base32"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(VersionVector::FromText("nv1:" + bad + ":1"), "version vector entry 1 author");
  }
  // The entry number points at the bad one.
  ExpectMalformed(VersionVector::FromText("nv1:" + good + ":1,xyz:2"),
                  "version vector entry 2 author");
}

TEST(VersionVector, RejectsSeqZero) {
  ExpectMalformed(VersionVector::FromText("nv1:" + Id(Key(1)) + ":0"),
                  "version vector entry 1 seq");
  ExpectMalformed(VersionVector::FromText("nv1:" + Id(Key(1)) + ":000"),
                  "version vector entry 1 seq");
}

TEST(VersionVector, RejectsASeqThatIsNotAPositiveInteger) {
  for (std::string bad : {"", "-1", "+1", "1.5", "0x10", " 1", "1a", "18446744073709551616",
                          "99999999999999999999", "123456789012345678901"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(VersionVector::FromText("nv1:" + Id(Key(1)) + ":" + bad),
                    "version vector entry 1 seq");
  }
}

TEST(VersionVector, RejectsAnAuthorListedTwice) {
  std::string a = Id(Key(1));
  ExpectMalformed(VersionVector::FromText("nv1:" + a + ":1," + a + ":2"), "version vector entry 2");
  ExpectMalformed(VersionVector::FromText("nv1:" + a + ":2," + Id(Key(2)) + ":1," + a + ":2"),
                  "version vector entry 3");  // out of order, too
}

TEST(VersionVector, OneVectorHasOneText) {
  std::string a = Id(Key(1)), b = Id(Key(2));
  ExpectMalformed(VersionVector::FromText("nv1:" + a + ":1,"), "version vector entry 2");
  ExpectMalformed(VersionVector::FromText("nv1:" + a + ":1,," + b + ":1"),
                  "version vector entry 2");
  ExpectMalformed(VersionVector::FromText("nv1:" + a + ":01"), "version vector entry 1 seq");
  ExpectMalformed(VersionVector::FromText("nv1:" + b + ":1," + a + ":1"), "version vector entry 2");
  auto sorted = VersionVector::FromText("nv1:" + a + ":1," + b + ":1");
  ASSERT_TRUE(sorted.ok()) << sorted.status().ToString();
  EXPECT_EQ(sorted->ToText(), "nv1:" + a + ":1," + b + ":1");
}

rc::Gen<PublicKey> GenAuthor() {
  // A few fixed authors (so advances collide) or any key at all.
  return rc::gen::oneOf(
      rc::gen::map(rc::gen::inRange<int>(0, 4), [](int i) { return Key(static_cast<uint8_t>(i)); }),
      rc::gen::arbitrary<PublicKey>());
}

rc::Gen<uint64_t> GenSeq() {
  return rc::gen::oneOf(rc::gen::inRange<uint64_t>(0, 10), rc::gen::arbitrary<uint64_t>());
}

RC_GTEST_PROP(VersionVector, TextRoundTripsAnyVector, ()) {
  const auto advances = *rc::gen::container<std::vector<std::pair<PublicKey, uint64_t>>>(
      rc::gen::pair(GenAuthor(), GenSeq()));
  VersionVector vv;
  for (const auto& [author, seq] : advances) vv.Advance(author, seq);
  std::string text = vv.ToText();
  auto parsed = VersionVector::FromText(text);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == vv);
  RC_ASSERT(parsed->ToText() == text);
}

RC_GTEST_PROP(VersionVector, EntryIsTheMaximumOfItsAdvances, ()) {
  const auto seqs = *rc::gen::container<std::vector<uint64_t>>(GenSeq());
  VersionVector vv;
  uint64_t max = 0;
  for (uint64_t s : seqs) {
    vv.Advance(Key(9), s);
    max = std::max(max, s);
  }
  RC_ASSERT(vv.Get(Key(9)) == max);
}

}  // namespace
}  // namespace nanse
