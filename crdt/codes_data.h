// The tables behind crdt/codes.h. Internal: include crdt/codes.h instead.
//
// Two sources fill them:
// - the ISO tables (countries, subdivisions, currencies, languages, scripts) are generated at
//   build time by scripts/gen_codes.py from Debian's iso-codes package, into
//   <build>/generated/iso_codes_data.cc;
// - the ESSGlobal vocabularies are hand-maintained in crdt/essglobal_codes.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace nanse::codes::data {

// ---- Generated from iso-codes (scripts/gen_codes.py) ----
//
// Every string lives in one pool of NUL-terminated UTF-8 strings (no relocations, no
// duplicates); a row holds byte offsets into it. Each table is sorted by its code, bytewise,
// for binary search. A name that iso-codes does not translate holds the English offset.

extern const char kStringPool[];

inline std::string_view PoolString(uint32_t offset) {
  return std::string_view(kStringPool + offset);
}

struct NamedRow {
  uint32_t code;
  uint32_t en;
  uint32_t fr;
  uint32_t es;
};

struct CurrencyRow {
  uint32_t code;
  int32_t exponent;
};

struct CodeRow {
  uint32_t code;
};

extern const std::span<const NamedRow> kCountries;      // "CA": ISO 3166-1 alpha-2
extern const std::span<const NamedRow> kSubdivisions;   // "CA-QC": ISO 3166-2
extern const std::span<const CurrencyRow> kCurrencies;  // "USD": ISO 4217, minor-unit exponent
extern const std::span<const NamedRow> kLanguages;      // "fr", "haw": BCP 47 language subtags
extern const std::span<const CodeRow> kScripts;         // "Latn": ISO 15924
extern const std::string_view kIsoCodesVersion;         // iso-codes' version, e.g. "4.15.0"

// ---- Hand-maintained (crdt/essglobal_codes.cc) ----

struct VocabularyRow {
  std::string_view code;
  std::string_view en;
  std::string_view fr;
  std::string_view es;
};

extern const std::span<const VocabularyRow> kActivities;
extern const std::span<const VocabularyRow> kOrgStructures;
extern const std::span<const VocabularyRow> kLegalForms;
extern const std::span<const VocabularyRow> kQualifiers;
extern const std::span<const VocabularyRow> kBaseMemberships;
extern const std::span<const VocabularyRow> kThemes;

}  // namespace nanse::codes::data
