// Controlled vocabularies: the codes a member record, a project and the dues ledger store, and
// their labels in English, French and Spanish (docs/directory.md, "Codes, never labels").
//
// - ISO 3166-1 countries, ISO 3166-2 subdivisions, ISO 4217 currencies, ISO 639 languages and
//   ISO 15924 scripts come from Debian's iso-codes package, turned into tables at build time by
//   scripts/gen_codes.py (nothing reads iso-codes at run time).
// - The ESSGlobal vocabularies (RIPESS) are our own table, crdt/essglobal_codes.cc, with the
//   French and Spanish labels the published SKOS files lack.
//
// Pure: no I/O, no allocation except Codes() and SubdivisionsOf(). Codes are matched exactly
// (case-sensitive: "CA", "CA-QC", "USD", "a01", "OS60"), except language tags, which BCP 47
// makes case-insensitive. A `lang` argument picks the label language: its primary subtag "fr"
// or "es" ("fr-CA" counts as "fr"); anything else gives English.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace nanse::codes {

// ---- Countries and subdivisions (ISO 3166) ----

// An ISO 3166-1 alpha-2 code, uppercase: "CA", "JM", "HT", "PR", "CU".
bool IsCountry(std::string_view alpha2);

// The country's short name ("Bolivia", "México", "Haïti"); English when iso-codes has no
// translation; empty for an unknown code.
std::string_view CountryName(std::string_view alpha2, std::string_view lang);

// An ISO 3166-2 code: "CA-QC", "US-NY", "MX-OAX", "US-PR".
bool IsSubdivision(std::string_view code);

// `code` is a subdivision of the country `alpha2` (starts with "<alpha2>-").
bool IsSubdivisionOf(std::string_view alpha2, std::string_view code);

// The subdivision's name: French or Spanish where iso-codes has one, else the English or
// native name iso-codes gives ("Québec" in French, "Oaxaca" in every language); empty for an
// unknown code.
std::string_view SubdivisionName(std::string_view code, std::string_view lang);

// The subdivision codes of a country, sorted ("CA-AB", ..., "CA-YT"); empty if it has none.
std::vector<std::string_view> SubdivisionsOf(std::string_view alpha2);

// True exactly for CA, US and MX: a member there must name its subdivision.
bool CountryRequiresSubdivision(std::string_view alpha2);

// The network's region of a country: "canada" (CA), "us" (US), "mexico" (MX), "caribbean" or
// "other" (every other code, known or not). "caribbean" is every sovereign state and territory
// in the Caribbean Sea (AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC
// TT VC VG VI) plus the three mainland full members of the Caribbean Community, BZ, GY and SR.
// Not included: BM (Atlantic; a CARICOM associate member only), GF (not a CARICOM member) and
// the mainland states with a Caribbean coast (CO, VE, PA, CR, NI, HN, GT), which are "other".
std::string_view RegionOf(std::string_view alpha2);

// As RegionOf(alpha2), but a Caribbean territory recorded as a subdivision of its sovereign
// state counts as "caribbean", as its own alpha-2 code would: US-PR, US-VI, FR-971 and FR-GP
// (Guadeloupe), FR-972 and FR-MQ (Martinique), FR-BL, FR-MF, NL-AW, NL-CW, NL-SX and NL-BQ1..3
// (Bonaire, Saba, Sint Eustatius). A member in Puerto Rico may be recorded as country PR or as
// US with subdivision US-PR; both are Caribbean.
std::string_view RegionOf(std::string_view alpha2, std::string_view subdivision);

// ---- Currencies (ISO 4217) ----

// The number of decimal places of the currency's minor unit: USD 2, JPY 0, BHD 3, CLF 4;
// nullopt for an unknown code and for the ISO codes that are no money (XAU gold, XDR, XTS,
// XXX...).
std::optional<int> CurrencyExponent(std::string_view alpha3);

// ---- Languages (BCP 47, RFC 5646) ----

// A valid BCP 47 language tag, case-insensitive: "en", "fr-CA", "es-419", "zh-Hant-TW",
// "ht", "pap-AW", "de-CH-1996", "en-US-u-ca-gregory", "en-x-nanse".
//   language   2 or 3 letters, a language subtag of ISO 639 in iso-codes. A language with a
//              two-letter code must use it: "fr", not "fra" or "fre" (RFC 5646 section 2.2.1).
//   script     4 letters, ISO 15924 ("Latn", "Hant"; Qaaa..Qabx private use)
//   region     2 letters, an ISO 3166-1 country; or 3 digits (UN M.49, not checked further)
//   variants   5-8 letters or digits, or a digit and 3 more (syntax only), none repeated
//   extensions a singleton other than x followed by subtags of 2-8, none repeated
//   private    "x" followed by subtags of 1-8
// Refused: extended language subtags ("zh-yue": write "yue"), 5-8 letter languages
// ("english"), private-use or grandfathered tags on their own ("x-foo", "i-klingon"), empty
// subtags ("xx-", "en--US").
bool IsLanguageTag(std::string_view tag);

// The name of the tag's language (its primary subtag): LanguageName("fr-CA", "es") ==
// "Francés". Empty when the primary subtag is not a known language.
std::string_view LanguageName(std::string_view tag, std::string_view lang);

// ---- ESSGlobal vocabularies (http://purl.org/essglobal/standard/) ----

enum class Vocabulary {
  kActivity,        // economic sector: a01..a21 (primary_activity, activities)
  kOrgStructure,    // organisational structure: OS10..OS240
  kLegalForm,       // legal form: L1..L5
  kQualifier,       // q01..q09 and their narrower concepts by URI fragment ("Organic")
  kBaseMembership,  // base membership type: BMT10..BMT60
  kTheme,           // themes: T1..T19
};

bool IsActivity(std::string_view code);
bool IsOrgStructure(std::string_view code);
bool IsLegalForm(std::string_view code);
bool IsQualifier(std::string_view code);
bool IsBaseMembership(std::string_view code);
bool IsTheme(std::string_view code);
bool IsCode(Vocabulary v, std::string_view code);

// The code's label in `lang`; empty for a code not in the vocabulary.
std::string_view Label(Vocabulary v, std::string_view code, std::string_view lang);

// Every code of the vocabulary, in the vocabulary's own order (a01..a21, q01 then its
// narrower concepts, q02...).
std::vector<std::string_view> Codes(Vocabulary v);

}  // namespace nanse::codes
