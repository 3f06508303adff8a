// The read side of Directory: records, searches, history, conflicts and the ledger.
#include <algorithm>
#include <cctype>

#include "node/directory.h"

namespace nanse {
namespace {

using detail::SqliteStatement;

RegisterValue ReadRegister(const SqliteStatement& s, int first) {
  RegisterValue v;
  v.field = s.Text(first);
  v.key = s.Text(first + 1);
  if (!s.IsNull(first + 2)) v.value = s.Blob(first + 2);
  v.op_id = ToArray<32>(s.Blob(first + 3));
  v.hlc = Hlc(static_cast<uint64_t>(s.Int(first + 4)));
  v.author = ToArray<32>(s.Blob(first + 5));
  return v;
}

// Steps a statement to its end, calling `fn` on each row.
template <typename Fn>
Status EachRow(SqliteStatement& s, Fn&& fn) {
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    fn(s);
  }
}

}  // namespace

const RegisterValue* RecordView::Find(std::string_view field, std::string_view key) const {
  for (const RegisterValue& v : fields) {
    if (v.field == field && (key.empty() || v.key == key) && v.value) return &v;
  }
  return nullptr;
}

std::string RecordView::Text(std::string_view field, std::string_view lang) const {
  const FieldSpec* spec = FindField(table, field);
  if (!spec) return {};
  const RegisterValue* v = nullptr;
  if (spec->localized) {
    for (std::string_view l : {lang, std::string_view("en"), std::string_view("fr"),
                               std::string_view("es"), std::string_view()}) {
      if ((v = Find(field, l))) break;
    }
  } else {
    v = Find(field);
  }
  return v ? FieldValueToText(*spec, *v->value) : std::string();
}

Result<std::optional<RecordView>> Directory::GetRecord(Table table, const RecordId& id) {
  auto rec = db_.Cached("SELECT kind, hlc FROM records WHERE id=? AND tbl=?");
  if (!rec.ok()) return rec.status();
  (*rec)->Bind(1, ByteView(id)).Bind(2, static_cast<int64_t>(table));
  auto row = (*rec)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<RecordView>();
  RecordView view;
  view.id = id;
  view.table = table;
  view.kind = (*rec)->Text(0);
  view.created = Hlc(static_cast<uint64_t>((*rec)->Int(1)));
  auto fields = db_.Cached(
      "SELECT field, key, value, op_id, hlc, author FROM current WHERE tbl=? AND record=? "
      "ORDER BY field, key");
  if (!fields.ok()) return fields.status();
  (*fields)->Bind(1, static_cast<int64_t>(table)).Bind(2, ByteView(id));
  NANSE_RETURN_IF_ERROR(
      EachRow(**fields, [&](SqliteStatement& s) { view.fields.push_back(ReadRegister(s, 0)); }));
  return std::optional<RecordView>(std::move(view));
}

Result<std::vector<RecordView>> Directory::ListRecords(Table table) {
  auto ids = db_.Prepare("SELECT id FROM records WHERE tbl=? ORDER BY hlc, id");
  if (!ids.ok()) return ids.status();
  ids->Bind(1, static_cast<int64_t>(table));
  std::vector<RecordId> found;
  NANSE_RETURN_IF_ERROR(
      EachRow(*ids, [&](SqliteStatement& s) { found.push_back(ToArray<16>(s.Blob(0))); }));
  std::vector<RecordView> out;
  for (const RecordId& id : found) {
    NANSE_ASSIGN_OR_RETURN(auto view, GetRecord(table, id));
    if (view) out.push_back(std::move(*view));
  }
  return out;
}

