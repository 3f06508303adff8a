#include "cli/fields.h"

#include <algorithm>

#include "cli/tr.h"
#include "crdt/codes.h"
#include "crdt/text_codec.h"

namespace nanse::cli {
namespace {

std::string Dashed(std::string_view name) {
  std::string s(name);
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

// Shorter names people reach for first.
std::string OptionNames(std::string_view field) {
  static const std::map<std::string_view, std::string_view> kAliases = {
      {"start_date", "--start"},   {"end_date", "--end"}, {"countries", "--country"},
      {"languages", "--language"}, {"emails", "--email"}, {"phones", "--phone"},
      {"urls", "--url"},           {"tags", "--tag"}};
  std::string names = "--" + Dashed(field);
  if (auto it = kAliases.find(field); it != kAliases.end()) names += "," + std::string(it->second);
  return names;
}

}  // namespace

const char* FieldLabel(std::string_view field) {
  // One Tr() per schema field (crdt/directory_schema.cc), spelled out so that xgettext finds
  // them; made on first use, after SetUpTranslation.
  static const std::map<std::string_view, const char*> kLabels = {
      {"id", Tr("id")},
      {"kind", Tr("kind")},
      {"name", Tr("name")},
      {"legal_name", Tr("legal name")},
      {"acronym", Tr("acronym")},
      {"given_name", Tr("given name")},
      {"family_name", Tr("family name")},
      {"joined_on", Tr("joined on")},
      {"admin_status", Tr("administrative status")},
      {"country", Tr("country")},
      {"subdivision", Tr("subdivision")},
      {"locality", Tr("locality")},
      {"postal_code", Tr("postal code")},
      {"street_address", Tr("street address")},
      {"geo", Tr("coordinates")},
      {"languages", Tr("languages")},
      {"emails", Tr("e-mail addresses")},
      {"phones", Tr("phone numbers")},
      {"website", Tr("website")},
      {"urls", Tr("links")},
      {"description", Tr("description")},
      {"mission", Tr("mission")},
      {"tags", Tr("tags")},
      {"org_structure", Tr("organizational structure")},
      {"legal_form", Tr("legal form")},
      {"sector", Tr("sector")},
      {"activities", Tr("activities")},
      {"qualifiers", Tr("qualifiers")},
      {"base_membership", Tr("membership type")},
      {"is_network", Tr("is a network")},
      {"logo_url", Tr("logo")},
      {"founded_on", Tr("founded on")},
      {"number_of_members", Tr("number of members")},
      {"geographic_scope", Tr("geographic scope")},
      {"publish_consent", Tr("consent to publish")},
      {"title", Tr("title")},
      {"summary", Tr("summary")},
      {"status", Tr("status")},
      {"lead", Tr("lead")},
      {"start_date", Tr("start date")},
      {"end_date", Tr("end date")},
      {"countries", Tr("countries")},
      {"participant", Tr("participant")},
      {"project", Tr("project")},
  };
  auto it = kLabels.find(field);
  return it == kLabels.end() ? nullptr : it->second;
}

void AddFieldOptions(CLI::App* command, Table table, FieldOptions& options, bool for_set) {
  for (const FieldSpec& spec : Fields(table)) {
    const std::string name(spec.name);
    const char* label = FieldLabel(name);
    const std::string help = label ? label : name;
    if (spec.localized) {
      command->add_option("--" + Dashed(name), options.values[name],
                          Fill(Tr("{field}, in the interface language"), {{"field", help}}));
      const std::pair<const char*, const char*> languages[] = {{"en", Tr("{field}, in English")},
                                                               {"fr", Tr("{field}, in French")},
                                                               {"es", Tr("{field}, in Spanish")}};
      for (const auto& [lang, text] : languages) {
        command->add_option("--" + Dashed(name) + "-" + lang, options.values[name + ":" + lang],
                            Fill(text, {{"field", help}}));
      }
      continue;
    }
    if (table == Table::kProject && name == "kind" && !for_set) {
      command
          ->add_option("--kind", options.values[name],
                       Tr("Kind of project: business, educational or policy"))
          ->required();
      continue;
    }
    command->add_option(OptionNames(name), options.values[name], help);
  }
  if (for_set) {
    command->add_option("--clear", options.clear, Tr("Clear this field (repeatable)"));
  }
}

Result<std::vector<FieldWrite>> CollectWrites(Table table, const FieldOptions& options) {
  std::vector<FieldWrite> writes;
  for (const auto& [key, texts] : options.values) {
    if (texts.empty()) continue;
    std::string field = key, lang;
    if (size_t colon = key.find(':'); colon != std::string::npos) {
      field = key.substr(0, colon);
      lang = key.substr(colon + 1);
    }
    const FieldSpec* spec = FindField(table, field);
    if (!spec) continue;
    if (spec->localized && lang.empty()) lang = UiLanguage();
    const std::string option =
        "--" + Dashed(field) + (key.find(':') != std::string::npos ? "-" + lang : "");
    std::string joined;
    for (const std::string& t : texts) joined += (joined.empty() ? "" : ";") + t;
    if (texts.size() > 1 && spec->max_items <= 1) {
      return Status::Usage(option, Tr("given more than once"));
    }
    NANSE_ASSIGN_OR_RETURN(Bytes value,
                           ParseFieldText(*spec, texts.size() == 1 ? texts[0] : joined, option));
    for (const FieldWrite& w : writes) {
      if (w.field == field && w.key == lang) return Status::Usage(option, Tr("given twice"));
    }
    writes.push_back({table, {}, field, lang, value, {}});
  }
  for (const std::string& clear : options.clear) {
    const FieldSpec* spec = FindField(table, clear);
    if (!spec) {
      return Status::Usage("--clear", Fill(Tr("unknown field '{field}'"), {{"field", clear}}));
    }
    if (spec->required_at_add) {
      return Status::Usage(
          "--clear", Fill(Tr("'{field}' is required and cannot be cleared"), {{"field", clear}}));
    }
    if (spec->localized) {
      writes.push_back({table, {}, clear, UiLanguage(), std::nullopt, {}});
    } else {
      writes.push_back({table, {}, clear, "", std::nullopt, {}});
    }
  }
  return writes;
}

nlohmann::json RecordToJson(const RecordView& record) {
  nlohmann::json j = nlohmann::json::object();
  j["id"] = FormatUuid(record.id);
  if (!record.kind.empty()) j["kind"] = record.kind;
  for (const RegisterValue& v : record.fields) {
    if (!v.value) continue;
    if (v.field == "participant") continue;
    const FieldSpec* spec = FindField(record.table, v.field);
    if (!spec) continue;
    nlohmann::json value = nlohmann::json::parse(FieldValueToJson(*spec, *v.value), nullptr, false);
    if (spec->localized) {
      j[v.field][v.key] = value;
    } else {
      j[v.field] = value;
    }
  }
  return j;
}

std::string DisplayValue(const FieldSpec& spec, const std::string& text) {
  const std::string& lang = UiLanguage();
  auto label = [&](std::string_view code) -> std::string {
    std::string_view name;
    if (spec.name == "country" || spec.name == "countries") {
      name = codes::CountryName(code, lang);
    } else if (spec.name == "subdivision") {
      name = codes::SubdivisionName(code, lang);
    } else if (spec.name == "sector" || spec.name == "activities") {
      name = codes::Label(codes::Vocabulary::kActivity, code, lang);
    } else if (spec.name == "org_structure") {
      name = codes::Label(codes::Vocabulary::kOrgStructure, code, lang);
    } else if (spec.name == "legal_form") {
      name = codes::Label(codes::Vocabulary::kLegalForm, code, lang);
    } else if (spec.name == "qualifiers") {
      name = codes::Label(codes::Vocabulary::kQualifier, code, lang);
    } else if (spec.name == "base_membership") {
      name = codes::Label(codes::Vocabulary::kBaseMembership, code, lang);
    }
    return name.empty() ? std::string(code) : std::string(code) + " (" + std::string(name) + ")";
  };
  if (spec.type != ValueType::kCode && spec.type != ValueType::kCodeList) return text;
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t semi = text.find(';', start);
    std::string item =
        text.substr(start, semi == std::string::npos ? std::string::npos : semi - start);
    if (!item.empty()) out += (out.empty() ? "" : "; ") + label(item);
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
  return out;
}

std::string LineLabel(std::string_view field, bool translated) {
  const char* label = translated ? FieldLabel(field) : nullptr;
  return label ? label : std::string(field);
}

std::vector<std::pair<std::string, std::string>> RecordToLines(const RecordView& record,
                                                               bool translated) {
  std::vector<std::pair<std::string, std::string>> lines;
  lines.emplace_back(LineLabel("id", translated), FormatUuid(record.id));
  if (!record.kind.empty()) lines.emplace_back(LineLabel("kind", translated), record.kind);
  for (const FieldSpec& spec : Fields(record.table)) {
    for (const RegisterValue& v : record.fields) {
      if (v.field != spec.name || !v.value) continue;
      std::string label = LineLabel(spec.name, translated);
      if (spec.localized) label += " [" + v.key + "]";
      std::string text = FieldValueToText(spec, *v.value);
      // Codes with their labels for people; the codes alone for CSV.
      lines.emplace_back(label, translated ? DisplayValue(spec, text) : text);
    }
  }
  return lines;
}

}  // namespace nanse::cli
