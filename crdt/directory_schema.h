// The fields of members and projects (docs/directory.md): their types, limits and code lists,
// how a value is checked when authored or received, and how it is parsed from and rendered to
// text (CLI options, CSV cells, JSON output).
//
// A field value travels as canonical msgpack bytes: str for text, dates and codes; an array of
// str for lists; bool; uint; [int, int] micro-degrees for geo; bin 16 for a member reference.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "crdt/bytes.h"
#include "crdt/msgpack_io.h"
#include "crdt/status.h"

namespace nanse {

enum class Table { kMember, kProject, kSchedule };

enum class ValueType {
  kText,       // one line of text
  kLongText,   // text with line breaks
  kDate,       // YYYY-MM-DD
  kChoice,     // one of `choices`
  kCode,       // one code accepted by `code_check`
  kCodeList,   // codes, no duplicates
  kTextList,   // free texts, no duplicates
  kEmailList,  // e-mail addresses
  kPhoneList,  // E.164 numbers
  kUrl,        // http(s) URL
  kUrlList,    // http(s) URLs
  kBool,
  kUint,
  kGeo,        // latitude and longitude
  kMemberRef,  // the id of a member
};

struct FieldSpec {
  std::string_view name;
  Table table;
  ValueType type;
  bool localized = false;  // one register per language
  size_t max_len = 200;    // bytes of one text item
  size_t max_items = 1;    // for lists
  bool required_at_add = false;
  std::string_view only_for = {};  // "organization" or "associate" for kind-specific fields
  std::span<const std::string_view> choices = {};
  bool (*code_check)(std::string_view) = nullptr;
  std::string_view code_name = {};  // "an ISO 3166-1 alpha-2 country code", for errors
};

std::span<const FieldSpec> Fields(Table table);
const FieldSpec* FindField(Table table, std::string_view name);

// Checks a received or authored value against its field. `where` prefixes the field name in
// errors ("op.body.members[3].country").
Status ValidateFieldValue(const FieldSpec& spec, const msgpack::object& value,
                          const std::string& where);
Status ValidateFieldValue(const FieldSpec& spec, ByteView value, const std::string& where);

// Parses what a person typed (a CLI option, a CSV cell) into the value's canonical bytes.
// Lists are ';'-separated; booleans true/false/yes/no/1/0; geo "lat;lon" in decimal degrees.
Result<Bytes> ParseFieldText(const FieldSpec& spec, std::string_view text,
                             const std::string& where);

// Renders a value as one line of text (lists ';'-joined), or as JSON.
std::string FieldValueToText(const FieldSpec& spec, ByteView value);
std::string FieldValueToJson(const FieldSpec& spec, ByteView value);

// Escapes a string as a JSON string literal, quotes included.
std::string JsonString(std::string_view s);

// The language key of a localized field: a BCP 47 tag, lowercased.
Status ValidateLangKey(std::string_view lang, const std::string& where);

}  // namespace nanse
