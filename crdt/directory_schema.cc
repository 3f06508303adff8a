#include "crdt/directory_schema.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "crdt/codes.h"
#include "crdt/date.h"
#include "crdt/record_id.h"
#include "crdt/text_rules.h"

namespace nanse {
namespace {

using detail::MsgpackWriter;

constexpr std::string_view kAdminStatuses[] = {"suspended", "cancelled", "withdrawn", "deceased"};
constexpr std::string_view kScopes[] = {"local", "regional", "national", "international"};
constexpr std::string_view kProjectKinds[] = {"business", "educational", "policy"};
constexpr std::string_view kProjectStatuses[] = {"in_planning", "active", "on_hold", "completed",
                                                 "cancelled"};

bool IsAlpha2Country(std::string_view c) { return codes::IsCountry(c); }
bool IsLanguage(std::string_view t) { return codes::IsLanguageTag(t); }

using T = ValueType;
constexpr Table M = Table::kMember;
constexpr Table P = Table::kProject;

// clang-format off
const FieldSpec kMemberFields[] = {
  {"name", M, T::kText, true, 200, 1, true},
  {"legal_name", M, T::kText, false, 200, 1, false, "organization"},
  {"acronym", M, T::kText, false, 50},
  {"given_name", M, T::kText, false, 100, 1, false, "associate"},
  {"family_name", M, T::kText, false, 100, 1, false, "associate"},
  {"joined_on", M, T::kDate, false, 10, 1, true},
  {"admin_status", M, T::kChoice, false, 20, 1, false, {}, kAdminStatuses},
  {"country", M, T::kCode, false, 2, 1, true, {}, {}, IsAlpha2Country,
   "an ISO 3166-1 alpha-2 country code (CA, US, MX, HT, JM...)"},
  {"subdivision", M, T::kCode, false, 6, 1, false, {}, {}, codes::IsSubdivision,
   "an ISO 3166-2 subdivision code (CA-QC, US-NY, MX-OAX...)"},
  {"locality", M, T::kText, false, 100},
  {"postal_code", M, T::kText, false, 20},
  {"street_address", M, T::kText, false, 200},
  {"geo", M, T::kGeo},
  {"languages", M, T::kCodeList, false, 35, 10, true, {}, {}, IsLanguage,
   "a BCP 47 language tag (en, fr, es, fr-CA...)"},
  {"emails", M, T::kEmailList, false, 254, 10},
  {"phones", M, T::kPhoneList, false, 16, 10},
  {"website", M, T::kUrl, false, 500},
  {"urls", M, T::kUrlList, false, 500, 20},
  {"description", M, T::kLongText, true, 4000},
  {"mission", M, T::kLongText, true, 4000, 1, false, "organization"},
  {"tags", M, T::kTextList, false, 100, 100},
  {"org_structure", M, T::kCodeList, false, 8, 10, false, "organization", {},
   codes::IsOrgStructure, "an ESSGlobal organisational structure code (OS60...)"},
  {"legal_form", M, T::kCode, false, 4, 1, false, "organization", {}, codes::IsLegalForm,
   "an ESSGlobal legal form code (L1..L5)"},
  {"sector", M, T::kCode, false, 3, 1, false, {}, {}, codes::IsActivity,
   "an ESSGlobal activity code (a01..a21)"},
  {"activities", M, T::kCodeList, false, 3, 21, false, {}, {}, codes::IsActivity,
   "an ESSGlobal activity code (a01..a21)"},
  {"qualifiers", M, T::kCodeList, false, 40, 20, false, "organization", {}, codes::IsQualifier,
   "an ESSGlobal qualifier code"},
  {"base_membership", M, T::kCode, false, 8, 1, false, "organization", {},
   codes::IsBaseMembership, "an ESSGlobal base membership type code (BMT10...)"},
  {"is_network", M, T::kBool, false, 5, 1, false, "organization"},
  {"logo_url", M, T::kUrl, false, 500, 1, false, "organization"},
  {"founded_on", M, T::kDate, false, 10, 1, false, "organization"},
  {"number_of_members", M, T::kUint, false, 20, 1, false, "organization"},
  {"geographic_scope", M, T::kChoice, false, 20, 1, false, {}, kScopes},
  {"publish_consent", M, T::kBool, false, 5, 1, false, "associate"},
};

const FieldSpec kProjectFields[] = {
  {"title", P, T::kText, true, 200, 1, true},
  {"summary", P, T::kLongText, true, 4000},
  {"kind", P, T::kChoice, false, 20, 1, true, {}, kProjectKinds},
  {"status", P, T::kChoice, false, 20, 1, true, {}, kProjectStatuses},
  {"lead", P, T::kMemberRef, false, 16, 1, true},
  {"start_date", P, T::kDate},
  {"end_date", P, T::kDate},
  {"countries", P, T::kCodeList, false, 2, 60, false, {}, {}, IsAlpha2Country,
   "an ISO 3166-1 alpha-2 country code"},
  {"languages", P, T::kCodeList, false, 35, 10, true, {}, {}, IsLanguage,
   "a BCP 47 language tag (en, fr, es, fr-CA...)"},
  {"activities", P, T::kCodeList, false, 3, 21, false, {}, {}, codes::IsActivity,
   "an ESSGlobal activity code (a01..a21)"},
  {"urls", P, T::kUrlList, false, 500, 20},
};
// clang-format on

bool IsList(ValueType t) {
  return t == T::kCodeList || t == T::kTextList || t == T::kEmailList || t == T::kPhoneList ||
         t == T::kUrlList;
}

Status CheckEmail(std::string_view s, const std::string& where) {
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || s.find('@', at + 1) != s.npos) {
    return Status::Malformed(
        where, "expected an e-mail address like name@example.org, got '" + std::string(s) + "'");
  }
  std::string_view domain = s.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return Status::Malformed(where,
                             "expected an e-mail domain with a dot, got '" + std::string(s) + "'");
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',' || c == ';') {
      return Status::Malformed(
          where, "e-mail address contains a space or separator: '" + std::string(s) + "'");
    }
  }
  return Status::Ok();
}

