// Reading members and ledger entries from files people make (spreadsheets exported as CSV, or
// JSON), row by row, with errors that name the line and the column.
//
// Members: the columns of docs/directory.md's fields, with localized text as <field>_<lang>
// (name_en, description_fr...), multi-valued cells ';'-joined, and these spreadsheet names:
// email -> emails, phone -> phones, primary_activity -> sector, base_membership_type ->
// base_membership, member_since -> joined_on, latitude + longitude -> geo, and "name" as the
// name in the member's first language. Export-only columns (country_name, subdivision_name,
// membership_status, updated_at, *_label) are ignored.
// Ledger: id, member, year, type, amount_minor, currency, credited_minor, on, method,
// reference, reverses, reason, note.
#pragma once

#include <string>
#include <vector>

#include "crdt/directory_ops.h"
#include "node/clock.h"

namespace nanse {

struct RowError {
  size_t line = 0;
  Status status;  // field names the column
};

template <typename T>
struct ImportPlan {
  std::vector<T> records;
  std::vector<size_t> lines;  // the line each record came from
  std::vector<RowError> errors;
};

// Parses members from CSV text, or from JSON (an array of objects keyed by the same column
// names) when `json` is true. Rows without an id get a new random one.
Result<ImportPlan<NewRecord>> ParseMemberRows(std::string_view text, bool json, Random& random);

Result<ImportPlan<LedgerEntry>> ParseLedgerRows(std::string_view text, Random& random);

}  // namespace nanse
