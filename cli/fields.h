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
// A record as "field: value" lines (localized fields in the interface language, then others).
std::vector<std::pair<std::string, std::string>> RecordToLines(const RecordView& record);

// The label of a code or choice for display (ESSGlobal labels, country names) in the
// interface language; the code itself when unknown.
std::string DisplayValue(const FieldSpec& spec, const std::string& text);

}  // namespace nanse::cli