Status CheckPhone(std::string_view s, const std::string& where) {
  bool ok = s.size() >= 9 && s.size() <= 16 && s[0] == '+' && s[1] != '0';
  for (size_t i = 1; ok && i < s.size(); ++i) ok = s[i] >= '0' && s[i] <= '9';
  if (!ok) {
    return Status::Malformed(
        where, "expected an E.164 phone number like +15145551234, got '" + std::string(s) + "'");
  }
  return Status::Ok();
}

Status CheckUrl(std::string_view s, const std::string& where) {
  std::string_view rest;
  if (s.rfind("https://", 0) == 0) {
    rest = s.substr(8);
  } else if (s.rfind("http://", 0) == 0) {
    rest = s.substr(7);
  } else {
    return Status::Malformed(
        where, "expected a URL starting with https:// or http://, got '" + std::string(s) + "'");
  }
  if (rest.empty() || rest[0] == '/' || rest[0] == '.') {
    return Status::Malformed(where, "expected a host name after the scheme");
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>') {
      return Status::Malformed(where, "URL contains a space or a forbidden character");
    }
  }
  return Status::Ok();
}

// Checks one item (a whole value, or one element of a list) given as a string.
Status CheckItem(const FieldSpec& spec, std::string_view s, const std::string& where) {
  switch (spec.type) {
    case T::kText:
    case T::kTextList:
      return CheckText(s, where, spec.max_len);
    case T::kLongText:
      return CheckText(s, where, spec.max_len, /*multiline=*/true);
    case T::kDate:
      return ParseDate(s, where).status();
    case T::kChoice:
      if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
        std::string list;
        for (auto c : spec.choices) list += (list.empty() ? "" : ", ") + std::string(c);
        return Status::Malformed(
            where, "expected one of " + list + ", got '" + std::string(s.substr(0, 40)) + "'");
      }
      return Status::Ok();
    case T::kCode:
    case T::kCodeList:
      if (s.size() > spec.max_len || !spec.code_check(s)) {
        return Status::Malformed(where, "expected " + std::string(spec.code_name) + ", got '" +
                                            std::string(s.substr(0, 40)) + "'");
      }
      return Status::Ok();
    case T::kEmailList:
      NANSE_RETURN_IF_ERROR(CheckText(s, where, spec.max_len));
      return CheckEmail(s, where);
    case T::kPhoneList:
      return CheckPhone(s, where);
    case T::kUrl:
    case T::kUrlList:
      NANSE_RETURN_IF_ERROR(CheckText(s, where, spec.max_len));
      return CheckUrl(s, where);
    default:
      return Status::Malformed(where, "not a text field");
  }
}

std::string_view StrOf(const msgpack::object& o) { return {o.via.str.ptr, o.via.str.size}; }

}  // namespace

