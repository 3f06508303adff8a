#include "node/import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "crdt/codes.h"
#include "node/csv.h"

namespace nanse {
namespace {

RecordId NewId(Random& random) {
  std::array<uint8_t, 16> bytes;
  random.Fill(bytes);
  return MakeUuidV4(bytes);
}

bool IsExportOnly(const std::string& column) {
  static const char* kIgnored[] = {"country_name", "subdivision_name", "membership_status",
                                   "updated_at"};
  for (const char* c : kIgnored) {
    if (column == c) return true;
  }
  return column.size() > 6 && column.compare(column.size() - 6, 6, "_label") == 0;
}

// Where a column's cell goes: a field (and language), or a special column.
struct ColumnTarget {
  enum Kind { kField, kId, kKind, kLatitude, kLongitude, kName, kIgnored } kind = kField;
  const FieldSpec* spec = nullptr;
  std::string lang;
};

ColumnTarget Special(ColumnTarget::Kind kind) {
  ColumnTarget t;
  t.kind = kind;
  return t;
}

Result<ColumnTarget> MapColumn(const std::string& column) {
  ColumnTarget t;
  if (column == "id") return Special(ColumnTarget::kId);
  if (column == "kind") return Special(ColumnTarget::kKind);
  if (column == "latitude") return Special(ColumnTarget::kLatitude);
  if (column == "longitude") return Special(ColumnTarget::kLongitude);
  // DOMAIN.md's "name" column: the name in the member's first language.
  if (column == "name") return Special(ColumnTarget::kName);
  if (IsExportOnly(column)) return Special(ColumnTarget::kIgnored);
  static const std::map<std::string, std::string> kAliases = {
      {"email", "emails"},
      {"phone", "phones"},
      {"primary_activity", "sector"},
      {"base_membership_type", "base_membership"},
      {"member_since", "joined_on"}};
  std::string name = column;
  if (auto it = kAliases.find(column); it != kAliases.end()) name = it->second;
  if ((t.spec = FindField(Table::kMember, name)) && !t.spec->localized) return t;
  size_t underscore = name.rfind('_');
  if (underscore != std::string::npos) {
    t.spec = FindField(Table::kMember, name.substr(0, underscore));
    if (t.spec && t.spec->localized) {
      t.lang = name.substr(underscore + 1);
      NANSE_RETURN_IF_ERROR(ValidateLangKey(t.lang, "column " + column));
      return t;
    }
  }
  return Status::Malformed("column " + column, "unknown column (see docs/directory.md)");
}

// One record from its cells, or the first error.
Result<NewRecord> RowToMember(const std::vector<std::string>& header,
                              const std::vector<ColumnTarget>& targets,
                              const std::vector<std::string>& cells, Random& random) {
  NewRecord rec;
  std::string latitude, longitude, plain_name;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string& cell = cells[i];
    const ColumnTarget& t = targets[i];
    const std::string& column = header[i];
    if (cell.empty() || t.kind == ColumnTarget::kIgnored) continue;
    switch (t.kind) {
      case ColumnTarget::kId: {
        NANSE_ASSIGN_OR_RETURN(rec.id, ParseUuid(cell, column));
        break;
      }
      case ColumnTarget::kKind:
        if (cell != "organization" && cell != "associate") {
          return Status::Malformed(column,
                                   "expected organization or associate, got '" + cell + "'");
        }
        rec.kind = cell;
        break;
      case ColumnTarget::kLatitude:
        latitude = cell;
        break;
      case ColumnTarget::kLongitude:
        longitude = cell;
        break;
      case ColumnTarget::kName:
        plain_name = cell;
        break;
      default: {
        NANSE_ASSIGN_OR_RETURN(Bytes value, ParseFieldText(*t.spec, cell, column));
        rec.fields.push_back({Table::kMember, {}, std::string(t.spec->name), t.lang, value, {}});
      }
    }
  }
  if (rec.kind.empty()) return Status::Malformed("kind", "required: organization or associate");
  if (!plain_name.empty()) {
    std::string lang = "en";
    for (const FieldWrite& w : rec.fields) {
      if (w.field == "languages" && w.value) {
        std::string first = FieldValueToText(*FindField(Table::kMember, "languages"), *w.value);
        first = first.substr(0, first.find_first_of(";-"));
        std::transform(first.begin(), first.end(), first.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (!first.empty()) lang = first;
      }
    }
    const bool given = std::any_of(rec.fields.begin(), rec.fields.end(), [&](const FieldWrite& w) {
      return w.field == "name" && w.key == lang;
    });
    if (!given) {
      NANSE_ASSIGN_OR_RETURN(
          Bytes value, ParseFieldText(*FindField(Table::kMember, "name"), plain_name, "name"));
      rec.fields.push_back({Table::kMember, {}, "name", lang, value, {}});
    }
  }
  if (latitude.empty() != longitude.empty()) {
    return Status::Malformed(latitude.empty() ? "latitude" : "longitude",
                             "give both latitude and longitude, or neither");
  }
  if (!latitude.empty()) {
    NANSE_ASSIGN_OR_RETURN(Bytes geo, ParseFieldText(*FindField(Table::kMember, "geo"),
                                                     latitude + ";" + longitude, "latitude"));
    rec.fields.push_back({Table::kMember, {}, "geo", "", geo, {}});
  }
  if (rec.id == RecordId{}) rec.id = NewId(random);
  // The same checks every receiver will make on the member.add op.
  auto body = EncodeRecordsAdd(Table::kMember, {rec});
  if (!body.ok()) {
    // "op.body.members[0].country: ..." -> "country: ..."
    Status s = body.status();
    std::string field = s.field();
    const std::string prefix = "op.body.members[0].";
    if (field.rfind(prefix, 0) == 0) field = field.substr(prefix.size());
    if (field.rfind("fields.", 0) == 0) field = field.substr(7);
    if (field.rfind("text.", 0) == 0) field = field.substr(5);
    return Status::Malformed(field, s.detail());
  }
  return rec;
}

// Converts a JSON array of objects to CSV-like rows (header = union of keys, first-seen order).
Result<std::vector<CsvRow>> JsonToRows(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::Malformed("JSON", "not valid JSON");
  if (!doc.is_array()) return Status::Malformed("JSON", "expected an array of member objects");
  CsvRow header;
  header.line = 0;
  std::vector<CsvRow> rows;
  for (size_t i = 0; i < doc.size(); ++i) {
    const auto& obj = doc[i];
    if (!obj.is_object()) {
      return Status::Malformed("JSON item " + std::to_string(i + 1), "expected an object");
    }
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(header.cells.begin(), header.cells.end(), it.key()) == header.cells.end()) {
        header.cells.push_back(it.key());
      }
    }
  }
  rows.push_back(header);
  for (size_t i = 0; i < doc.size(); ++i) {
    CsvRow row;
    row.line = i + 1;
    for (const std::string& key : header.cells) {
      std::string cell;
      if (doc[i].contains(key)) {
        const auto& v = doc[i][key];
        if (v.is_string()) {
          cell = v.get<std::string>();
        } else if (v.is_array()) {
          for (const auto& e : v) {
            cell += (cell.empty() ? "" : ";") + (e.is_string() ? e.get<std::string>() : e.dump());
          }
        } else if (!v.is_null()) {
          cell = v.dump();
        }
      }
      row.cells.push_back(cell);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

Result<ImportPlan<NewRecord>> ParseMemberRows(std::string_view text, bool json, Random& random) {
  std::vector<CsvRow> rows;
  if (json) {
    NANSE_ASSIGN_OR_RETURN(rows, JsonToRows(text));
  } else {
    NANSE_ASSIGN_OR_RETURN(rows, ParseCsv(text));
  }
  if (rows.empty()) return Status::Malformed("file", "no header row");
  const std::vector<std::string>& header = rows[0].cells;
  std::vector<ColumnTarget> targets;
  for (const std::string& column : header) {
    auto t = MapColumn(column);
    if (!t.ok()) return t.status();
    targets.push_back(*t);
  }
  ImportPlan<NewRecord> plan;
  std::map<RecordId, size_t> seen;
  for (size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.cells.size() != header.size()) {
      plan.errors.push_back(
          {row.line,
           Status::Malformed("row", "expected " + std::to_string(header.size()) + " cells, got " +
                                        std::to_string(row.cells.size()))});
      continue;
    }
    auto rec = RowToMember(header, targets, row.cells, random);
    if (!rec.ok()) {
      plan.errors.push_back({row.line, rec.status()});
      continue;
    }
    if (auto [it, fresh] = seen.emplace(rec->id, row.line); !fresh) {
      plan.errors.push_back(
          {row.line, Status::Malformed("id", "same id as line " + std::to_string(it->second))});
      continue;
    }
    plan.records.push_back(std::move(*rec));
    plan.lines.push_back(row.line);
  }
  return plan;
}

Result<ImportPlan<LedgerEntry>> ParseLedgerRows(std::string_view text, Random& random) {
  NANSE_ASSIGN_OR_RETURN(auto rows, ParseCsv(text));
  if (rows.empty()) return Status::Malformed("file", "no header row");
  const std::vector<std::string>& header = rows[0].cells;
  static const char* kColumns[] = {"id",       "member",         "year", "type",   "amount_minor",
                                   "currency", "credited_minor", "on",   "method", "reference",
                                   "reverses", "reason",         "note"};
  for (const std::string& column : header) {
    if (std::find(std::begin(kColumns), std::end(kColumns), column) == std::end(kColumns)) {
      return Status::Malformed("column " + column, "unknown column");
    }
  }
  ImportPlan<LedgerEntry> plan;
  for (size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    auto fail = [&](Status s) { plan.errors.push_back({row.line, std::move(s)}); };
    if (row.cells.size() != header.size()) {
      fail(Status::Malformed("row", "expected " + std::to_string(header.size()) + " cells"));
      continue;
    }
    std::map<std::string, std::string> cell;
    for (size_t i = 0; i < header.size(); ++i) cell[header[i]] = row.cells[i];
    LedgerEntry e;
    Status s = [&]() -> Status {
      if (cell["id"].empty()) {
        std::array<uint8_t, 16> b;
        random.Fill(b);
        e.id = MakeUuidV4(b);
      } else {
        NANSE_ASSIGN_OR_RETURN(e.id, ParseUuid(cell["id"], "id"));
      }
      NANSE_ASSIGN_OR_RETURN(e.member, ParseUuid(cell["member"], "member"));
      auto number = [&](const std::string& column, int64_t& out) -> Status {
        const std::string& v = cell[column];
        size_t used = 0;
        try {
          out = std::stoll(v, &used);
        } catch (...) {
          used = 0;
        }
        if (v.empty() || used != v.size()) {
          return Status::Malformed(column, "expected a whole number, got '" + v + "'");
        }
        return Status::Ok();
      };
      int64_t year = 0;
      NANSE_RETURN_IF_ERROR(number("year", year));
      e.year = static_cast<uint32_t>(std::clamp<int64_t>(year, 0, 1 << 30));
      e.type = cell["type"];
      e.currency = cell["currency"].empty() ? "USD" : cell["currency"];
      if (e.type == "reversal" && cell["amount_minor"].empty()) {
        e.amount_minor = 0;
      } else {
        NANSE_RETURN_IF_ERROR(number("amount_minor", e.amount_minor));
      }
      e.credited_minor = e.amount_minor;
      if (cell["credited_minor"].empty() && e.currency != "USD" && e.type != "reversal") {
        return Status::Malformed("credited_minor",
                                 "required when the currency is not USD (the USD amount credited)");
      }
      if (!cell["credited_minor"].empty()) {
        NANSE_RETURN_IF_ERROR(number("credited_minor", e.credited_minor));
      }
      if (!cell["on"].empty()) {
        NANSE_ASSIGN_OR_RETURN(e.on, ParseDate(cell["on"], "on"));
      }
      if (!cell["reverses"].empty()) {
        NANSE_ASSIGN_OR_RETURN(e.reverses, ParseUuid(cell["reverses"], "reverses"));
      }
      e.method = cell["method"];
      e.reference = cell["reference"];
      e.reason = cell["reason"];
      e.note = cell["note"];
      auto body = EncodeLedgerEntries({e});
      if (!body.ok()) {
        std::string field = body.status().field();
        const std::string prefix = "op.body.entries[0].";
        if (field.rfind(prefix, 0) == 0) field = field.substr(prefix.size());
        return Status::Malformed(field, body.status().detail());
      }
      return Status::Ok();
    }();
    if (!s.ok()) {
      fail(s);
      continue;
    }
    plan.records.push_back(std::move(e));
    plan.lines.push_back(row.line);
  }
  return plan;
}

}  // namespace nanse
