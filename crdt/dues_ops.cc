// The dues op bodies: dues.schedule (an LWW register per year and member kind) and dues.record
// (ledger entries, a grow-only set). See docs/directory.md, "Dues".
#include <algorithm>

#include "crdt/codes.h"
#include "crdt/directory_codec.h"
#include "crdt/directory_ops.h"
#include "crdt/text_rules.h"

namespace nanse {
namespace {

using detail::BodyList;
using detail::MapReader;
using detail::MsgpackWriter;
using detail::OneOf;
using detail::ReadDate;
using detail::ReadId;
using detail::ReadReplaces;
using detail::StrOf;
using detail::WriteReplaces;

constexpr std::string_view kEntryTypes[] = {"payment", "refund", "waiver", "assessment",
                                            "reversal"};
constexpr std::string_view kMethods[] = {"bank_transfer",    "check", "cash", "card",
                                         "online_processor", "other"};

Bytes EncodeScheduleValue(const ScheduleEntry& s) {
  MsgpackWriter w;
  w.Map(4);
  w.Str("amount_minor");
  w.Int(s.amount_minor);
  w.Str("currency");
  w.Str(s.currency);
  w.Str("due");
  w.Str(s.due.ToString());
  w.Str("grace_until");
  w.Str(s.grace_until.ToString());
  return w.Take();
}

Status CheckSchedule(const ScheduleEntry& s, const std::string& f) {
  if (s.year < 2000 || s.year > 2100) return Status::Malformed(f + ".year", "expected 2000-2100");
  if (s.kind != "organization" && s.kind != "associate") {
    return Status::Malformed(f + ".kind", "expected organization or associate");
  }
  if (s.amount_minor < 0 || s.amount_minor > 1'000'000'000'000) {
    return Status::Malformed(f + ".amount_minor", "expected an amount >= 0 in minor units");
  }
  if (s.currency != "USD") {
    // Balances subtract USD credited from what is owed; there are no exchange rates offline.
    return Status::Malformed(f + ".currency", "the dues schedule is in USD");
  }
  if (s.grace_until < s.due) {
    return Status::Malformed(f + ".grace_until", "expected a date on or after the due date");
  }
  return Status::Ok();
}

Result<ScheduleEntry> ReadScheduleFields(const MapReader& map, ScheduleEntry s) {
  auto amount = map.Require("amount_minor");
  if (!amount.ok()) return amount.status();
  auto a = detail::ReadInt(**amount, map.FieldName("amount_minor"));
  if (!a.ok()) return a.status();
  s.amount_minor = *a;
  auto currency = map.Require("currency");
  if (!currency.ok()) return currency.status();
  if ((*currency)->type != msgpack::type::STR) {
    return Status::Malformed(map.FieldName("currency"), "expected an ISO 4217 code");
  }
  s.currency = std::string(StrOf(**currency));
  for (auto [key, target] : {std::pair{"due", &s.due}, std::pair{"grace_until", &s.grace_until}}) {
    auto o = map.Require(key);
    if (!o.ok()) return o.status();
    auto d = ReadDate(**o, map.FieldName(key));
    if (!d.ok()) return d.status();
    *target = *d;
  }
  return s;
}

Status CheckEntry(const LedgerEntry& e, const std::string& f) {
  if (!OneOf(e.type, kEntryTypes)) {
    return Status::Malformed(f + ".type",
                             "expected payment, refund, waiver, assessment or reversal");
  }
  if (e.year < 2000 || e.year > 2100) return Status::Malformed(f + ".year", "expected 2000-2100");
  if (!codes::CurrencyExponent(e.currency)) {
    return Status::Malformed(f + ".currency",
                             "expected an ISO 4217 currency code, got '" + e.currency + "'");
  }
  const bool reversal = e.type == "reversal";
  if (reversal != e.reverses.has_value()) {
    return Status::Malformed(f + ".reverses", reversal ? "a reversal must name the entry it voids"
                                                       : "only a reversal names an entry");
  }
  if (reversal && *e.reverses == e.id) {
    return Status::Malformed(f + ".reverses", "an entry cannot reverse itself");
  }
  const int64_t limit = 1'000'000'000'000;
  if (e.amount_minor < -limit || e.amount_minor > limit || e.credited_minor < -limit ||
      e.credited_minor > limit) {
    return Status::Malformed(f + ".amount_minor", "amount out of range");
  }
  if (e.type == "refund") {
    if (e.amount_minor >= 0) {
      return Status::Malformed(f + ".amount_minor", "a refund is a negative amount");
    }
    if (e.credited_minor > 0) {
      return Status::Malformed(f + ".credited_minor", "a refund credits a negative USD amount");
    }
  } else if (!reversal && e.amount_minor <= 0) {
    return Status::Malformed(f + ".amount_minor", "expected a positive amount for a " + e.type);
  }
  if (e.type == "payment" && e.credited_minor < 0) {
    return Status::Malformed(f + ".credited_minor", "expected a credited amount >= 0");
  }
  if ((reversal || e.type == "refund" || e.type == "waiver") && e.reason.empty()) {
    return Status::Malformed(f + ".reason", "required for a " + e.type);
  }
  if (!e.method.empty() && !OneOf(e.method, kMethods)) {
    return Status::Malformed(f + ".method",
                             "expected bank_transfer, check, cash, card, online_processor or "
                             "other");
  }
  for (auto [name, text, max] :
       {std::tuple{"reference", &e.reference, 100}, std::tuple{"reason", &e.reason, 500},
        std::tuple{"note", &e.note, 2000}}) {
    if (!text->empty()) NANSE_RETURN_IF_ERROR(CheckText(*text, f + "." + name, max, true));
  }
  return Status::Ok();
}

}  // namespace

namespace detail {

Result<DirectoryChange> DecodeScheduleOp(const msgpack::object& root) {
  auto map = MapReader::Open(
      root, "op.body",
      {"year", "kind", "amount_minor", "currency", "due", "grace_until", "replaces"});
  if (!map.ok()) return map.status();
  ScheduleEntry s;
  auto year = map->Require("year");
  if (!year.ok()) return year.status();
  auto y = detail::ReadUint(**year, map->FieldName("year"));
  if (!y.ok()) return y.status();
  s.year = static_cast<uint32_t>(std::min<uint64_t>(*y, 1u << 30));
  auto kind = map->Require("kind");
  if (!kind.ok()) return kind.status();
  if ((*kind)->type != msgpack::type::STR) return Status::Malformed(map->FieldName("kind"), "?");
  s.kind = std::string(StrOf(**kind));
  auto filled = ReadScheduleFields(*map, s);
  if (!filled.ok()) return filled.status();
  s = *filled;
  NANSE_RETURN_IF_ERROR(CheckSchedule(s, "op.body"));
  auto replaces = ReadReplaces(*map);
  if (!replaces.ok()) return replaces.status();
  DirectoryChange change;
  change.writes.push_back({Table::kSchedule, RecordId{}, "dues",
                           std::to_string(s.year) + ":" + s.kind, EncodeScheduleValue(s),
                           *replaces});
  return change;
}

Result<DirectoryChange> DecodeLedgerOp(const msgpack::object& root) {
  NANSE_ASSIGN_OR_RETURN(auto body, BodyList(root, "entries", "entries"));
  const msgpack::object* list = body.first;
  const std::string& f = body.second;
  DirectoryChange change;
  for (uint32_t i = 0; i < list->via.array.size; ++i) {
    const std::string ef = f + "[" + std::to_string(i) + "]";
    auto e = MapReader::Open(
        list->via.array.ptr[i], ef,
        {"id", "member", "year", "type", "amount_minor", "currency", "credited_minor", "on",
         "method", "reference", "reverses", "reason", "note"});
    if (!e.ok()) return e.status();
    LedgerEntry entry;
    for (auto [key, target] : {std::pair{"id", &entry.id}, std::pair{"member", &entry.member}}) {
      auto o = e->Require(key);
      if (!o.ok()) return o.status();
      auto id = ReadId(**o, e->FieldName(key));
      if (!id.ok()) return id.status();
      *target = *id;
    }
    auto year = e->Require("year");
    if (!year.ok()) return year.status();
    auto y = detail::ReadUint(**year, e->FieldName("year"));
    if (!y.ok()) return y.status();
    entry.year = static_cast<uint32_t>(std::min<uint64_t>(*y, 1u << 30));
    for (auto [key, target, required] :
         {std::tuple{"type", &entry.type, true}, std::tuple{"currency", &entry.currency, true},
          std::tuple{"method", &entry.method, false},
          std::tuple{"reference", &entry.reference, false},
          std::tuple{"reason", &entry.reason, false}, std::tuple{"note", &entry.note, false}}) {
      const msgpack::object* o = e->Find(key);
      if (!o) {
        if (required) return Status::Malformed(e->FieldName(key), "required, but missing");
        continue;
      }
      if (o->type != msgpack::type::STR) {
        return Status::Malformed(e->FieldName(key), "expected a string");
      }
      *target = std::string(StrOf(*o));
    }
    auto amount = e->Require("amount_minor");
    if (!amount.ok()) return amount.status();
    auto a = detail::ReadInt(**amount, e->FieldName("amount_minor"));
    if (!a.ok()) return a.status();
    entry.amount_minor = *a;
    entry.credited_minor = entry.amount_minor;
    if (const msgpack::object* c = e->Find("credited_minor")) {
      auto cv = detail::ReadInt(*c, e->FieldName("credited_minor"));
      if (!cv.ok()) return cv.status();
      entry.credited_minor = *cv;
    } else if (entry.currency != "USD" && entry.type != "reversal") {
      return Status::Malformed(e->FieldName("credited_minor"),
                               "required when the currency is not USD (the USD amount credited)");
    }
    if (const msgpack::object* on = e->Find("on")) {
      auto d = ReadDate(*on, e->FieldName("on"));
      if (!d.ok()) return d.status();
      entry.on = *d;
    }
    if (const msgpack::object* rev = e->Find("reverses")) {
      auto id = ReadId(*rev, e->FieldName("reverses"));
      if (!id.ok()) return id.status();
      entry.reverses = *id;
    }
    NANSE_RETURN_IF_ERROR(CheckEntry(entry, ef));
    change.entries.push_back(std::move(entry));
  }
  return change;
}

}  // namespace detail

Result<Bytes> EncodeSchedule(const ScheduleEntry& s) {
  MsgpackWriter w;
  w.Map(7);
  w.Str("year");
  w.Uint(s.year);
  w.Str("kind");
  w.Str(s.kind);
  w.Str("amount_minor");
  w.Int(s.amount_minor);
  w.Str("currency");
  w.Str(s.currency);
  w.Str("due");
  w.Str(s.due.ToString());
  w.Str("grace_until");
  w.Str(s.grace_until.ToString());
  WriteReplaces(w, s.replaces);
  Bytes body = w.Take();
  auto check = DecodeDirectoryOp("dues.schedule", body);
  if (!check.ok()) return check.status();
  return body;
}

Result<Bytes> EncodeLedgerEntries(const std::vector<LedgerEntry>& entries) {
  MsgpackWriter w;
  w.Map(1);
  w.Str("entries");
  w.Array(static_cast<uint32_t>(entries.size()));
  for (const LedgerEntry& e : entries) {
    std::vector<std::pair<const char*, const std::string*>> texts;
    for (auto [key, text] : {std::pair{"method", &e.method}, std::pair{"reference", &e.reference},
                             std::pair{"reason", &e.reason}, std::pair{"note", &e.note}}) {
      if (!text->empty()) texts.emplace_back(key, text);
    }
    const bool credited = e.currency != "USD" && e.type != "reversal";
    w.Map(static_cast<uint32_t>(6 + texts.size() + credited + e.on.has_value() +
                                e.reverses.has_value()));
    w.Str("id");
    w.Bin(e.id);
    w.Str("member");
    w.Bin(e.member);
    w.Str("year");
    w.Uint(e.year);
    w.Str("type");
    w.Str(e.type);
    w.Str("amount_minor");
    w.Int(e.amount_minor);
    w.Str("currency");
    w.Str(e.currency);
    if (credited) {
      w.Str("credited_minor");
      w.Int(e.credited_minor);
    }
    if (e.on) {
      w.Str("on");
      w.Str(e.on->ToString());
    }
    if (e.reverses) {
      w.Str("reverses");
      w.Bin(*e.reverses);
    }
    for (auto [key, text] : texts) {
      w.Str(key);
      w.Str(*text);
    }
  }
  Bytes body = w.Take();
  auto check = DecodeDirectoryOp("dues.record", body);
  if (!check.ok()) return check.status();
  return body;
}

Result<ScheduleEntry> DecodeScheduleValue(ByteView value, uint32_t year, std::string_view kind) {
  auto handle = detail::UnpackExactlyOne(value, "schedule", 8);
  if (!handle.ok()) return handle.status();
  auto map = MapReader::Open(handle->get(), "schedule",
                             {"amount_minor", "currency", "due", "grace_until"});
  if (!map.ok()) return map.status();
  ScheduleEntry s;
  s.year = year;
  s.kind = std::string(kind);
  return ReadScheduleFields(*map, s);
}

}  // namespace nanse
