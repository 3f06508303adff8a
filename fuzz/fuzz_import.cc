// Fuzzes what `member import` and `dues import` read from a user's file: CSV and JSON rows.
#include <string_view>

#include "node/csv.h"
#include "node/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nanse::SeededRandom random(1);
  auto rows = nanse::ParseCsv(text);
  if (rows.ok()) {
    // What is written back parses to the same cells.
    std::string again;
    for (const auto& row : *rows) again += nanse::CsvLine(row.cells);
    auto reparsed = nanse::ParseCsv(again);
    if (!reparsed.ok() || reparsed->size() != rows->size()) __builtin_trap();
    for (size_t i = 0; i < rows->size(); ++i) {
      if ((*reparsed)[i].cells != (*rows)[i].cells) __builtin_trap();
    }
  }
  (void)nanse::ParseMemberRows(text, false, random);
  (void)nanse::ParseMemberRows(text, true, random);
  (void)nanse::ParseLedgerRows(text, random);
  return 0;
}
