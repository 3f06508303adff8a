// Command-line options for the fields of a table, made from the schema (crdt/directory_schema.h),
// and how a record is printed. Shared by `member` and `project`.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "node/directory.h"

namespace nanse::cli {

struct FieldOptions {
  std::map<std::string, std::vector<std::string>> values;  // option field key -> texts
  std::vector<std::string> clear;                          // fields to clear (set only)
};

// Adds --<field> for every field of `table` (underscores as dashes; lists repeatable or
// ';'-joined), and --<field>-<lang> for localized ones (en, fr, es): --name writes the
// interface language. With `for_set`, also --clear FIELD.
void AddFieldOptions(CLI::App* command, Table table, FieldOptions& options, bool for_set);

// The writes the options ask for; a bad value fails naming its option.
Result<std::vector<FieldWrite>> CollectWrites(Table table, const FieldOptions& options);

// A record as JSON: {"id", "kind", field: value, localized: {lang: text}}.
nlohmann::json RecordToJson(const RecordView& record);
// A record as "field: value" lines, in schema order (a localized field once per language).
// With `translated` (the table format), the fields are named by their labels in the interface
// language and codes shown with their labels (DisplayValue); else (CSV) keys and codes alone.
std::vector<std::pair<std::string, std::string>> RecordToLines(const RecordView& record,
                                                               bool translated);

// The label of a field (or "id", "kind", "participant", "project") in the interface language,
// for help texts and table output; nullptr for a name it does not know.
const char* FieldLabel(std::string_view field);

// The field's label if `translated` and known, else the field's key.
std::string LineLabel(std::string_view field, bool translated);

// The label of a code or choice for display (ESSGlobal labels, country names) in the
// interface language; the code itself when unknown.
std::string DisplayValue(const FieldSpec& spec, const std::string& text);

}  // namespace nanse::cli