Result<std::vector<RecordId>> Directory::FindMembers(const MemberFilter& f) {
  std::string sql = "SELECT r.id FROM records r WHERE r.tbl=0";
  std::vector<std::string> binds;
  auto has_field = [&](const char* field, const std::string& value, bool list) {
    if (value.empty()) return;
    sql += std::string(
               " AND EXISTS (SELECT 1 FROM current c WHERE c.tbl=0 AND c.record=r.id AND "
               "c.field='") +
           field + "' AND " +
           (list ? "(';' || c.value_text || ';') LIKE ('%;' || ? || ';%'))" : "c.value_text=?)");
    binds.push_back(value);
  };
  if (!f.kind.empty()) {
    sql += " AND r.kind=?";
    binds.push_back(f.kind);
  }
  has_field("country", f.country, false);
  has_field("subdivision", f.subdivision, false);
  has_field("languages", f.language, true);
  if (!f.sector.empty()) {
    sql +=
        " AND (EXISTS (SELECT 1 FROM current c WHERE c.tbl=0 AND c.record=r.id AND "
        "c.field='sector' AND c.value_text=?) OR EXISTS (SELECT 1 FROM current c WHERE "
        "c.tbl=0 AND c.record=r.id AND c.field='activities' AND (';' || c.value_text || ';') "
        "LIKE ('%;' || ? || ';%')))";
    binds.push_back(f.sector);
    binds.push_back(f.sector);
  }
  if (f.project) {
    sql +=
        " AND EXISTS (SELECT 1 FROM current c WHERE c.tbl=1 AND c.record=? AND "
        "c.field='participant' AND c.value_text != 'left' AND c.key=lower(substr(hex(r.id),1,8) || "
        "'-' || "
        "substr(hex(r.id),9,4) || '-' || substr(hex(r.id),13,4) || '-' || "
        "substr(hex(r.id),17,4) || '-' || substr(hex(r.id),21)))";
  }
  if (!f.text.empty()) {
    sql += " AND r.id IN (SELECT record FROM member_search WHERE member_search MATCH ?)";
  }
  sql += " ORDER BY r.hlc, r.id";
  auto stmt = db_.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  int index = 1;
  for (const std::string& b : binds) stmt->Bind(index++, b);
  if (f.project) stmt->Bind(index++, ByteView(*f.project));
  if (!f.text.empty()) {
    // Each word must appear (as a prefix); quotes keep FTS5 syntax out of user input.
    std::string query;
    std::string word;
    auto flush = [&] {
      if (word.empty()) return;
      query += (query.empty() ? "" : " ") + std::string("\"") + word + "\"*";
      word.clear();
    };
    for (char c : f.text) {
      if (c == '"' || std::isspace(static_cast<unsigned char>(c)) || c == '*' || c == ':' ||
          c == '(' || c == ')' || c == '^' || c == '-' || c == '+') {
        flush();
      } else {
        word.push_back(c);
      }
    }
    flush();
    if (query.empty()) return std::vector<RecordId>();
    stmt->Bind(index++, query);
  }
  std::vector<RecordId> out;
  NANSE_RETURN_IF_ERROR(
      EachRow(*stmt, [&](SqliteStatement& s) { out.push_back(ToArray<16>(s.Blob(0))); }));
  return out;
}