std::span<const FieldSpec> Fields(Table table) {
  if (table == Table::kMember) return kMemberFields;
  if (table == Table::kProject) return kProjectFields;
  return {};
}

const FieldSpec* FindField(Table table, std::string_view name) {
  for (const FieldSpec& f : Fields(table)) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Status ValidateLangKey(std::string_view lang, const std::string& where) {
  if (!codes::IsLanguageTag(lang)) {
    return Status::Malformed(where, "expected a BCP 47 language tag (en, fr, es...), got '" +
                                        std::string(lang.substr(0, 40)) + "'");
  }
  for (char c : lang) {
    if (c >= 'A' && c <= 'Z') return Status::Malformed(where, "expected a lowercase language tag");
  }
  return Status::Ok();
}

Status ValidateFieldValue(const FieldSpec& spec, const msgpack::object& o,
                          const std::string& where) {
  switch (spec.type) {
    case T::kBool:
      if (o.type != msgpack::type::BOOLEAN) {
        return Status::Malformed(where, "expected true or false, got " + detail::TypeName(o));
      }
      return Status::Ok();
    case T::kUint:
      if (o.type != msgpack::type::POSITIVE_INTEGER || o.via.u64 > 1'000'000'000'000ull) {
        return Status::Malformed(where, "expected a whole number >= 0");
      }
      return Status::Ok();
    case T::kGeo: {
      if (o.type != msgpack::type::ARRAY || o.via.array.size != 2) {
        return Status::Malformed(where, "expected [latitude, longitude] in micro-degrees");
      }
      auto lat = detail::ReadInt(o.via.array.ptr[0], where + ".latitude");
      if (!lat.ok()) return lat.status();
      auto lon = detail::ReadInt(o.via.array.ptr[1], where + ".longitude");
      if (!lon.ok()) return lon.status();
      if (*lat < -90'000'000 || *lat > 90'000'000) {
        return Status::Malformed(where + ".latitude", "expected -90 to 90 degrees");
      }
      if (*lon < -180'000'000 || *lon > 180'000'000) {
        return Status::Malformed(where + ".longitude", "expected -180 to 180 degrees");
      }
      return Status::Ok();
    }
    case T::kMemberRef:
      if (o.type != msgpack::type::BIN || o.via.bin.size != 16) {
        return Status::Malformed(where, "expected a member id (16 bytes)");
      }
      return Status::Ok();
    default:
      break;
  }
  if (IsList(spec.type)) {
    if (o.type != msgpack::type::ARRAY) {
      return Status::Malformed(where, "expected a list, got " + detail::TypeName(o));
    }
    if (o.via.array.size > spec.max_items) {
      return Status::Malformed(where, "expected at most " + std::to_string(spec.max_items) +
                                          " items, got " + std::to_string(o.via.array.size));
    }
    std::set<std::string_view> seen;
    for (uint32_t i = 0; i < o.via.array.size; ++i) {
      const msgpack::object& e = o.via.array.ptr[i];
      const std::string ew = where + "[" + std::to_string(i) + "]";
      if (e.type != msgpack::type::STR) {
        return Status::Malformed(ew, "expected a string, got " + detail::TypeName(e));
      }
      NANSE_RETURN_IF_ERROR(CheckItem(spec, StrOf(e), ew));
      if (!seen.insert(StrOf(e)).second) return Status::Malformed(ew, "listed twice");
    }
    return Status::Ok();
  }
  if (o.type != msgpack::type::STR) {
    return Status::Malformed(where, "expected a string, got " + detail::TypeName(o));
  }
  return CheckItem(spec, StrOf(o), where);
}

Status ValidateFieldValue(const FieldSpec& spec, ByteView value, const std::string& where) {
  auto handle = detail::UnpackExactlyOne(value, where, 256);
  if (!handle.ok()) return handle.status();
  return ValidateFieldValue(spec, handle->get(), where);
}

Result<Bytes> ParseFieldText(const FieldSpec& spec, std::string_view text,
                             const std::string& where) {
  MsgpackWriter w;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  switch (spec.type) {
    case T::kBool: {
      std::string v(trim(text));
      std::transform(v.begin(), v.end(), v.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (v == "true" || v == "yes" || v == "1") {
        w.Bool(true);
      } else if (v == "false" || v == "no" || v == "0") {
        w.Bool(false);
      } else {
        return Status::Malformed(where, "expected true or false, got '" + v + "'");
      }
      return w.Take();
    }
    case T::kUint: {
      std::string_view v = trim(text);
      uint64_t n = 0;
      if (v.empty() || v.size() > 13) return Status::Malformed(where, "expected a whole number");
      for (char c : v) {
        if (c < '0' || c > '9') return Status::Malformed(where, "expected a whole number >= 0");
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      w.Uint(n);
      break;
    }
    case T::kGeo: {
      std::string v(trim(text));
      size_t sep = v.find_first_of(";,");
      double lat = 0, lon = 0;
      char extra = 0;
      if (sep == std::string::npos ||
          std::sscanf(v.substr(0, sep).c_str(), "%lf%c", &lat, &extra) != 1 ||
          std::sscanf(v.substr(sep + 1).c_str(), "%lf%c", &lon, &extra) != 1 ||
          !std::isfinite(lat) || !std::isfinite(lon)) {
        return Status::Malformed(where, "expected 'latitude;longitude' in decimal degrees");
      }
      w.Array(2);
      w.Int(std::llround(lat * 1e6));
      w.Int(std::llround(lon * 1e6));
      break;
    }
    case T::kMemberRef: {
      auto id = ParseUuid(trim(text), where);
      if (!id.ok()) return id.status();
      w.Bin(*id);
      break;
    }
    default:
      if (IsList(spec.type)) {
        std::vector<std::string_view> items;
        size_t start = 0;
        while (start <= text.size()) {
          size_t semi = text.find(';', start);
          std::string_view item =
              trim(text.substr(start, semi == std::string_view::npos ? text.npos : semi - start));
          if (!item.empty()) items.push_back(item);
          if (semi == std::string_view::npos) break;
          start = semi + 1;
        }
        w.Array(static_cast<uint32_t>(items.size()));
        for (auto item : items) w.Str(item);
      } else {
        w.Str(spec.type == T::kLongText ? text : trim(text));
      }
  }
  Bytes bytes = w.Take();
  NANSE_RETURN_IF_ERROR(ValidateFieldValue(spec, bytes, where));
  return bytes;
}

std::string FieldValueToText(const FieldSpec& spec, ByteView value) {
  auto handle = detail::UnpackExactlyOne(value, "value", 256);
  if (!handle.ok()) return "?";
  const msgpack::object& o = handle->get();
  switch (o.type) {
    case msgpack::type::STR:
      return std::string(StrOf(o));
    case msgpack::type::BOOLEAN:
      return o.via.boolean ? "true" : "false";
    case msgpack::type::POSITIVE_INTEGER:
      return std::to_string(o.via.u64);
    case msgpack::type::BIN:
      if (o.via.bin.size == 16) {
        return FormatUuid(ToArray<16>({reinterpret_cast<const uint8_t*>(o.via.bin.ptr), 16}));
      }
      return "?";
    case msgpack::type::ARRAY: {
      if (spec.type == T::kGeo && o.via.array.size == 2) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6f;%.6f",
                      static_cast<double>(o.via.array.ptr[0].via.i64) / 1e6,
                      static_cast<double>(o.via.array.ptr[1].via.i64) / 1e6);
        return buf;
      }
      std::string out;
      for (uint32_t i = 0; i < o.via.array.size; ++i) {
        if (i) out += ";";
        if (o.via.array.ptr[i].type == msgpack::type::STR) out += StrOf(o.via.array.ptr[i]);
      }
      return out;
    }
    default:
      return "?";
  }
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string FieldValueToJson(const FieldSpec& spec, ByteView value) {
  auto handle = detail::UnpackExactlyOne(value, "value", 256);
  if (!handle.ok()) return "null";
  const msgpack::object& o = handle->get();
  switch (o.type) {
    case msgpack::type::BOOLEAN:
    case msgpack::type::POSITIVE_INTEGER:
      return FieldValueToText(spec, value);
    case msgpack::type::ARRAY: {
      if (spec.type == T::kGeo) {
        std::string t = FieldValueToText(spec, value);
        return "[" + t.replace(t.find(';'), 1, ",") + "]";
      }
      std::string out = "[";
      for (uint32_t i = 0; i < o.via.array.size; ++i) {
        if (i) out += ",";
        out += JsonString(StrOf(o.via.array.ptr[i]));
      }
      return out + "]";
    }
    default:
      return JsonString(FieldValueToText(spec, value));
  }
}

}  // namespace nanse
