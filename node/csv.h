// CSV as RFC 4180 describes it: fields separated by commas, optionally quoted with '"', quotes
// doubled inside quoted fields, records ended by CRLF (a bare LF is accepted too).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crdt/status.h"

namespace nanse {

struct CsvRow {
  size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
};

// Parses a whole file. A UTF-8 byte-order mark is skipped. Errors name the line.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text);

// Writes one record, quoting cells that hold a comma, quote, CR or LF; ends with CRLF.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace nanse
