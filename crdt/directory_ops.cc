#include "crdt/directory_ops.h"

#include <algorithm>
#include <set>

#include "crdt/codes.h"
#include "crdt/msgpack_io.h"
#include "crdt/text_rules.h"

namespace nanse {
namespace {

using detail::MapReader;
using detail::MsgpackWriter;

constexpr std::string_view kEntryTypes[] = {"payment", "refund", "waiver", "assessment",
                                            "reversal"};
constexpr std::string_view kMethods[] = {"bank_transfer",    "check", "cash", "card",
                                         "online_processor", "other"};
constexpr std::string_view kRoles[] = {"lead", "partner", "observer"};

template <size_t N>
bool OneOf(std::string_view v, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

std::string_view StrOf(const msgpack::object& o) { return {o.via.str.ptr, o.via.str.size}; }

Result<RecordId> ReadId(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::BIN || o.via.bin.size != 16) {
    return Status::Malformed(field, "expected a 16-byte record id");
  }
  return ToArray<16>({reinterpret_cast<const uint8_t*>(o.via.bin.ptr), 16});
}

Result<std::string> ReadChoice(const msgpack::object& o, const std::string& field,
                               std::span<const std::string_view> choices) {
  if (o.type != msgpack::type::STR ||
      std::find(choices.begin(), choices.end(), StrOf(o)) == choices.end()) {
    std::string list;
    for (auto c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    return Status::Malformed(field, "expected one of " + list);
  }
  return std::string(StrOf(o));
}

Result<Date> ReadDate(const msgpack::object& o, const std::string& field) {
  if (o.type != msgpack::type::STR) return Status::Malformed(field, "expected a date string");
  return ParseDate(StrOf(o), field);
}

Result<std::vector<Hash>> ReadReplaces(const MapReader& map) {
  std::vector<Hash> out;
  const msgpack::object* o = map.Find("replaces");
  if (!o) return out;
  const std::string f = map.FieldName("replaces");
  if (o->type != msgpack::type::ARRAY || o->via.array.size > kMaxReplaces) {
    return Status::Malformed(
        f, "expected a list of at most " + std::to_string(kMaxReplaces) + " op ids");
  }
  for (uint32_t i = 0; i < o->via.array.size; ++i) {
    auto h = detail::ReadBin32(o->via.array.ptr[i], f + "[" + std::to_string(i) + "]");
    if (!h.ok()) return h.status();
    out.push_back(*h);
  }
  return out;
}

Bytes EncodeValue(const msgpack::object& o) {
  msgpack::sbuffer buffer;
  msgpack::pack(buffer, o);
  return Bytes(reinterpret_cast<const uint8_t*>(buffer.data()),
               reinterpret_cast<const uint8_t*>(buffer.data()) + buffer.size());
}

// Checks one register write of `table` (field known, kind-appropriate, value valid).
Status CheckWrite(Table table, std::string_view kind, const FieldWrite& w, const std::string& f) {
  const FieldSpec* spec = FindField(table, w.field);
  if (!spec) return Status::Malformed(f, "unknown field '" + w.field + "'");
  if (!kind.empty() && !spec->only_for.empty() && spec->only_for != kind) {
    return Status::Malformed(
        f, "field '" + w.field + "' is only for " + std::string(spec->only_for) + " members");
  }
  if (spec->localized) {
    NANSE_RETURN_IF_ERROR(ValidateLangKey(w.key, f + ".lang"));
  } else if (!w.key.empty()) {
    return Status::Malformed(f + ".lang", "field '" + w.field + "' is not localized");
  }
  if (!w.value) {
    if (spec->required_at_add && !spec->localized) {
      return Status::Malformed(f, "field '" + w.field + "' is required and cannot be cleared");
    }
    return Status::Ok();
  }
  return ValidateFieldValue(*spec, *w.value, f);
}

// Reads {"id", "kind"?, "fields": {...}, "text": {field: {lang: str}}} of an add op.
Result<NewRecord> ReadNewRecord(Table table, const msgpack::object& o, const std::string& f) {
  const bool member = table == Table::kMember;
  auto map = MapReader::Open(o, f,
                             member ? std::vector<std::string>{"id", "kind", "fields", "text"}
                                    : std::vector<std::string>{"id", "fields", "text"});
  if (!map.ok()) return map.status();
  NewRecord rec;
  auto id = map->Require("id");
  if (!id.ok()) return id.status();
  auto rid = ReadId(**id, map->FieldName("id"));
  if (!rid.ok()) return rid.status();
  rec.id = *rid;
  if (member) {
    auto kind = map->Require("kind");
    if (!kind.ok()) return kind.status();
    static constexpr std::string_view kKinds[] = {"organization", "associate"};
    auto k = ReadChoice(**kind, map->FieldName("kind"), kKinds);
    if (!k.ok()) return k.status();
    rec.kind = *k;
  }
  if (const msgpack::object* fields = map->Find("fields")) {
    const std::string ff = map->FieldName("fields");
    if (fields->type != msgpack::type::MAP) return Status::Malformed(ff, "expected a map");
    std::set<std::string_view> seen;
    for (uint32_t i = 0; i < fields->via.map.size; ++i) {
      const auto& kv = fields->via.map.ptr[i];
      if (kv.key.type != msgpack::type::STR) return Status::Malformed(ff, "expected string keys");
      if (!seen.insert(StrOf(kv.key)).second) {
        return Status::Malformed(ff + "." + std::string(StrOf(kv.key)), "repeated key");
      }
      FieldWrite w;
      w.table = table;
      w.record = rec.id;
      w.field = std::string(StrOf(kv.key));
      w.value = EncodeValue(kv.val);
      const FieldSpec* spec = FindField(table, w.field);
      if (spec && spec->localized) {
        return Status::Malformed(ff + "." + w.field, "localized: give it under \"text\"");
      }
      NANSE_RETURN_IF_ERROR(CheckWrite(table, rec.kind, w, ff + "." + w.field));
      rec.fields.push_back(std::move(w));
    }
  }
  if (const msgpack::object* text = map->Find("text")) {
    const std::string tf = map->FieldName("text");
    if (text->type != msgpack::type::MAP) return Status::Malformed(tf, "expected a map");
    for (uint32_t i = 0; i < text->via.map.size; ++i) {
      const auto& kv = text->via.map.ptr[i];
      if (kv.key.type != msgpack::type::STR || kv.val.type != msgpack::type::MAP) {
        return Status::Malformed(tf, "expected {field: {lang: text}}");
      }
      const std::string field(StrOf(kv.key));
      const FieldSpec* spec = FindField(table, field);
      if (!spec || !spec->localized) {
        return Status::Malformed(tf + "." + field, "not a localized field");
      }
      for (uint32_t j = 0; j < kv.val.via.map.size; ++j) {
        const auto& lv = kv.val.via.map.ptr[j];
        if (lv.key.type != msgpack::type::STR) return Status::Malformed(tf, "expected lang keys");
        FieldWrite w;
        w.table = table;
        w.record = rec.id;
        w.field = field;
        w.key = std::string(StrOf(lv.key));
        w.value = EncodeValue(lv.val);
        for (const FieldWrite& other : rec.fields) {
          if (other.field == w.field && other.key == w.key) {
            return Status::Malformed(tf + "." + field + "." + w.key, "repeated language");
          }
        }
        NANSE_RETURN_IF_ERROR(CheckWrite(table, rec.kind, w, tf + "." + field + "." + w.key));
        rec.fields.push_back(std::move(w));
      }
    }
  }
  return rec;
}

// Required fields of a new record of `table`.
Status CheckRequired(Table table, const NewRecord& rec, const std::string& f) {
  for (const FieldSpec& spec : Fields(table)) {
    if (!spec.required_at_add) continue;
    bool present = std::any_of(rec.fields.begin(), rec.fields.end(), [&](const FieldWrite& w) {
      return w.field == spec.name && w.value;
    });
    if (!present) {
      return Status::Malformed(f + "." + std::string(spec.name), "required, but missing");
    }
  }
  if (table == Table::kMember) return CheckMemberRecord(rec.kind, rec.fields, f);
  return CheckProjectRecord(rec.fields, f);
}

void WriteRecord(MsgpackWriter& w, Table table, const NewRecord& rec) {
  std::vector<const FieldWrite*> plain, localized;
  for (const FieldWrite& fw : rec.fields) {
    const FieldSpec* spec = FindField(table, fw.field);
    if (!fw.value) continue;
    (spec && spec->localized ? localized : plain).push_back(&fw);
  }
  const bool member = table == Table::kMember;
  w.Map(member ? 4 : 3);
  w.Str("id");
  w.Bin(rec.id);
  if (member) {
    w.Str("kind");
    w.Str(rec.kind);
  }
  w.Str("fields");
  w.Map(static_cast<uint32_t>(plain.size()));
  for (const FieldWrite* fw : plain) {
    w.Str(fw->field);
    w.Raw(*fw->value);
  }
  // Localized text grouped by field, in first-seen order.
  std::vector<std::string> fields;
  for (const FieldWrite* fw : localized) {
    if (std::find(fields.begin(), fields.end(), fw->field) == fields.end()) {
      fields.push_back(fw->field);
    }
  }
  w.Str("text");
  w.Map(static_cast<uint32_t>(fields.size()));
  for (const std::string& field : fields) {
    w.Str(field);
    uint32_t n = 0;
    for (const FieldWrite* fw : localized) n += fw->field == field;
    w.Map(n);
    for (const FieldWrite* fw : localized) {
      if (fw->field != field) continue;
      w.Str(fw->key);
      w.Raw(*fw->value);
    }
  }
}

void WriteReplaces(MsgpackWriter& w, const std::vector<Hash>& replaces) {
  w.Str("replaces");
  w.Array(static_cast<uint32_t>(replaces.size()));
  for (const Hash& h : replaces) w.Bin(h);
}

// Opens a body that is a map holding one list `key` of 1..kMaxRecordsPerOp items; returns the
// list and its field name.
Result<std::pair<const msgpack::object*, std::string>> BodyList(const msgpack::object& root,
                                                                const std::string& key,
                                                                const std::string& what) {
  auto map = MapReader::Open(root, "op.body", {key});
  if (!map.ok()) return map.status();
  auto arr = map->Require(key);
  if (!arr.ok()) return arr.status();
  const std::string f = map->FieldName(key);
  if ((*arr)->type != msgpack::type::ARRAY || (*arr)->via.array.size == 0 ||
      (*arr)->via.array.size > kMaxRecordsPerOp) {
    return Status::Malformed(
        f, "expected a list of 1 to " + std::to_string(kMaxRecordsPerOp) + " " + what);
  }
  return std::make_pair(*arr, f);
}

Result<DirectoryChange> DecodeAdd(Table table, const msgpack::object& root) {
  const std::string key = table == Table::kMember ? "members" : "projects";
  NANSE_ASSIGN_OR_RETURN(auto body, BodyList(root, key, "records"));
  const msgpack::object* list = body.first;
  const std::string& f = body.second;
  DirectoryChange change;
  std::set<RecordId> ids;
  for (uint32_t i = 0; i < list->via.array.size; ++i) {
    const std::string rf = f + "[" + std::to_string(i) + "]";
    auto rec = ReadNewRecord(table, list->via.array.ptr[i], rf);
    if (!rec.ok()) return rec.status();
    NANSE_RETURN_IF_ERROR(CheckRequired(table, *rec, rf));
    if (!ids.insert(rec->id).second) return Status::Malformed(rf + ".id", "record listed twice");
    change.created.push_back({table, rec->id, rec->kind});
    for (FieldWrite& w : rec->fields) change.writes.push_back(std::move(w));
  }
  return change;
}

Result<DirectoryChange> DecodeSet(Table table, const msgpack::object& root) {
  NANSE_ASSIGN_OR_RETURN(auto body, BodyList(root, "writes", "writes"));
  const msgpack::object* list = body.first;
  const std::string& f = body.second;
  DirectoryChange change;
  for (uint32_t i = 0; i < list->via.array.size; ++i) {
    const std::string wf = f + "[" + std::to_string(i) + "]";
    auto wmap =
        MapReader::Open(list->via.array.ptr[i], wf, {"id", "field", "lang", "value", "replaces"});
    if (!wmap.ok()) return wmap.status();
    FieldWrite w;
    w.table = table;
    auto id = wmap->Require("id");
    if (!id.ok()) return id.status();
    auto rid = ReadId(**id, wmap->FieldName("id"));
    if (!rid.ok()) return rid.status();
    w.record = *rid;
    auto field = wmap->Require("field");
    if (!field.ok()) return field.status();
    if ((*field)->type != msgpack::type::STR) {
      return Status::Malformed(wmap->FieldName("field"), "expected a field name");
    }
    w.field = std::string(StrOf(**field));
    if (const msgpack::object* lang = wmap->Find("lang")) {
      if (lang->type != msgpack::type::STR) {
        return Status::Malformed(wmap->FieldName("lang"), "expected a language tag");
      }
      w.key = std::string(StrOf(*lang));
    }
    auto value = wmap->Require("value");
    if (!value.ok()) return value.status();
    if ((*value)->type != msgpack::type::NIL) w.value = EncodeValue(**value);
    auto replaces = ReadReplaces(*wmap);
    if (!replaces.ok()) return replaces.status();
    w.replaces = std::move(*replaces);
    NANSE_RETURN_IF_ERROR(CheckWrite(table, "", w, wf + "." + w.field));
    for (const FieldWrite& other : change.writes) {
      if (other.record == w.record && other.field == w.field && other.key == w.key) {
        return Status::Malformed(wf, "one op writes a field at most once");
      }
    }
    change.writes.push_back(std::move(w));
  }
  return change;
}

Bytes EncodeParticipantValue(const Participation& p) {
  MsgpackWriter w;
  w.Map(p.left_on ? 3 : 2);
  w.Str("role");
  w.Str(p.role);
  w.Str("joined_on");
  w.Str(p.joined_on.ToString());
  if (p.left_on) {
    w.Str("left_on");
    w.Str(p.left_on->ToString());
  }
  return w.Take();
}

Result<DirectoryChange> DecodeParticipation(const msgpack::object& root, bool leave) {
  auto map = MapReader::Open(root, "op.body",
                             {"project", "member", "role", "joined_on", "left_on", "replaces"});
  if (!map.ok()) return map.status();
  Participation p;
  for (auto [key, target] : {std::pair{"project", &p.project}, std::pair{"member", &p.member}}) {
    auto o = map->Require(key);
    if (!o.ok()) return o.status();
    auto id = ReadId(**o, map->FieldName(key));
    if (!id.ok()) return id.status();
    *target = *id;
  }
  auto role = map->Require("role");
  if (!role.ok()) return role.status();
  auto r = ReadChoice(**role, map->FieldName("role"), kRoles);
  if (!r.ok()) return r.status();
  p.role = *r;
  auto joined = map->Require("joined_on");
  if (!joined.ok()) return joined.status();
  auto jd = ReadDate(**joined, map->FieldName("joined_on"));
  if (!jd.ok()) return jd.status();
  p.joined_on = *jd;
  if (const msgpack::object* left = map->Find("left_on")) {
    auto ld = ReadDate(*left, map->FieldName("left_on"));
    if (!ld.ok()) return ld.status();
    if (*ld < p.joined_on) {
      return Status::Malformed(map->FieldName("left_on"), "expected a date on or after joined_on");
    }
    p.left_on = *ld;
  }
  if (leave != p.left_on.has_value()) {
    return Status::Malformed(map->FieldName("left_on"),
                             leave ? "required when leaving" : "not allowed when joining");
  }
  auto replaces = ReadReplaces(*map);
  if (!replaces.ok()) return replaces.status();
  p.replaces = std::move(*replaces);
  DirectoryChange change;
  change.writes.push_back({Table::kProject, p.project, "participant", FormatUuid(p.member),
                           EncodeParticipantValue(p), p.replaces});
  return change;
}

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

}  // namespace

bool IsDirectoryOpType(std::string_view type) {
  return type == "member.add" || type == "member.set" || type == "project.add" ||
         type == "project.set" || type == "project.join" || type == "project.leave" ||
         type == "dues.schedule" || type == "dues.record";
}

Result<DirectoryChange> DecodeDirectoryOp(std::string_view type, ByteView body) {
  auto handle = detail::UnpackExactlyOne(body, "op.body", 1 << 16);
  if (!handle.ok()) return handle.status();
  const msgpack::object& root = handle->get();
  if (type == "member.add") return DecodeAdd(Table::kMember, root);
  if (type == "project.add") return DecodeAdd(Table::kProject, root);
  if (type == "member.set") return DecodeSet(Table::kMember, root);
  if (type == "project.set") return DecodeSet(Table::kProject, root);
  if (type == "project.join") return DecodeParticipation(root, false);
  if (type == "project.leave") return DecodeParticipation(root, true);
  if (type == "dues.schedule") return DecodeScheduleOp(root);
  if (type == "dues.record") return DecodeLedgerOp(root);
  return Status::Malformed("op.header.type", "not a directory op type");
}

Status CheckMemberRecord(std::string_view kind, const std::vector<FieldWrite>& fields,
                         const std::string& where) {
  std::string country, subdivision;
  for (const FieldWrite& w : fields) {
    if (!w.value) continue;
    const FieldSpec* spec = FindField(Table::kMember, w.field);
    if (!spec) continue;
    if (w.field == "country") country = FieldValueToText(*spec, *w.value);
    if (w.field == "subdivision") subdivision = FieldValueToText(*spec, *w.value);
  }
  (void)kind;
  if (!country.empty() && codes::CountryRequiresSubdivision(country) && subdivision.empty()) {
    return Status::Malformed(where + ".subdivision", "required for members in " + country +
                                                         " (an ISO 3166-2 code such as " +
                                                         (country == "CA"   ? "CA-QC"
                                                          : country == "US" ? "US-NY"
                                                                            : "MX-OAX") +
                                                         ")");
  }
  if (!subdivision.empty() && subdivision.rfind(country + "-", 0) != 0) {
    return Status::Malformed(
        where + ".subdivision",
        "'" + subdivision + "' is not a subdivision of country '" + country + "'");
  }
  return Status::Ok();
}

Status CheckProjectRecord(const std::vector<FieldWrite>& fields, const std::string& where) {
  std::string start, end;
  for (const FieldWrite& w : fields) {
    if (!w.value) continue;
    const FieldSpec* spec = FindField(Table::kProject, w.field);
    if (!spec) continue;
    if (w.field == "start_date") start = FieldValueToText(*spec, *w.value);
    if (w.field == "end_date") end = FieldValueToText(*spec, *w.value);
  }
  // ISO dates compare as text.
  if (!start.empty() && !end.empty() && end < start) {
    return Status::Malformed(where + ".end_date",
                             "ends (" + end + ") before it starts (" + start + ")");
  }
  return Status::Ok();
}

Result<Bytes> EncodeRecordsAdd(Table table, const std::vector<NewRecord>& records) {
  MsgpackWriter w;
  w.Map(1);
  w.Str(table == Table::kMember ? "members" : "projects");
  w.Array(static_cast<uint32_t>(records.size()));
  for (const NewRecord& rec : records) WriteRecord(w, table, rec);
  Bytes body = w.Take();
  auto check = DecodeDirectoryOp(table == Table::kMember ? "member.add" : "project.add", body);
  if (!check.ok()) return check.status();
  return body;
}

size_t EncodedRecordSize(Table table, const NewRecord& record) {
  MsgpackWriter w;
  WriteRecord(w, table, record);
  return w.Take().size();
}

Result<Bytes> EncodeFieldWrites(Table table, const std::vector<FieldWrite>& writes) {
  MsgpackWriter w;
  w.Map(1);
  w.Str("writes");
  w.Array(static_cast<uint32_t>(writes.size()));
  for (const FieldWrite& fw : writes) {
    w.Map(fw.key.empty() ? 4 : 5);
    w.Str("id");
    w.Bin(fw.record);
    w.Str("field");
    w.Str(fw.field);
    if (!fw.key.empty()) {
      w.Str("lang");
      w.Str(fw.key);
    }
    w.Str("value");
    if (fw.value) {
      w.Raw(*fw.value);
    } else {
      w.Nil();
    }
    WriteReplaces(w, fw.replaces);
  }
  Bytes body = w.Take();
  auto check = DecodeDirectoryOp(table == Table::kMember ? "member.set" : "project.set", body);
  if (!check.ok()) return check.status();
  return body;
}

Result<Bytes> EncodeParticipation(const Participation& p) {
  MsgpackWriter w;
  w.Map(p.left_on ? 6 : 5);
  w.Str("project");
  w.Bin(p.project);
  w.Str("member");
  w.Bin(p.member);
  w.Str("role");
  w.Str(p.role);
  w.Str("joined_on");
  w.Str(p.joined_on.ToString());
  if (p.left_on) {
    w.Str("left_on");
    w.Str(p.left_on->ToString());
  }
  WriteReplaces(w, p.replaces);
  Bytes body = w.Take();
  auto check = DecodeDirectoryOp(p.left_on ? "project.leave" : "project.join", body);
  if (!check.ok()) return check.status();
  return body;
}

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

Result<ParticipantValue> DecodeParticipantValue(ByteView value) {
  auto handle = detail::UnpackExactlyOne(value, "participant", 8);
  if (!handle.ok()) return handle.status();
  auto map = MapReader::Open(handle->get(), "participant", {"role", "joined_on", "left_on"});
  if (!map.ok()) return map.status();
  ParticipantValue v;
  for (auto [key, target] : {std::pair{"role", &v.role}, std::pair{"joined_on", &v.joined_on},
                             std::pair{"left_on", &v.left_on}}) {
    if (const msgpack::object* o = map->Find(key); o && o->type == msgpack::type::STR) {
      *target = std::string(StrOf(*o));
    }
  }
  return v;
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
