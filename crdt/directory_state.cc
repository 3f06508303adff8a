#include "crdt/directory_state.h"

#include <algorithm>

namespace nanse {

std::vector<WriteKey> RegisterState::Heads() const {
  std::vector<WriteKey> heads;
  for (auto it = writes.rbegin(); it != writes.rend(); ++it) {
    if (!replaced.count(it->first.op_id)) heads.push_back(it->first);
  }
  return heads;
}

Status DirectoryState::Apply(const SignedOp& op) {
  if (!IsDirectoryOpType(op.header.type) || !op.body) return Status::Ok();
  auto change = DecodeDirectoryOp(op.header.type, *op.body);
  if (!change.ok()) return change.status();
  ApplyChange({op.header.hlc, op.header.author, op.id}, *change);
  return Status::Ok();
}

void DirectoryState::ApplyChange(const WriteKey& key, const DirectoryChange& change) {
  for (const CreatedRecord& c : change.created) {
    auto [it, fresh] = records_.try_emplace(c.id, RecordState{c.table, c.kind, key});
    if (!fresh && key < it->second.created) it->second = RecordState{c.table, c.kind, key};
  }
  for (const FieldWrite& w : change.writes) {
    RegisterState& reg = registers_[{w.table, w.record, w.field, w.key}];
    reg.writes.emplace(key, w.value);
    reg.replaced.insert(w.replaces.begin(), w.replaces.end());
  }
  for (const LedgerEntry& e : change.entries) {
    auto [it, fresh] = entries_.try_emplace(e.id, key, e);
    if (!fresh && key < it->second.first) it->second = {key, e};
  }
}

std::vector<RecordedEntry> DirectoryState::Entries() const {
  std::vector<RecordedEntry> out;
  for (const auto& [id, entry] : entries_) {
    out.push_back({entry.second, entry.first.hlc, entry.first.author});
  }
  return out;
}

}  // namespace nanse
