#include "node/csv.h"

namespace nanse {

Result<std::vector<CsvRow>> ParseCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  size_t i = 0;
  size_t line = 1;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string cell;
    bool row_done = false;
    while (!row_done) {
      cell.clear();
      if (i < text.size() && text[i] == '"') {
        const size_t start_line = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            return Status::Malformed("line " + std::to_string(start_line),
                                     "a quoted field is never closed");
          }
          char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              cell.push_back('"');
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          cell.push_back(c);
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          return Status::Malformed("line " + std::to_string(line),
                                   "unexpected character after a closing quote");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          if (text[i] == '"') {
            return Status::Malformed("line " + std::to_string(line),
                                     "a quote inside an unquoted field (quote the whole field)");
          }
          cell.push_back(text[i++]);
        }
      }
      row.cells.push_back(cell);
      if (i >= text.size()) {
        row_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        row_done = true;
      }
    }
    // A blank line is not a record.
    if (!(row.cells.size() == 1 && row.cells[0].empty())) rows.push_back(std::move(row));
  }
  return rows;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out += c;
      continue;
    }
    out += '"';
    for (char ch : c) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  return out + "\r\n";
}

}  // namespace nanse
