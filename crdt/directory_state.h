// DirectoryState: the directory's merge rules as a pure, in-memory model (docs/directory.md).
//
// It is the specification the SQLite materialization (node/directory.h) follows and is tested
// against: applying any set of valid ops, in any order and any number of times, gives the same
// state.
// - A register's value is its write with the greatest WriteKey (hlc, author, op id).
// - A register's heads are its writes that no write of the same register names as replaced;
//   two or more heads are a conflict.
// - A record exists once an add of its id is held; of several adds, the least WriteKey stands.
// - Ledger entries form a grow-only set; of two entries with one id, the least WriteKey stands.
#pragma once

#include <compare>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "crdt/directory_ops.h"
#include "crdt/dues.h"
#include "crdt/operation.h"

namespace nanse {

// The order of writes: later hlc wins; equal hlc, the greater author; then the greater op id.
struct WriteKey {
  Hlc hlc;
  PublicKey author{};
  Hash op_id{};
  auto operator<=>(const WriteKey&) const = default;
};

struct RegisterKey {
  Table table = Table::kMember;
  RecordId record{};
  std::string field;
  std::string key;
  auto operator<=>(const RegisterKey&) const = default;
};

struct RegisterState {
  std::map<WriteKey, std::optional<Bytes>> writes;
  std::set<Hash> replaced;  // op ids named as replaced by writes of this register

  // The write shown: the greatest key. Requires at least one write.
  const std::pair<const WriteKey, std::optional<Bytes>>& Winner() const { return *writes.rbegin(); }
  // Writes no other write of this register replaces, greatest first.
  std::vector<WriteKey> Heads() const;
};

struct RecordState {
  Table table = Table::kMember;
  std::string kind;
  WriteKey created;
};

class DirectoryState {
 public:
  // Applies a valid op of a directory type (others are ignored). Fails only on a body that
  // does not decode, which ingest never lets through.
  Status Apply(const SignedOp& op);
  void ApplyChange(const WriteKey& key, const DirectoryChange& change);

  const std::map<RecordId, RecordState>& records() const { return records_; }
  const std::map<RegisterKey, RegisterState>& registers() const { return registers_; }
  // The ledger as RecordedEntry values, for ResolveEntries and ComputeDuesStatus.
  std::vector<RecordedEntry> Entries() const;

 private:
  std::map<RecordId, RecordState> records_;
  std::map<RegisterKey, RegisterState> registers_;
  std::map<RecordId, std::pair<WriteKey, LedgerEntry>> entries_;
};

}  // namespace nanse
