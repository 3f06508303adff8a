#include "crdt/directory_ops.h"

#include <algorithm>
#include <set>

#include "crdt/codes.h"
#include "crdt/directory_codec.h"
#include "crdt/msgpack_io.h"
#include "crdt/text_rules.h"

namespace nanse {
namespace {

using detail::BodyList;
using detail::EncodeValue;
using detail::MapReader;
using detail::MsgpackWriter;
using detail::ReadChoice;
using detail::ReadDate;
using detail::ReadId;
using detail::ReadReplaces;
using detail::StrOf;
using detail::WriteReplaces;

constexpr std::string_view kProjectRoles[] = {"lead", "partner", "observer"};

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
  auto r = ReadChoice(**role, map->FieldName("role"), kProjectRoles);
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
  if (type == "dues.schedule") return detail::DecodeScheduleOp(root);
  if (type == "dues.record") return detail::DecodeLedgerOp(root);
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

}  // namespace nanse
