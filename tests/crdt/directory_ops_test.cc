// Tests of crdt/directory_ops and crdt/directory_schema: bodies round-trip, and every bad field
// is refused naming itself.
#include "crdt/directory_ops.h"

#include <gtest/gtest.h>

namespace nanse {
namespace {

RecordId Rid(uint8_t n) {
  RecordId id{};
  id.fill(n);
  return id;
}

Bytes Text(const FieldSpec& spec, const std::string& text) {
  auto v = ParseFieldText(spec, text, spec.name.data());
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : Bytes{};
}

FieldWrite W(const std::string& field, const std::string& text, const std::string& lang = "") {
  const FieldSpec* spec = FindField(Table::kMember, field);
  EXPECT_NE(spec, nullptr) << field;
  return {Table::kMember, {}, field, lang, Text(*spec, text), {}};
}

NewRecord Org() {
  NewRecord r;
  r.id = Rid(1);
  r.kind = "organization";
  r.fields = {W("name", "Coopérative La Ruche", "fr"),
              W("name", "The Hive Co-op", "en"),
              W("joined_on", "2024-03-01"),
              W("country", "CA"),
              W("subdivision", "CA-QC"),
              W("languages", "fr;en"),
              W("sector", "a16"),
              W("emails", "info@example.org"),
              W("website", "https://laruche.example.org"),
              W("geo", "45.5;-73.56")};
  return r;
}

void ExpectRefused(const Result<Bytes>& r, const std::string& field_part) {
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().field().find(field_part), std::string::npos)
      << r.status().ToString() << " should name " << field_part;
  EXPECT_FALSE(r.status().detail().empty());
}

TEST(DirectoryOps, MemberAddRoundTrips) {
  auto body = EncodeRecordsAdd(Table::kMember, {Org()});
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  auto change = DecodeDirectoryOp("member.add", *body);
  ASSERT_TRUE(change.ok()) << change.status().ToString();
  ASSERT_EQ(change->created.size(), 1u);
  EXPECT_EQ(change->created[0].kind, "organization");
  EXPECT_EQ(change->writes.size(), Org().fields.size());
  for (const FieldWrite& w : change->writes) EXPECT_EQ(w.record, Rid(1));
}

TEST(DirectoryOps, AMemberNeedsItsRequiredFields) {
  for (const char* missing : {"joined_on", "country", "languages"}) {
    NewRecord r = Org();
    std::erase_if(r.fields, [&](const FieldWrite& w) { return w.field == missing; });
    ExpectRefused(EncodeRecordsAdd(Table::kMember, {r}), missing);
  }
  NewRecord nameless = Org();
  std::erase_if(nameless.fields, [](const FieldWrite& w) { return w.field == "name"; });
  ExpectRefused(EncodeRecordsAdd(Table::kMember, {nameless}), "name");
}

TEST(DirectoryOps, SubdivisionIsRequiredInCanadaTheUsAndMexico) {
  for (const char* country : {"CA", "US", "MX"}) {
    NewRecord r = Org();
    std::erase_if(r.fields, [](const FieldWrite& w) { return w.field == "subdivision"; });
    for (FieldWrite& w : r.fields) {
      if (w.field == "country") w = W("country", country);
    }
    ExpectRefused(EncodeRecordsAdd(Table::kMember, {r}), "subdivision");
  }
  NewRecord jamaica = Org();
  std::erase_if(jamaica.fields, [](const FieldWrite& w) { return w.field == "subdivision"; });
  for (FieldWrite& w : jamaica.fields) {
    if (w.field == "country") w = W("country", "JM");
  }
  EXPECT_TRUE(EncodeRecordsAdd(Table::kMember, {jamaica}).ok());
}

TEST(DirectoryOps, ASubdivisionMustBelongToTheCountry) {
  NewRecord r = Org();
  for (FieldWrite& w : r.fields) {
    if (w.field == "subdivision") w = W("subdivision", "US-NY");
  }
  ExpectRefused(EncodeRecordsAdd(Table::kMember, {r}), "subdivision");
}

TEST(DirectoryOps, BadValuesAreRefusedNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"country", "XX"},           {"subdivision", "CA-ZZ"},         {"joined_on", "2024-02-30"},
      {"joined_on", "1/2/2024"},   {"languages", "english"},         {"emails", "not-an-email"},
      {"phones", "555-1234"},      {"website", "ftp://x.org"},       {"sector", "a22"},
      {"org_structure", "OS999"},  {"geographic_scope", "galactic"}, {"geo", "91;0"},
      {"number_of_members", "-3"}, {"is_network", "maybe"}};
  for (const auto& [field, text] : bad) {
    SCOPED_TRACE(field + "=" + text);
    const FieldSpec* spec = FindField(Table::kMember, field);
    ASSERT_NE(spec, nullptr);
    auto v = ParseFieldText(*spec, text, field);
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.status().field().find(field), std::string::npos) << v.status().ToString();
  }
}