Result<RecordId> Directory::Resolve(Table table, std::string_view text, const std::string& field) {
  if (text.size() == 36) {
    NANSE_ASSIGN_OR_RETURN(RecordId id, ParseUuid(text, field));
    NANSE_ASSIGN_OR_RETURN(auto view, GetRecord(table, id));
    if (!view) return Status::NotFound(field, "no such record: " + std::string(text));
    return id;
  }
  std::string hex;
  for (char c : text) {
    if (c == '-') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return Status::Malformed(
          field, "expected a UUID or its first hex digits, got '" + std::string(text) + "'");
    }
    hex.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (hex.size() < 4) return Status::Malformed(field, "give at least 4 hex digits of the id");
  auto stmt = db_.Prepare("SELECT id FROM records WHERE tbl=? AND hex(id) LIKE ? LIMIT 2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(table)).Bind(2, hex + "%");
  std::vector<RecordId> found;
  NANSE_RETURN_IF_ERROR(
      EachRow(*stmt, [&](SqliteStatement& s) { found.push_back(ToArray<16>(s.Blob(0))); }));
  if (found.empty())
    return Status::NotFound(field, "no record id starts with '" + std::string(text) + "'");
  if (found.size() > 1)
    return Status::Usage(field, "'" + std::string(text) + "' matches several records");
  return found[0];
}

Result<std::vector<HistoryEntry>> Directory::History(Table table, const RecordId& id) {
  auto stmt = db_.Prepare(
      "SELECT field, key, value, op_id, hlc, author FROM writes WHERE tbl=? AND record=? "
      "ORDER BY hlc, author, op_id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(table)).Bind(2, ByteView(id));
  std::vector<HistoryEntry> out;
  std::map<std::pair<std::string, std::string>, std::optional<Bytes>> last;
  NANSE_RETURN_IF_ERROR(EachRow(*stmt, [&](SqliteStatement& s) {
    RegisterValue v = ReadRegister(s, 0);
    auto& previous = last[{v.field, v.key}];
    out.push_back({v.field, v.key, previous, v.value, v.op_id, v.hlc, v.author});
    previous = v.value;
  }));
  return out;
}

Result<std::vector<Conflict>> Directory::Conflicts() {
  // Heads: writes no other write of the same register replaces. Two or more: a conflict.
  auto stmt = db_.Prepare(
      "SELECT w.tbl, w.record, w.field, w.key, w.value, w.op_id, w.hlc, w.author FROM writes w "
      "WHERE NOT EXISTS (SELECT 1 FROM replaced r WHERE r.tbl=w.tbl AND r.record=w.record AND "
      "r.field=w.field AND r.key=w.key AND r.op_id=w.op_id) AND "
      "(SELECT count(*) FROM writes w2 WHERE w2.tbl=w.tbl AND w2.record=w.record AND "
      "w2.field=w.field AND w2.key=w.key AND NOT EXISTS (SELECT 1 FROM replaced r WHERE "
      "r.tbl=w2.tbl AND r.record=w2.record AND r.field=w2.field AND r.key=w2.key AND "
      "r.op_id=w2.op_id)) > 1 "
      "ORDER BY w.tbl, w.record, w.field, w.key, w.hlc DESC, w.author DESC, w.op_id DESC");
  if (!stmt.ok()) return stmt.status();
  std::vector<Conflict> out;
  NANSE_RETURN_IF_ERROR(EachRow(*stmt, [&](SqliteStatement& s) {
    const auto table = static_cast<Table>(s.Int(0));
    const RecordId record = ToArray<16>(s.Blob(1));
    RegisterValue v = ReadRegister(s, 2);
    if (out.empty() || out.back().table != table || out.back().record != record ||
        out.back().field != v.field || out.back().key != v.key) {
      out.push_back({table, record, v.field, v.key, {}});
    }
    out.back().heads.push_back(std::move(v));
  }));
  return out;
}

Result<std::optional<RegisterValue>> Directory::Register(Table table, const RecordId& record,
                                                         const std::string& field,
                                                         const std::string& key) {
  auto stmt = db_.Cached(
      "SELECT field, key, value, op_id, hlc, author FROM current WHERE tbl=? AND record=? AND "
      "field=? AND key=?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)
      ->Bind(1, static_cast<int64_t>(table))
      .Bind(2, ByteView(record))
      .Bind(3, field)
      .Bind(4, key);
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<RegisterValue>();
  return std::optional<RegisterValue>(ReadRegister(**stmt, 0));
}

Result<std::vector<Hash>> Directory::Heads(Table table, const RecordId& record,
                                           const std::string& field, const std::string& key) {
  auto stmt = db_.Cached(
      "SELECT w.op_id FROM writes w WHERE w.tbl=?1 AND w.record=?2 AND w.field=?3 AND w.key=?4 "
      "AND NOT EXISTS (SELECT 1 FROM replaced r WHERE r.tbl=?1 AND r.record=?2 AND r.field=?3 "
      "AND r.key=?4 AND r.op_id=w.op_id) ORDER BY w.op_id LIMIT 16");
  if (!stmt.ok()) return stmt.status();
  (*stmt)
      ->Bind(1, static_cast<int64_t>(table))
      .Bind(2, ByteView(record))
      .Bind(3, field)
      .Bind(4, key);
  std::vector<Hash> out;
  NANSE_RETURN_IF_ERROR(
      EachRow(**stmt, [&](SqliteStatement& s) { out.push_back(ToArray<32>(s.Blob(0))); }));
  return out;
}

Result<ScheduleEntry> Directory::Schedule(uint32_t year, std::string_view kind) {
  auto stmt = db_.Cached(
      "SELECT value FROM current WHERE tbl=2 AND field='dues' AND key=? AND value IS NOT NULL");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->Bind(1, std::to_string(year) + ":" + std::string(kind));
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return DefaultSchedule(year, kind);
  return DecodeScheduleValue((*stmt)->Blob(0), year, kind);
}

Result<std::vector<RecordedEntry>> Directory::Entries() {
  auto stmt = db_.Prepare(
      "SELECT id, member, year, type, amount, currency, credited, on_date, method, reference, "
      "reverses, reason, note, hlc, author FROM entries ORDER BY hlc, author, id");
  if (!stmt.ok()) return stmt.status();
  std::vector<RecordedEntry> out;
  NANSE_RETURN_IF_ERROR(EachRow(*stmt, [&](SqliteStatement& s) {
    RecordedEntry r;
    LedgerEntry& e = r.entry;
    e.id = ToArray<16>(s.Blob(0));
    e.member = ToArray<16>(s.Blob(1));
    e.year = static_cast<uint32_t>(s.Int(2));
    e.type = s.Text(3);
    e.amount_minor = s.Int(4);
    e.currency = s.Text(5);
    e.credited_minor = s.Int(6);
    if (!s.IsNull(7)) {
      auto d = ParseDate(s.Text(7), "on");
      if (d.ok()) e.on = *d;
    }
    e.method = s.Text(8);
    e.reference = s.Text(9);
    if (!s.IsNull(10)) e.reverses = ToArray<16>(s.Blob(10));
    e.reason = s.Text(11);
    e.note = s.Text(12);
    r.hlc = Hlc(static_cast<uint64_t>(s.Int(13)));
    r.author = ToArray<32>(s.Blob(14));
    out.push_back(std::move(r));
  }));
  return out;
}

}  // namespace nanse
