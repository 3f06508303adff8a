// Collect, then print: commands build rows of plain cells, and this renders them as an
// aligned table (widths measured first) or as JSON. JSON keys are stable: scripts rely on them.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace nanse::cli {

enum class Format { kTable, kJson, kCsv };

// Rows of cells. `keys` name the columns for CSV headers and JSON (stable, never translated);
// `headers` are the translated labels of the table format (the keys, upper-cased, if empty).
struct Grid {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> keys;
};

// Prints rows in the chosen format: an aligned table, CSV (RFC 4180, header of keys), or JSON
// (`json` when given, else an array of objects keyed by `keys`).
void Emit(std::ostream& out, Format format, const Grid& table,
          const nlohmann::json& json = nlohmann::json());

// Pads by display width (UTF-8 aware), so accented names line up.
void PrintTable(std::ostream& out, const Grid& table);
void PrintJson(std::ostream& out, const nlohmann::json& value);

// Key/value pairs printed as "key:  value" lines for table format.
void PrintFields(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& fields);

// "2026-11-29T00:40:49.123Z" from Unix milliseconds.
std::string FormatTime(int64_t millis);

}  // namespace nanse::cli