TEST(DirectoryOps, KindSpecificFieldsAreRefusedOnTheOtherKind) {
  NewRecord person = Org();
  person.kind = "associate";
  person.fields.push_back(W("legal_name", "Some Legal Name Inc."));
  ExpectRefused(EncodeRecordsAdd(Table::kMember, {person}), "legal_name");
}

TEST(DirectoryOps, SetNamesTheWritesItReplaces) {
  FieldWrite w = W("locality", "Québec");
  w.record = Rid(2);
  Hash seen{};
  seen.fill(7);
  w.replaces = {seen};
  auto body = EncodeFieldWrites(Table::kMember, {w});
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  auto change = DecodeDirectoryOp("member.set", *body);
  ASSERT_TRUE(change.ok());
  ASSERT_EQ(change->writes.size(), 1u);
  EXPECT_EQ(change->writes[0].replaces, std::vector<Hash>{seen});
}

TEST(DirectoryOps, ARequiredFieldCannotBeCleared) {
  FieldWrite w = W("country", "MX");
  w.record = Rid(2);
  w.value.reset();
  ExpectRefused(EncodeFieldWrites(Table::kMember, {w}), "country");
  FieldWrite optional = W("locality", "x");
  optional.record = Rid(2);
  optional.value.reset();
  EXPECT_TRUE(EncodeFieldWrites(Table::kMember, {optional}).ok());
}

TEST(DirectoryOps, LocalizedFieldsNeedALanguageAndOthersRefuseOne) {
  FieldWrite name = W("name", "x");
  name.record = Rid(2);
  ExpectRefused(EncodeFieldWrites(Table::kMember, {name}), "lang");
  FieldWrite locality = W("locality", "x");
  locality.record = Rid(2);
  locality.key = "fr";
  ExpectRefused(EncodeFieldWrites(Table::kMember, {locality}), "lang");
}

TEST(DirectoryOps, OneOpWritesAFieldOnce) {
  FieldWrite a = W("locality", "A"), b = W("locality", "B");
  a.record = b.record = Rid(3);
  ExpectRefused(EncodeFieldWrites(Table::kMember, {a, b}), "writes[1]");
}

LedgerEntry Payment() {
  LedgerEntry e;
  e.id = Rid(9);
  e.member = Rid(1);
  e.year = 2026;
  e.type = "payment";
  e.amount_minor = 10000;
  e.credited_minor = 10000;
  e.on = Date{2026, 2, 3};
  e.method = "check";
  e.reference = "chq 1042";
  return e;
}

TEST(DirectoryOps, LedgerEntriesRoundTrip) {
  LedgerEntry cad = Payment();
  cad.id = Rid(10);
  cad.currency = "CAD";
  cad.amount_minor = 13700;
  cad.credited_minor = 10000;
  auto body = EncodeLedgerEntries({Payment(), cad});
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  auto change = DecodeDirectoryOp("dues.record", *body);
  ASSERT_TRUE(change.ok()) << change.status().ToString();
  ASSERT_EQ(change->entries.size(), 2u);
  EXPECT_EQ(change->entries[1].currency, "CAD");
  EXPECT_EQ(change->entries[1].credited_minor, 10000);
  EXPECT_EQ(change->entries[0].reference, "chq 1042");
}

