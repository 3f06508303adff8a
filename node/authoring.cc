// Node's directory actions: turning what a user asks for into signed ops, with the checks an
// author owes the network (records exist, reversals name real entries, ops fit the limit).
#include <algorithm>
#include <set>

#include "node/node.h"

namespace nanse {
namespace {

// Room for the header and signature within kMaxOpBytes.
constexpr size_t kMaxBodyBytes = kMaxOpBytes - 512;

std::string AddType(Table table) { return table == Table::kMember ? "member.add" : "project.add"; }
std::string SetType(Table table) { return table == Table::kMember ? "member.set" : "project.set"; }

// Splits items into batches of at most kMaxRecordsPerOp whose encoded body fits an op, and
// encodes each batch (which validates it). Each item is measured once, alone, so the split is
// linear in the number of items.
template <typename T, typename Measure, typename Encode>
Result<std::vector<Bytes>> Batches(const std::vector<T>& items, Measure measure, Encode encode) {
  constexpr size_t kListOverhead = 16;  // the body's map and list headers
  std::vector<std::vector<T>> groups(1);
  size_t group_bytes = kListOverhead;
  for (const T& item : items) {
    NANSE_ASSIGN_OR_RETURN(const size_t size, measure(item));
    if (size + kListOverhead > kMaxBodyBytes) {
      return Status::Malformed("record",
                               "too large for one op (" + std::to_string(size) + " bytes)");
    }
    if (!groups.back().empty() &&
        (group_bytes + size > kMaxBodyBytes || groups.back().size() == kMaxRecordsPerOp)) {
      groups.emplace_back();
      group_bytes = kListOverhead;
    }
    groups.back().push_back(item);
    group_bytes += size;
  }
  std::vector<Bytes> bodies;
  for (const auto& group : groups) {
    if (group.empty()) continue;
    NANSE_ASSIGN_OR_RETURN(Bytes body, encode(group));
    bodies.push_back(std::move(body));
  }
  return bodies;
}

}  // namespace

RecordId Node::NewRecordId() {
  std::array<uint8_t, 16> bytes;
  random_.Fill(bytes);
  return MakeUuidV4(bytes);
}

Date Node::Today() { return DateOfMillis(clock_.NowMillis()); }

Result<std::vector<SignedOp>> Node::AddRecords(Table table, std::vector<NewRecord> records) {
  if (records.empty()) return Status::Usage("records", "nothing to add");
  std::set<RecordId> ids;
  for (NewRecord& r : records) {
    if (r.id == RecordId{}) r.id = NewRecordId();
    if (!ids.insert(r.id).second)
      return Status::Malformed("id", "listed twice: " + FormatUuid(r.id));
    NANSE_ASSIGN_OR_RETURN(auto existing, directory().GetRecord(table, r.id));
    if (existing) return Status::AlreadyExists("id", FormatUuid(r.id) + " already exists");
  }
  NANSE_ASSIGN_OR_RETURN(
      auto bodies,
      Batches(
          records,
          [&](const NewRecord& r) -> Result<size_t> { return EncodedRecordSize(table, r); },
          [&](const std::vector<NewRecord>& batch) { return EncodeRecordsAdd(table, batch); }));
  std::vector<Store::LocalOp> ops;
  for (Bytes& body : bodies) ops.push_back({AddType(table), std::move(body)});
  return store_->AppendLocalBatch(key_, std::move(ops), clock_.NowMillis());
}

Result<SignedOp> Node::WriteFields(Table table, const RecordId& record,
                                   std::vector<FieldWrite> writes) {
  if (writes.empty()) return Status::Usage("set", "nothing to change");
  NANSE_ASSIGN_OR_RETURN(auto view, directory().GetRecord(table, record));
  if (!view) return Status::NotFound("id", "no such record: " + FormatUuid(record));
  for (FieldWrite& w : writes) {
    w.table = table;
    w.record = record;
    NANSE_ASSIGN_OR_RETURN(w.replaces, directory().Heads(table, record, w.field, w.key));
    const FieldSpec* spec = FindField(table, w.field);
    if (spec && !spec->only_for.empty() && table == Table::kMember &&
        spec->only_for != view->kind) {
      return Status::Malformed(w.field, "only for " + std::string(spec->only_for) + " members");
    }
  }
  // The record as it will be, checked as a whole (subdivision matches country, dates...).
  std::vector<FieldWrite> merged = writes;
  for (const RegisterValue& v : view->fields) {
    bool overwritten = std::any_of(writes.begin(), writes.end(), [&](const FieldWrite& w) {
      return w.field == v.field && w.key == v.key;
    });
    if (!overwritten) merged.push_back({table, record, v.field, v.key, v.value, {}});
  }
  if (table == Table::kMember) {
    NANSE_RETURN_IF_ERROR(CheckMemberRecord(view->kind, merged, "member"));
  } else {
    NANSE_RETURN_IF_ERROR(CheckProjectRecord(merged, "project"));
  }
  NANSE_ASSIGN_OR_RETURN(Bytes body, EncodeFieldWrites(table, writes));
  return store_->AppendLocal(key_, SetType(table), std::move(body), clock_.NowMillis());
}

Result<SignedOp> Node::SetParticipation(Participation p) {
  NANSE_ASSIGN_OR_RETURN(auto project, directory().GetRecord(Table::kProject, p.project));
  if (!project) return Status::NotFound("project", "no such project: " + FormatUuid(p.project));
  NANSE_ASSIGN_OR_RETURN(auto member, directory().GetRecord(Table::kMember, p.member));
  if (!member) return Status::NotFound("member", "no such member: " + FormatUuid(p.member));
  NANSE_ASSIGN_OR_RETURN(p.replaces, directory().Heads(Table::kProject, p.project, "participant",
                                                       FormatUuid(p.member)));
  NANSE_ASSIGN_OR_RETURN(Bytes body, EncodeParticipation(p));
  return store_->AppendLocal(key_, p.left_on ? "project.leave" : "project.join", std::move(body),
                             clock_.NowMillis());
}

Result<RecordId> Node::AddProject(NewRecord project, const Date& start) {
  if (project.id == RecordId{}) project.id = NewRecordId();
  NANSE_ASSIGN_OR_RETURN(auto existing, directory().GetRecord(Table::kProject, project.id));
  if (existing) return Status::AlreadyExists("id", FormatUuid(project.id) + " already exists");
  std::optional<RecordId> lead;
  for (const FieldWrite& w : project.fields) {
    if (w.field == "lead" && w.value && w.value->size() == 18) {
      lead = ToArray<16>(ByteView(*w.value).subspan(2));  // bin8 header, then 16 bytes
    }
  }
  if (!lead) return Status::Malformed("--lead", "required: the member that leads the project");
  NANSE_ASSIGN_OR_RETURN(auto member, directory().GetRecord(Table::kMember, *lead));
  if (!member) return Status::NotFound("--lead", "no such member: " + FormatUuid(*lead));
  NANSE_ASSIGN_OR_RETURN(Bytes add, EncodeRecordsAdd(Table::kProject, {project}));
  Participation p;
  p.project = project.id;
  p.member = *lead;
  p.role = "lead";
  p.joined_on = start;
  NANSE_ASSIGN_OR_RETURN(Bytes join, EncodeParticipation(p));
  std::vector<Store::LocalOp> ops;
  ops.push_back({"project.add", std::move(add)});
  ops.push_back({"project.join", std::move(join)});
  NANSE_RETURN_IF_ERROR(
      store_->AppendLocalBatch(key_, std::move(ops), clock_.NowMillis()).status());
  return project.id;
}

Result<SignedOp> Node::SetSchedule(ScheduleEntry s) {
  NANSE_ASSIGN_OR_RETURN(s.replaces, directory().Heads(Table::kSchedule, RecordId{}, "dues",
                                                       std::to_string(s.year) + ":" + s.kind));
  NANSE_ASSIGN_OR_RETURN(Bytes body, EncodeSchedule(s));
  return store_->AppendLocal(key_, "dues.schedule", std::move(body), clock_.NowMillis());
}

Result<std::vector<SignedOp>> Node::RecordEntries(std::vector<LedgerEntry> entries) {
  if (entries.empty()) return Status::Usage("entries", "nothing to record");
  NANSE_ASSIGN_OR_RETURN(auto held, directory().Entries());
  std::map<RecordId, const LedgerEntry*> known;
  for (const RecordedEntry& r : held) known[r.entry.id] = &r.entry;
  const auto effects = ResolveEntries(held);
  std::set<RecordId> reversed_now;
  for (size_t i = 0; i < entries.size(); ++i) {
    LedgerEntry& e = entries[i];
    const std::string where = entries.size() == 1 ? "entry" : "entry " + std::to_string(i + 1);
    if (e.id == RecordId{}) e.id = NewRecordId();
    if (known.count(e.id)) return Status::AlreadyExists(where + ".id", "already recorded");
    NANSE_ASSIGN_OR_RETURN(auto member, directory().GetRecord(Table::kMember, e.member));
    if (!member)
      return Status::NotFound(where + ".member", "no such member: " + FormatUuid(e.member));
    if (e.reverses) {
      auto target = known.find(*e.reverses);
      if (target == known.end()) {
        return Status::NotFound(where + ".reverses", "no such entry: " + FormatUuid(*e.reverses));
      }
      if (target->second->type == "reversal") {
        return Status::Invalid(where + ".reverses", "a reversal cannot itself be reversed");
      }
      if (target->second->member != e.member) {
        return Status::Invalid(where + ".reverses", "that entry belongs to another member");
      }
      auto effect = effects.find(*e.reverses);
      if ((effect != effects.end() && effect->second == EntryEffect::kReversed) ||
          !reversed_now.insert(*e.reverses).second) {
        return Status::Invalid(where + ".reverses", "that entry is already reversed");
      }
      e.year = target->second->year;
      e.currency = target->second->currency;
      e.amount_minor = -target->second->amount_minor;
      e.credited_minor = -target->second->credited_minor;
    }
    known[e.id] = &e;
  }
  auto measure = [](const LedgerEntry& e) -> Result<size_t> {
    // Validates each entry on its own, so an error names the entry's own field.
    NANSE_ASSIGN_OR_RETURN(Bytes one, EncodeLedgerEntries({e}));
    return one.size();
  };
  auto encode = [](const std::vector<LedgerEntry>& batch) { return EncodeLedgerEntries(batch); };
  NANSE_ASSIGN_OR_RETURN(auto bodies, Batches(entries, measure, encode));
  std::vector<Store::LocalOp> ops;
  for (Bytes& body : bodies) ops.push_back({"dues.record", std::move(body)});
  return store_->AppendLocalBatch(key_, std::move(ops), clock_.NowMillis());
}

}  // namespace nanse
