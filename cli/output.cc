#include "cli/output.h"

#include <algorithm>
#include <cctype>

#include <ctime>
#include "node/csv.h"

namespace nanse::cli {
namespace {

// Code points, not bytes: close enough to terminal width for Latin scripts.
size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

}  // namespace

void PrintTable(std::ostream& out, const Grid& input) {
  Grid table = input;
  if (table.headers.empty()) {
    for (std::string k : table.keys) {
      std::transform(k.begin(), k.end(), k.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      table.headers.push_back(k);
    }
  }
  std::vector<size_t> widths(table.headers.size());
  for (size_t i = 0; i < table.headers.size(); ++i) widths[i] = DisplayWidth(table.headers[i]);
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size()) out << std::string(widths[i] - DisplayWidth(row[i]) + 2, ' ');
    }
    out << "\n";
  };
  print_row(table.headers);
  for (const auto& row : table.rows) print_row(row);
}

void PrintJson(std::ostream& out, const nlohmann::json& value) { out << value.dump(2) << "\n"; }

void Emit(std::ostream& out, Format format, const Grid& table, const nlohmann::json& json) {
  switch (format) {
    case Format::kTable:
      PrintTable(out, table);
      return;
    case Format::kCsv:
      out << CsvLine(table.keys);
      for (const auto& row : table.rows) out << CsvLine(row);
      return;
    case Format::kJson:
      if (!json.is_null()) {
        PrintJson(out, json);
        return;
      }
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& row : table.rows) {
        nlohmann::json obj = nlohmann::json::object();
        for (size_t i = 0; i < row.size() && i < table.keys.size(); ++i)
          obj[table.keys[i]] = row[i];
        rows.push_back(obj);
      }
      PrintJson(out, rows);
  }
}

void PrintFields(std::ostream& out,
                 const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t width = 0;
  for (const auto& [k, v] : fields) width = std::max(width, DisplayWidth(k));
  for (const auto& [k, v] : fields) {
    out << k << ":" << std::string(width - DisplayWidth(k) + 2, ' ') << v << "\n";
  }
}

std::string FormatTime(int64_t millis) {
  std::time_t secs = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(millis % 1000));
  return out;
}

}  // namespace nanse::cli