TEST(DirectoryOps, LedgerRulesAreEnforced) {
  LedgerEntry negative = Payment();
  negative.amount_minor = -5;
  ExpectRefused(EncodeLedgerEntries({negative}), "amount_minor");
  LedgerEntry refund = Payment();
  refund.type = "refund";
  refund.amount_minor = refund.credited_minor = -10000;
  ExpectRefused(EncodeLedgerEntries({refund}), "reason");
  LedgerEntry bad_currency = Payment();
  bad_currency.currency = "ZZZ";
  ExpectRefused(EncodeLedgerEntries({bad_currency}), "currency");
  LedgerEntry orphan_reversal = Payment();
  orphan_reversal.type = "reversal";
  orphan_reversal.reason = "x";
  ExpectRefused(EncodeLedgerEntries({orphan_reversal}), "reverses");
  LedgerEntry payment_naming = Payment();
  payment_naming.reverses = Rid(3);
  ExpectRefused(EncodeLedgerEntries({payment_naming}), "reverses");
  LedgerEntry bad_method = Payment();
  bad_method.method = "barter";
  ExpectRefused(EncodeLedgerEntries({bad_method}), "method");
}

TEST(DirectoryOps, CreditedIsRequiredForOtherCurrenciesOnTheWire) {
  // Written by hand: an encoder would add credited_minor itself.
  detail::MsgpackWriter w;
  w.Map(1);
  w.Str("entries");
  w.Array(1);
  w.Map(6);
  w.Str("id");
  w.Bin(Rid(9));
  w.Str("member");
  w.Bin(Rid(1));
  w.Str("year");
  w.Uint(2026);
  w.Str("type");
  w.Str("payment");
  w.Str("amount_minor");
  w.Int(170000);
  w.Str("currency");
  w.Str("MXN");
  auto change = DecodeDirectoryOp("dues.record", w.Take());
  ASSERT_FALSE(change.ok());
  EXPECT_NE(change.status().field().find("credited_minor"), std::string::npos);
}

TEST(DirectoryOps, ParticipationAndScheduleRoundTrip) {
  Participation p;
  p.project = Rid(5);
  p.member = Rid(1);
  p.role = "partner";
  p.joined_on = Date{2025, 1, 1};
  p.left_on = Date{2025, 6, 30};
  auto body = EncodeParticipation(p);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  auto change = DecodeDirectoryOp("project.leave", *body);
  ASSERT_TRUE(change.ok());
  auto value = DecodeParticipantValue(*change->writes[0].value);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->left_on, "2025-06-30");
  EXPECT_FALSE(DecodeDirectoryOp("project.join", *body).ok());  // a join has no left_on

  ScheduleEntry s;
  s.year = 2027;
  s.kind = "associate";
  s.amount_minor = 3000;
  s.due = Date{2027, 3, 31};
  s.grace_until = Date{2027, 3, 1};
  ExpectRefused(EncodeSchedule(s), "grace_until");
  s.grace_until = Date{2027, 4, 30};
  auto sched = EncodeSchedule(s);
  ASSERT_TRUE(sched.ok()) << sched.status().ToString();
  auto decoded = DecodeDirectoryOp("dues.schedule", *sched);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->writes[0].key, "2027:associate");
}

TEST(DirectoryOps, AnUnknownKeyInABodyIsRefused) {
  detail::MsgpackWriter w;
  w.Map(2);
  w.Str("writes");
  w.Array(0);
  w.Str("extra");
  w.Nil();
  auto change = DecodeDirectoryOp("member.set", w.Take());
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().field(), "op.body.extra");
}

TEST(DirectoryOps, ParsedListsDropEmptyItemsAndRefuseDuplicates) {
  const FieldSpec* langs = FindField(Table::kMember, "languages");
  auto v = ParseFieldText(*langs, " fr ; en;", "languages");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(FieldValueToText(*langs, *v), "fr;en");
  EXPECT_FALSE(ParseFieldText(*langs, "fr;fr", "languages").ok());
  const FieldSpec* geo = FindField(Table::kMember, "geo");
  auto g = ParseFieldText(*geo, "17.0654;-96.7237", "geo");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(FieldValueToJson(*geo, *g), "[17.065400,-96.723700]");
}

}  // namespace
}  // namespace nanse
