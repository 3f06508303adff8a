// The op types of the shared directory (docs/directory.md): their bodies, strict decoding, and
// the uniform change each op makes: records created, register writes, ledger entries.
//
// Every register is keyed by (table, record, field, key): `key` is the language of localized
// text, the member id (UUID text) of a project participant, or "<year>:<kind>" for the dues
// schedule, and empty otherwise. A write names the op ids of the writes it replaces.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/date.h"
#include "crdt/directory_schema.h"
#include "crdt/record_id.h"
#include "crdt/status.h"

namespace nanse {

inline constexpr size_t kMaxRecordsPerOp = 500;
inline constexpr size_t kMaxReplaces = 16;

struct FieldWrite {
  Table table = Table::kMember;
  RecordId record{};
  std::string field;
  std::string key;
  std::optional<Bytes> value;  // canonical msgpack; absent = cleared
  std::vector<Hash> replaces;
};

struct NewRecord {
  RecordId id{};
  std::string kind;                // members: organization | associate; projects: empty
  std::vector<FieldWrite> fields;  // table, record and replaces are ignored when encoding
};

struct Participation {
  RecordId project{};
  RecordId member{};
  std::string role;  // lead | partner | observer
  Date joined_on;
  std::optional<Date> left_on;
  std::vector<Hash> replaces;
};

struct ScheduleEntry {
  uint32_t year = 0;
  std::string kind;  // organization | associate
  int64_t amount_minor = 0;
  std::string currency = "USD";
  Date due;
  Date grace_until;
  std::vector<Hash> replaces;
};

struct LedgerEntry {
  RecordId id{};
  RecordId member{};
  uint32_t year = 0;
  std::string type;  // payment | refund | waiver | assessment | reversal
  int64_t amount_minor = 0;
  std::string currency = "USD";
  int64_t credited_minor = 0;  // in USD; equals amount_minor for USD entries
  std::optional<Date> on;
  std::string method;
  std::string reference;
  std::optional<RecordId> reverses;
  std::string reason;
  std::string note;
};

struct CreatedRecord {
  Table table = Table::kMember;
  RecordId id{};
  std::string kind;
};

// What one op does to the directory.
struct DirectoryChange {
  std::vector<CreatedRecord> created;
  std::vector<FieldWrite> writes;
  std::vector<LedgerEntry> entries;
};

bool IsDirectoryOpType(std::string_view type);

// Decodes and validates the body of a directory op; errors name the field
// ("op.body.members[2].fields.country: expected an ISO 3166-1 alpha-2 country code, got 'XX'").
Result<DirectoryChange> DecodeDirectoryOp(std::string_view type, ByteView body);

// Encoders. Each validates what it encodes the way DecodeDirectoryOp will, so an author
// cannot make an op that others refuse.
Result<Bytes> EncodeRecordsAdd(Table table, const std::vector<NewRecord>& records);
// The size EncodeRecordsAdd would give one record, without validating it (for splitting a
// large import into ops cheaply).
size_t EncodedRecordSize(Table table, const NewRecord& record);
Result<Bytes> EncodeFieldWrites(Table table, const std::vector<FieldWrite>& writes);
Result<Bytes> EncodeParticipation(const Participation& p);
Result<Bytes> EncodeSchedule(const ScheduleEntry& s);
Result<Bytes> EncodeLedgerEntries(const std::vector<LedgerEntry>& entries);

// Record-level rules for a member's fields, as a whole (required fields, subdivision matching
// the country and required for CA, US and MX). `fields` maps field -> canonical value for the
// non-localized fields; `has_name` says whether a name exists in some language.
Status CheckMemberRecord(std::string_view kind, const std::vector<FieldWrite>& fields,
                         const std::string& where);

// Record-level rules for a project's fields as a whole: the end date is not before the start.
Status CheckProjectRecord(const std::vector<FieldWrite>& fields, const std::string& where);

// The participant register's value: {"role", "joined_on", "left_on"?}.
struct ParticipantValue {
  std::string role;
  std::string joined_on;
  std::string left_on;
};
Result<ParticipantValue> DecodeParticipantValue(ByteView value);
// The schedule register's value: {"amount_minor", "currency", "due", "grace_until"}.
Result<ScheduleEntry> DecodeScheduleValue(ByteView value, uint32_t year, std::string_view kind);

}  // namespace nanse
