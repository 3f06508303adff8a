// Tests of crdt/dues: which entries are in effect, and a member's status for a year.
#include "crdt/dues.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

namespace nanse {
namespace {

RecordId Rid(uint8_t n) {
  RecordId id{};
  id.fill(n);
  return id;
}

RecordedEntry Entry(uint8_t id, const std::string& type, int64_t amount, uint64_t hlc,
                    uint8_t author = 1, std::optional<uint8_t> reverses = {}) {
  RecordedEntry r;
  r.entry.id = Rid(id);
  r.entry.member = Rid(100);
  r.entry.year = 2025;
  r.entry.type = type;
  r.entry.amount_minor = r.entry.credited_minor = amount;
  if (reverses) r.entry.reverses = Rid(*reverses);
  r.hlc = Hlc::FromParts(hlc, 0);
  r.author.fill(author);
  return r;
}

std::vector<const RecordedEntry*> Ptrs(const std::vector<RecordedEntry>& v) {
  std::vector<const RecordedEntry*> out;
  for (const auto& e : v) out.push_back(&e);
  return out;
}

const Date kJoined{2020, 1, 1};

TEST(Dues, TheFirstReversalOfAnEntryIsEffectiveAndALaterOneADuplicate) {
  std::vector<RecordedEntry> entries = {Entry(1, "payment", 10000, 10),
                                        Entry(2, "reversal", -10000, 30, 2, 1),
                                        Entry(3, "reversal", -10000, 20, 3, 1)};
  auto effects = ResolveEntries(entries);
  EXPECT_EQ(effects[Rid(1)], EntryEffect::kReversed);
  EXPECT_EQ(effects[Rid(3)], EntryEffect::kReversal);  // lower hlc
  EXPECT_EQ(effects[Rid(2)], EntryEffect::kDuplicateReversal);
}

TEST(Dues, AReversalOfAMissingOrWrongEntryHasNoEffect) {
  std::vector<RecordedEntry> entries = {Entry(1, "payment", 10000, 10),
                                        Entry(2, "reversal", -10000, 20, 1, 9),
                                        Entry(3, "reversal", 0, 30, 1, 2)};
  auto effects = ResolveEntries(entries);
  EXPECT_EQ(effects[Rid(1)], EntryEffect::kEffective);
  EXPECT_EQ(effects[Rid(2)], EntryEffect::kDanglingReversal);
  EXPECT_EQ(effects[Rid(3)], EntryEffect::kDanglingReversal);  // a reversal of a reversal
}

RC_GTEST_PROP(Dues, EffectsDoNotDependOnTheOrderOfEntries, ()) {
  std::vector<RecordedEntry> entries;
  const int payments = *rc::gen::inRange(1, 5);
  for (int i = 0; i < payments; ++i)
    entries.push_back(Entry(static_cast<uint8_t>(i), "payment", 5000, 10));
  const int reversals = *rc::gen::inRange(0, 6);
  for (int i = 0; i < reversals; ++i) {
    entries.push_back(Entry(static_cast<uint8_t>(50 + i), "reversal", -5000,
                            *rc::gen::inRange<uint64_t>(1, 4),
                            static_cast<uint8_t>(*rc::gen::inRange(1, 3)),
                            static_cast<uint8_t>(*rc::gen::inRange(0, payments))));
  }
  const auto reference = ResolveEntries(entries);
  auto shuffled =
      *rc::gen::container<std::vector<size_t>>(entries.size(), rc::gen::arbitrary<size_t>());
  std::vector<RecordedEntry> other = entries;
  for (size_t i = 0; i < other.size(); ++i) std::swap(other[i], other[shuffled[i] % other.size()]);
  RC_ASSERT(ResolveEntries(other) == reference);
}

TEST(Dues, StatusFollowsOwedAndCredited) {
  const ScheduleEntry s = DefaultSchedule(2025, "organization");
  EXPECT_EQ(s.amount_minor, 10000);
  EXPECT_EQ(s.grace_until, (Date{2025, 4, 30}));
  const Date before_grace{2025, 4, 1}, after_grace{2025, 6, 1};
  auto status = [&](std::vector<RecordedEntry> entries, const Date& today) {
    auto effects = ResolveEntries(entries);
    return ComputeDuesStatus("organization", kJoined, 2025, s, Ptrs(entries), effects, today);
  };
  EXPECT_EQ(status({}, before_grace).status, "open");
  EXPECT_EQ(status({}, after_grace).status, "arrears");
  EXPECT_EQ(status({Entry(1, "payment", 4000, 1)}, before_grace).status, "partial");
  EXPECT_EQ(status({Entry(1, "payment", 4000, 1)}, after_grace).status, "arrears");
  auto paid = status({Entry(1, "payment", 10000, 1)}, after_grace);
  EXPECT_EQ(paid.status, "paid");
  EXPECT_EQ(paid.balance, 0);
  EXPECT_EQ(status({Entry(1, "waiver", 10000, 1)}, after_grace).status, "waived");
  EXPECT_EQ(
      status({Entry(1, "payment", 10000, 1), Entry(2, "reversal", -10000, 2, 1, 1)}, after_grace)
          .status,
      "arrears");
  auto assessed =
      status({Entry(1, "payment", 10000, 1), Entry(2, "assessment", 500, 1)}, after_grace);
  EXPECT_EQ(assessed.owed, 10500);
  EXPECT_EQ(assessed.status, "arrears");
}

TEST(Dues, NothingIsOwedForAYearBeforeJoining) {
  const ScheduleEntry s = DefaultSchedule(2023, "associate");
  auto d = ComputeDuesStatus("associate", Date{2024, 5, 1}, 2023, s, {}, {}, Date{2024, 6, 1});
  EXPECT_EQ(d.owed, 0);
  EXPECT_EQ(d.status, "not_due");
}

TEST(Dues, StandingHonoursTheAdminOverrideFirst) {
  const ScheduleEntry s = DefaultSchedule(2025, "organization");
  DuesStatus paid;
  paid.status = "paid";
  DuesStatus open;
  open.status = "open";
  EXPECT_EQ(MemberStanding("withdrawn", paid, s, Date{2025, 1, 1}), "withdrawn");
  EXPECT_EQ(MemberStanding("", paid, s, Date{2025, 12, 1}), "current");
  EXPECT_EQ(MemberStanding("", open, s, Date{2025, 4, 2}), "grace");
  EXPECT_EQ(MemberStanding("", open, s, Date{2025, 5, 1}), "lapsed");
}

TEST(Date, ParsesRealDaysOnly) {
  EXPECT_TRUE(ParseDate("2024-02-29", "d").ok());
  EXPECT_FALSE(ParseDate("2023-02-29", "d").ok());
  EXPECT_FALSE(ParseDate("2023-13-01", "d").ok());
  EXPECT_FALSE(ParseDate("2023-1-01", "d").ok());
  EXPECT_FALSE(ParseDate("20230101xx", "d").ok());
  EXPECT_EQ(AddMonths(Date{2025, 1, 31}, 1), (Date{2025, 2, 28}));
  EXPECT_EQ(Date::FromDays(Date{2026, 11, 29}.DaysSinceEpoch()), (Date{2026, 11, 29}));
  EXPECT_EQ(DateOfMillis(0), (Date{1970, 1, 1}));
  EXPECT_EQ(DateOfMillis(-1), (Date{1969, 12, 31}));
}

TEST(RecordId, UuidsRoundTripAndAreStrict) {
  auto id = ParseUuid("8C1FA0D2-7B3E-4C55-9A0E-1D2F3A4B5C6D", "id");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(FormatUuid(*id), "8c1fa0d2-7b3e-4c55-9a0e-1d2f3a4b5c6d");
  EXPECT_FALSE(ParseUuid("8c1fa0d2-7b3e-4c55-9a0e-1d2f3a4b5c6", "id").ok());
  EXPECT_FALSE(ParseUuid("8c1fa0d2x7b3e-4c55-9a0e-1d2f3a4b5c6d", "id").ok());
  EXPECT_FALSE(ParseUuid("8c1fa0d2-7b3e-4c55-9a0e-1d2f3a4b5c6g", "id").ok());
  RecordId v4 = MakeUuidV4(RecordId{});
  EXPECT_EQ(FormatUuid(v4)[14], '4');
}

}  // namespace
}  // namespace nanse
