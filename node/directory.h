// Directory: the materialized tables of members, projects and the dues ledger, kept in the
// same SQLite database as the op log, and the queries the CLI runs on them.
//
// Contract:
// - The tables are a cache of the log. Apply(op) is called inside the transaction that stores
//   a valid op, so the op and its effect commit together. Apply is idempotent and
//   order-independent: the tables depend only on the set of ops applied.
// - Rebuild() recomputes everything from the valid ops of the log and gives the same tables
//   (Dump() compares them byte for byte in tests).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crdt/directory_ops.h"
#include "crdt/dues.h"
#include "crdt/operation.h"
#include "node/sqlite.h"

namespace nanse {

// One register's current value.
struct RegisterValue {
  std::string field;
  std::string key;  // language, participant member id, or empty
  std::optional<Bytes> value;
  Hash op_id{};
  Hlc hlc;
  PublicKey author{};
};

struct RecordView {
  RecordId id{};
  Table table = Table::kMember;
  std::string kind;
  Hlc created;
  std::vector<RegisterValue> fields;  // sorted by field, key

  // The value of a non-localized field, or of a localized one in `lang` (empty: any).
  const RegisterValue* Find(std::string_view field, std::string_view key = {}) const;
  // Text of a field ("" when unset); localized fields follow lang, then en, fr, es, any.
  std::string Text(std::string_view field, std::string_view lang = "en") const;
};

struct MemberFilter {
  std::string kind;
  std::string country;
  std::string subdivision;
  std::string language;
  std::string sector;  // matches sector or activities
  std::optional<RecordId> project;
  std::string text;  // full-text search (FTS5, diacritics folded)
};

struct HistoryEntry {
  std::string field;
  std::string key;
  std::optional<Bytes> old_value;
  std::optional<Bytes> new_value;
  Hash op_id{};
  Hlc hlc;
  PublicKey author{};
};

struct Conflict {
  Table table = Table::kMember;
  RecordId record{};
  std::string field;
  std::string key;
  std::vector<RegisterValue> heads;  // the concurrent writes; heads[0] is the one shown
};

class Directory {
 public:
  explicit Directory(detail::SqliteDb& db) : db_(db) {}

  Status CreateSchema();
  // Applies a valid op's effect. Ops of other types are ignored.
  Status Apply(const SignedOp& op);
  // Clears the tables and applies every valid op of the log again.
  Status Rebuild();
  // A canonical text dump of every materialized table, for comparing replicas.
  Result<std::string> Dump();

  Result<std::optional<RecordView>> GetRecord(Table table, const RecordId& id);
  Result<std::vector<RecordView>> ListRecords(Table table);
  Result<std::vector<RecordId>> FindMembers(const MemberFilter& filter);
  // Resolves a full UUID or a unique prefix of at least 4 hex digits.
  Result<RecordId> Resolve(Table table, std::string_view text, const std::string& field);
  Result<std::vector<HistoryEntry>> History(Table table, const RecordId& id);
  Result<std::vector<Conflict>> Conflicts();
  // One register's current value (any table, also the schedule), if it was ever written.
  Result<std::optional<RegisterValue>> Register(Table table, const RecordId& record,
                                                const std::string& field, const std::string& key);
  // The heads of a register: the op ids a new write should name as replaced.
  Result<std::vector<Hash>> Heads(Table table, const RecordId& record, const std::string& field,
                                  const std::string& key);

  Result<ScheduleEntry> Schedule(uint32_t year, std::string_view kind);
  Result<std::vector<RecordedEntry>> Entries();

 private:
  Status ApplyChange(const SignedOp& op, const DirectoryChange& change);
  Status RefreshSearchText(const RecordId& member);

  detail::SqliteDb& db_;
};

}  // namespace nanse
