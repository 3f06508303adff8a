#include "node/directory.h"

#include <algorithm>

#include "crdt/codes.h"
#include "crdt/text_codec.h"

namespace nanse {
namespace {

using detail::SqliteStatement;

constexpr const char* kSchema = R"sql(
-- Records created by member.add / project.add. Two adds of one id: the first by (hlc, author,
-- op id) stands.
-- (Its rowid is the member's row in member_search.)
CREATE TABLE IF NOT EXISTS records(
  id BLOB PRIMARY KEY, tbl INTEGER NOT NULL, kind TEXT NOT NULL,
  op_id BLOB NOT NULL, hlc INTEGER NOT NULL, author BLOB NOT NULL
);
-- Every write of every register (history and conflicts).
CREATE TABLE IF NOT EXISTS writes(
  tbl INTEGER NOT NULL, record BLOB NOT NULL, field TEXT NOT NULL, key TEXT NOT NULL,
  op_id BLOB NOT NULL, hlc INTEGER NOT NULL, author BLOB NOT NULL, value BLOB,
  PRIMARY KEY(tbl, record, field, key, op_id)
) WITHOUT ROWID;
-- The op ids each register's writes name as replaced.
CREATE TABLE IF NOT EXISTS replaced(
  tbl INTEGER NOT NULL, record BLOB NOT NULL, field TEXT NOT NULL, key TEXT NOT NULL,
  op_id BLOB NOT NULL,
  PRIMARY KEY(tbl, record, field, key, op_id)
) WITHOUT ROWID;
-- The winning write of each register: greatest (hlc, author, op id).
CREATE TABLE IF NOT EXISTS current(
  tbl INTEGER NOT NULL, record BLOB NOT NULL, field TEXT NOT NULL, key TEXT NOT NULL,
  op_id BLOB NOT NULL, hlc INTEGER NOT NULL, author BLOB NOT NULL,
  value BLOB, value_text TEXT,
  PRIMARY KEY(tbl, record, field, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS current_by_value ON current(tbl, field, value_text);
-- The dues ledger: a grow-only set of entries.
CREATE TABLE IF NOT EXISTS entries(
  id BLOB PRIMARY KEY, member BLOB NOT NULL, year INTEGER NOT NULL, type TEXT NOT NULL,
  amount INTEGER NOT NULL, currency TEXT NOT NULL, credited INTEGER NOT NULL, on_date TEXT,
  method TEXT, reference TEXT, reverses BLOB, reason TEXT, note TEXT,
  op_id BLOB NOT NULL, hlc INTEGER NOT NULL, author BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_by_member ON entries(member, year);
-- Full-text search over members, diacritics folded: "quebec" finds "Québec". The FTS rowid
-- is the member's rowid in records, so a member's row is found without a scan.
CREATE VIRTUAL TABLE IF NOT EXISTS member_search USING fts5(
  record UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2'
);
)sql";

constexpr const char* kMaterializedTables[] = {"records", "writes",  "replaced",
                                               "current", "entries", "member_search"};

int64_t Int(Hlc h) { return static_cast<int64_t>(h.packed()); }

std::string TextOfValue(Table table, const std::string& field, const std::optional<Bytes>& v) {
  if (!v) return {};
  if (field == "participant") {
    // For filters: the role, or "left" once the member has left.
    auto p = DecodeParticipantValue(*v);
    if (!p.ok()) return {};
    return p->left_on.empty() ? p->role : "left";
  }
  const FieldSpec* spec = FindField(table, field);
  if (!spec) return {};
  return FieldValueToText(*spec, *v);
}

}  // namespace

Status Directory::CreateSchema() { return db_.Exec(kSchema); }

Status Directory::Apply(const SignedOp& op) {
  if (!IsDirectoryOpType(op.header.type) || !op.body) return Status::Ok();
  auto change = DecodeDirectoryOp(op.header.type, *op.body);
  if (!change.ok()) return change.status();  // ingest validated it: this is corruption
  return ApplyChange(op, *change);
}

Status Directory::ApplyChange(const SignedOp& op, const DirectoryChange& change) {
  const OpHeader& h = op.header;
  for (const CreatedRecord& c : change.created) {
    auto stmt = db_.Cached(
        "INSERT INTO records(id, tbl, kind, op_id, hlc, author) VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT(id) DO UPDATE SET tbl=excluded.tbl, kind=excluded.kind, "
        "op_id=excluded.op_id, hlc=excluded.hlc, author=excluded.author "
        "WHERE (excluded.hlc, excluded.author, excluded.op_id) < (hlc, author, op_id)");
    if (!stmt.ok()) return stmt.status();
    NANSE_RETURN_IF_ERROR((*stmt)
                              ->Bind(1, ByteView(c.id))
                              .Bind(2, static_cast<int64_t>(c.table))
                              .Bind(3, c.kind)
                              .Bind(4, ByteView(op.id))
                              .Bind(5, Int(h.hlc))
                              .Bind(6, ByteView(h.author))
                              .Run());
  }
  std::vector<RecordId> touched_members;
  for (const CreatedRecord& c : change.created) {
    if (c.table == Table::kMember) touched_members.push_back(c.id);
  }
  for (const FieldWrite& w : change.writes) {
    const auto tbl = static_cast<int64_t>(w.table);
    auto write = db_.Cached(
        "INSERT OR IGNORE INTO writes(tbl, record, field, key, op_id, hlc, author, value) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    if (!write.ok()) return write.status();
    SqliteStatement& s = **write;
    s.Bind(1, tbl).Bind(2, ByteView(w.record)).Bind(3, w.field).Bind(4, w.key);
    s.Bind(5, ByteView(op.id)).Bind(6, Int(h.hlc)).Bind(7, ByteView(h.author));
    if (w.value) {
      s.Bind(8, ByteView(*w.value));
    } else {
      s.BindNull(8);
    }
    NANSE_RETURN_IF_ERROR(s.Run());
    for (const Hash& r : w.replaces) {
      auto rep = db_.Cached(
          "INSERT OR IGNORE INTO replaced(tbl, record, field, key, op_id) VALUES(?, ?, ?, ?, ?)");
      if (!rep.ok()) return rep.status();
      NANSE_RETURN_IF_ERROR((*rep)
                                ->Bind(1, tbl)
                                .Bind(2, ByteView(w.record))
                                .Bind(3, w.field)
                                .Bind(4, w.key)
                                .Bind(5, ByteView(r))
                                .Run());
    }
    auto cur = db_.Cached(
        "INSERT INTO current(tbl, record, field, key, op_id, hlc, author, value, value_text) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT(tbl, record, field, key) DO UPDATE SET op_id=excluded.op_id, "
        "hlc=excluded.hlc, author=excluded.author, value=excluded.value, "
        "value_text=excluded.value_text "
        "WHERE (excluded.hlc, excluded.author, excluded.op_id) > (hlc, author, op_id)");
    if (!cur.ok()) return cur.status();
    SqliteStatement& c = **cur;
    c.Bind(1, tbl).Bind(2, ByteView(w.record)).Bind(3, w.field).Bind(4, w.key);
    c.Bind(5, ByteView(op.id)).Bind(6, Int(h.hlc)).Bind(7, ByteView(h.author));
    if (w.value) {
      c.Bind(8, ByteView(*w.value));
    } else {
      c.BindNull(8);
    }
    c.Bind(9, TextOfValue(w.table, w.field, w.value));
    NANSE_RETURN_IF_ERROR(c.Run());
    if (w.table == Table::kMember && std::find(touched_members.begin(), touched_members.end(),
                                               w.record) == touched_members.end()) {
      touched_members.push_back(w.record);
    }
  }
  for (const RecordId& m : touched_members) NANSE_RETURN_IF_ERROR(RefreshSearchText(m));

  for (const LedgerEntry& e : change.entries) {
    auto stmt = db_.Cached(
        "INSERT INTO entries(id, member, year, type, amount, currency, credited, on_date, method, "
        "reference, reverses, reason, note, op_id, hlc, author) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
        "ON CONFLICT(id) DO UPDATE SET member=excluded.member, year=excluded.year, "
        "type=excluded.type, amount=excluded.amount, currency=excluded.currency, "
        "credited=excluded.credited, on_date=excluded.on_date, method=excluded.method, "
        "reference=excluded.reference, reverses=excluded.reverses, reason=excluded.reason, "
        "note=excluded.note, op_id=excluded.op_id, hlc=excluded.hlc, author=excluded.author "
        "WHERE (excluded.hlc, excluded.author, excluded.op_id) < (hlc, author, op_id)");
    if (!stmt.ok()) return stmt.status();
    SqliteStatement& s = **stmt;
    s.Bind(1, ByteView(e.id)).Bind(2, ByteView(e.member)).Bind(3, static_cast<int64_t>(e.year));
    s.Bind(4, e.type).Bind(5, e.amount_minor).Bind(6, e.currency).Bind(7, e.credited_minor);
    if (e.on) {
      s.Bind(8, e.on->ToString());
    } else {
      s.BindNull(8);
    }
    s.Bind(9, e.method).Bind(10, e.reference);
    if (e.reverses) {
      s.Bind(11, ByteView(*e.reverses));
    } else {
      s.BindNull(11);
    }
    s.Bind(12, e.reason).Bind(13, e.note).Bind(14, ByteView(op.id)).Bind(15, Int(h.hlc));
    s.Bind(16, ByteView(h.author));
    NANSE_RETURN_IF_ERROR(s.Run());
  }
  return Status::Ok();
}

Status Directory::RefreshSearchText(const RecordId& member) {
  auto row_of = db_.Cached("SELECT rowid FROM records WHERE id=? AND tbl=0");
  if (!row_of.ok()) return row_of.status();
  (*row_of)->Bind(1, ByteView(member));
  auto found = (*row_of)->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::Ok();  // fields written before the member's add arrived
  const int64_t rowid = (*row_of)->Int(0);
  (*row_of)->Reset();
  auto del = db_.Cached("DELETE FROM member_search WHERE rowid=?");
  if (!del.ok()) return del.status();
  NANSE_RETURN_IF_ERROR((*del)->Bind(1, rowid).Run());
  auto fields = db_.Cached(
      "SELECT field, value_text FROM current WHERE tbl=0 AND record=? AND value IS NOT NULL AND "
      "field IN ('name', 'legal_name', 'acronym', 'given_name', 'family_name', 'locality', "
      "'subdivision', 'country', 'description', 'mission', 'tags') ORDER BY field, key");
  if (!fields.ok()) return fields.status();
  (*fields)->Bind(1, ByteView(member));
  std::string body;
  for (;;) {
    auto row = (*fields)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string field = (*fields)->Text(0);
    std::string text = (*fields)->Text(1);
    // Codes are searchable by their names too: "oaxaca" finds MX-OAX.
    if (field == "subdivision") {
      for (auto lang : {"en", "fr", "es"})
        text += " " + std::string(codes::SubdivisionName(text.substr(0, 6), lang));
    } else if (field == "country") {
      std::string code = text;
      for (auto lang : {"en", "fr", "es"})
        text += " " + std::string(codes::CountryName(code, lang));
    }
    std::replace(text.begin(), text.end(), ';', ' ');
    body += text + "\n";
  }
  auto ins = db_.Cached("INSERT INTO member_search(rowid, record, body) VALUES(?, ?, ?)");
  if (!ins.ok()) return ins.status();
  return (*ins)->Bind(1, rowid).Bind(2, ByteView(member)).Bind(3, body).Run();
}

Status Directory::Rebuild() {
  for (const char* table : kMaterializedTables) {
    NANSE_RETURN_IF_ERROR(db_.Exec(std::string("DELETE FROM ") + table));
  }
  auto ops = db_.Prepare(
      "SELECT header, signature, body FROM ops WHERE state=0 AND effect=0 ORDER BY rowid");
  if (!ops.ok()) return ops.status();
  for (;;) {
    auto row = ops->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (ops->IsNull(2)) continue;
    Bytes header = ops->Blob(0), signature = ops->Blob(1), body = ops->Blob(2);
    auto op = AssembleOp(header, signature, ByteView(body));
    if (!op.ok()) return Status::Io("database op", op.status().ToString());
    NANSE_RETURN_IF_ERROR(Apply(*op));
  }
  return Status::Ok();
}

Result<std::string> Directory::Dump() {
  // Every column of every table, in primary-key order; blobs as hex.
  static constexpr std::pair<const char*, const char*> kOrdered[] = {
      {"records", "id, tbl, kind, op_id, hlc, author"},
      {"writes", "tbl, record, field, key, op_id"},
      {"replaced", "tbl, record, field, key, op_id"},
      {"current", "tbl, record, field, key"},
      {"entries", "id"},
      {"member_search", "record, body"}};
  std::string out;
  for (const auto& [table, order] : kOrdered) {
    auto stmt = db_.Prepare(std::string("SELECT * FROM ") + table + " ORDER BY " + order);
    if (!stmt.ok()) return stmt.status();
    out += std::string("## ") + table + "\n";
    for (;;) {
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out += stmt->RowAsText() + "\n";
    }
  }
  return out;
}

}  // namespace nanse
