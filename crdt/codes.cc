#include "crdt/codes.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <span>

#include "crdt/codes_data.h"

namespace nanse::codes {
namespace {

using data::CodeRow;
using data::CurrencyRow;
using data::NamedRow;
using data::PoolString;
using data::VocabularyRow;

enum class Lang { kEn, kFr, kEs };

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }

bool AllOf(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

// "fr", "fr-CA", "FR_ca" -> French; "es", "es-MX" -> Spanish; anything else -> English.
Lang LangOf(std::string_view lang) {
  std::string_view primary = lang.substr(0, lang.find_first_of("-_"));
  if (EqualsIgnoreCase(primary, "fr")) return Lang::kFr;
  if (EqualsIgnoreCase(primary, "es")) return Lang::kEs;
  return Lang::kEn;
}

// Binary search of a generated table (sorted bytewise by code).
template <typename Row>
const Row* Find(std::span<const Row> rows, std::string_view code) {
  auto it = std::lower_bound(
      rows.begin(), rows.end(), code,
      [](const Row& row, std::string_view key) { return PoolString(row.code) < key; });
  if (it == rows.end() || PoolString(it->code) != code) return nullptr;
  return &*it;
}

std::string_view NameOf(const NamedRow* row, std::string_view lang) {
  if (row == nullptr) return {};
  switch (LangOf(lang)) {
    case Lang::kFr:
      return PoolString(row->fr);
    case Lang::kEs:
      return PoolString(row->es);
    case Lang::kEn:
      break;
  }
  return PoolString(row->en);
}

// A short code in a fixed buffer, with its case changed: subtags are at most 8 characters.
class SmallCode {
 public:
  SmallCode(std::string_view s, char (*convert)(char)) : size_(std::min(s.size(), buf_.size())) {
    for (size_t i = 0; i < size_; ++i) buf_[i] = convert(s[i]);
  }
  std::string_view view() const { return std::string_view(buf_.data(), size_); }

 private:
  std::array<char, 8> buf_{};
  size_t size_;
};

// See RegionOf in codes.h for the choice.
constexpr std::string_view kCaribbean[] = {
    "AG", "AI", "AW", "BB", "BL", "BQ", "BS", "BZ", "CU", "CW", "DM", "DO", "GD", "GP", "GY", "HT",
    "JM", "KN", "KY", "LC", "MF", "MQ", "MS", "PR", "SR", "SX", "TC", "TT", "VC", "VG", "VI",
};

// Caribbean territories that ISO 3166-2 also lists as subdivisions of their sovereign state,
// with their own alpha-2 code.
struct Territory {
  std::string_view subdivision;
  std::string_view alpha2;
};
constexpr Territory kCaribbeanSubdivisions[] = {
    {"FR-971", "GP"}, {"FR-972", "MQ"}, {"FR-BL", "BL"},  {"FR-GP", "GP"},  {"FR-MF", "MF"},
    {"FR-MQ", "MQ"},  {"NL-AW", "AW"},  {"NL-BQ1", "BQ"}, {"NL-BQ2", "BQ"}, {"NL-BQ3", "BQ"},
    {"NL-CW", "CW"},  {"NL-SX", "SX"},  {"US-PR", "PR"},  {"US-VI", "VI"},
};

// ---- BCP 47 ----

// Walks the subtags of a tag, '-' separated. An empty tag is one empty subtag.
class Subtags {
 public:
  explicit Subtags(std::string_view tag) : rest_(tag) {}
  bool Next(std::string_view& out) {
    if (done_) return false;
    size_t dash = rest_.find('-');
    if (dash == std::string_view::npos) {
      out = rest_;
      done_ = true;
    } else {
      out = rest_.substr(0, dash);
      rest_.remove_prefix(dash + 1);
    }
    return true;
  }

 private:
  std::string_view rest_;
  bool done_ = false;
};

const NamedRow* FindLanguage(std::string_view subtag) {
  if (subtag.size() < 2 || subtag.size() > 3 || !AllOf(subtag, IsAlpha)) return nullptr;
  return Find(data::kLanguages, SmallCode(subtag, Lower).view());
}

bool IsScript(std::string_view s) {
  std::array<char, 4> title = {Upper(s[0]), Lower(s[1]), Lower(s[2]), Lower(s[3])};
  std::string_view code(title.data(), title.size());
  // Qaaa..Qabx: private use (ISO 15924 lists only the two ends).
  if (code[0] == 'Q' && code[1] == 'a' && (code[2] == 'a' || (code[2] == 'b' && code[3] <= 'x'))) {
    return true;
  }
  return Find(data::kScripts, code) != nullptr;
}

bool IsVariant(std::string_view s) {
  if (!AllOf(s, IsAlnum)) return false;
  return (s.size() >= 5 && s.size() <= 8) || (s.size() == 4 && IsDigit(s[0]));
}

std::span<const VocabularyRow> TableOf(Vocabulary v) {
  switch (v) {
    case Vocabulary::kActivity:
      return data::kActivities;
    case Vocabulary::kOrgStructure:
      return data::kOrgStructures;
    case Vocabulary::kLegalForm:
      return data::kLegalForms;
    case Vocabulary::kQualifier:
      return data::kQualifiers;
    case Vocabulary::kBaseMembership:
      return data::kBaseMemberships;
    case Vocabulary::kTheme:
      return data::kThemes;
  }
  return {};
}

const VocabularyRow* FindCode(Vocabulary v, std::string_view code) {
  for (const VocabularyRow& row : TableOf(v)) {
    if (row.code == code) return &row;
  }
  return nullptr;
}

}  // namespace

// ---- Countries and subdivisions ----

bool IsCountry(std::string_view alpha2) {
  return alpha2.size() == 2 && Find(data::kCountries, alpha2) != nullptr;
}

std::string_view CountryName(std::string_view alpha2, std::string_view lang) {
  return NameOf(alpha2.size() == 2 ? Find(data::kCountries, alpha2) : nullptr, lang);
}

bool IsSubdivision(std::string_view code) {
  return code.size() >= 4 && code.size() <= 6 && Find(data::kSubdivisions, code) != nullptr;
}

bool IsSubdivisionOf(std::string_view alpha2, std::string_view code) {
  return alpha2.size() == 2 && code.size() > 3 && code.substr(0, 2) == alpha2 && code[2] == '-' &&
         IsSubdivision(code);
}

std::string_view SubdivisionName(std::string_view code, std::string_view lang) {
  return NameOf(code.size() >= 4 && code.size() <= 6 ? Find(data::kSubdivisions, code) : nullptr,
                lang);
}

std::vector<std::string_view> SubdivisionsOf(std::string_view alpha2) {
  std::vector<std::string_view> out;
  if (!IsCountry(alpha2)) return out;
  // "CA" sorts just before "CA-AB", the first of Canada's codes.
  auto rows = data::kSubdivisions;
  auto it = std::lower_bound(
      rows.begin(), rows.end(), alpha2,
      [](const NamedRow& row, std::string_view key) { return PoolString(row.code) < key; });
  for (; it != rows.end() && IsSubdivisionOf(alpha2, PoolString(it->code)); ++it) {
    out.push_back(PoolString(it->code));
  }
  return out;
}

bool CountryRequiresSubdivision(std::string_view alpha2) {
  return alpha2 == "CA" || alpha2 == "US" || alpha2 == "MX";
}

std::string_view RegionOf(std::string_view alpha2) {
  if (alpha2 == "CA") return "canada";
  if (alpha2 == "US") return "us";
  if (alpha2 == "MX") return "mexico";
  if (alpha2.size() == 2 && std::ranges::find(kCaribbean, alpha2) != std::end(kCaribbean)) {
    return "caribbean";
  }
  return "other";
}

std::string_view RegionOf(std::string_view alpha2, std::string_view subdivision) {
  if (!subdivision.empty() && IsSubdivisionOf(alpha2, subdivision)) {
    for (const Territory& t : kCaribbeanSubdivisions) {
      if (t.subdivision == subdivision) return RegionOf(t.alpha2);
    }
  }
  return RegionOf(alpha2);
}

// ---- Currencies ----

std::optional<int> CurrencyExponent(std::string_view alpha3) {
  if (alpha3.size() != 3) return std::nullopt;
  const CurrencyRow* row = Find(data::kCurrencies, alpha3);
  if (row == nullptr) return std::nullopt;
  return row->exponent;
}

// ---- Languages ----

bool IsLanguageTag(std::string_view tag) {
  Subtags subtags(tag);
  std::string_view s;
  if (!subtags.Next(s) || FindLanguage(s) == nullptr) return false;
  bool more = subtags.Next(s);

  if (more && s.size() == 4 && AllOf(s, IsAlpha)) {
    if (!IsScript(s)) return false;
    more = subtags.Next(s);
  }
  if (more && s.size() == 2 && AllOf(s, IsAlpha)) {
    if (!IsCountry(SmallCode(s, Upper).view())) return false;
    more = subtags.Next(s);
  } else if (more && s.size() == 3 && AllOf(s, IsDigit)) {
    more = subtags.Next(s);
  }

  // Variants, none repeated (compared case-insensitively); at most 8, far more than any
  // registered combination.
  std::array<std::string_view, 8> variants;
  size_t variant_count = 0;
  while (more && IsVariant(s)) {
    for (size_t i = 0; i < variant_count; ++i) {
      if (EqualsIgnoreCase(variants[i], s)) return false;
    }
    if (variant_count == variants.size()) return false;
    variants[variant_count++] = s;
    more = subtags.Next(s);
  }

  // Extensions: a singleton (not x), then one or more subtags of 2-8; no singleton twice.
  std::array<bool, 36> seen_singleton{};
  while (more && s.size() == 1 && IsAlnum(s[0]) && Lower(s[0]) != 'x') {
    char c = Lower(s[0]);
    size_t index = IsDigit(c) ? static_cast<size_t>(c - '0') : static_cast<size_t>(c - 'a' + 10);
    if (seen_singleton[index]) return false;
    seen_singleton[index] = true;
    size_t count = 0;
    while ((more = subtags.Next(s)) && s.size() >= 2 && s.size() <= 8 && AllOf(s, IsAlnum)) ++count;
    if (count == 0) return false;
  }

  // Private use: x, then one or more subtags of 1-8, to the end.
  if (more && s.size() == 1 && Lower(s[0]) == 'x') {
    size_t count = 0;
    while (subtags.Next(s)) {
      if (s.empty() || s.size() > 8 || !AllOf(s, IsAlnum)) return false;
      ++count;
    }
    return count > 0;
  }
  return !more;
}

std::string_view LanguageName(std::string_view tag, std::string_view lang) {
  return NameOf(FindLanguage(tag.substr(0, tag.find('-'))), lang);
}

// ---- ESSGlobal ----

bool IsCode(Vocabulary v, std::string_view code) { return FindCode(v, code) != nullptr; }
bool IsActivity(std::string_view code) { return IsCode(Vocabulary::kActivity, code); }
bool IsOrgStructure(std::string_view code) { return IsCode(Vocabulary::kOrgStructure, code); }
bool IsLegalForm(std::string_view code) { return IsCode(Vocabulary::kLegalForm, code); }
bool IsQualifier(std::string_view code) { return IsCode(Vocabulary::kQualifier, code); }
bool IsBaseMembership(std::string_view code) { return IsCode(Vocabulary::kBaseMembership, code); }
bool IsTheme(std::string_view code) { return IsCode(Vocabulary::kTheme, code); }

std::string_view Label(Vocabulary v, std::string_view code, std::string_view lang) {
  const VocabularyRow* row = FindCode(v, code);
  if (row == nullptr) return {};
  switch (LangOf(lang)) {
    case Lang::kFr:
      return row->fr;
    case Lang::kEs:
      return row->es;
    case Lang::kEn:
      break;
  }
  return row->en;
}

std::vector<std::string_view> Codes(Vocabulary v) {
  std::vector<std::string_view> out;
  for (const VocabularyRow& row : TableOf(v)) out.push_back(row.code);
  return out;
}

}  // namespace nanse::codes
