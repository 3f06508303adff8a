// Helpers for node tests: temporary directories and ready-made stores and keys.
#pragma once

#include <memory>
#include <string>

#include "crdt/directory_ops.h"
#include "crdt/membership.h"
#include "node/store.h"

namespace nanse::testing {

// A fresh directory under $TMPDIR, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A deterministic key for test author number `n`.
SigningKey TestKey(uint8_t n);

// A store in `dir` whose network was started by `key` (the genesis op is seq 1 of `key`).
std::unique_ptr<Store> NewNetworkStore(const TempDir& dir, const SigningKey& key,
                                       const std::string& file = "nanse.db");

// Admits `node` to the network through real ops in `store`: `admin` logs an invite for a
// ticket with `role` (and `member`), and `node` claims it (its seq 1). Both ops are authored
// in `store`; other stores learn of them by ingesting.
void Admit(Store& store, const SigningKey& admin, const SigningKey& node,
           const std::string& role = "admin", std::optional<RecordId> member = std::nullopt,
           int64_t wall_millis = 1'700'000'000'000);

// Every op `store` holds, author by author, each in seq order.
std::vector<SignedOp> AllOps(Store& store);

// A string as a field value (msgpack).
Bytes MsgpackStr(const std::string& s);

// A member organization with every field a member needs (in Jamaica, where no subdivision is
// asked for), named `name` in English.
NewRecord TestOrganization(const std::string& name);

}  // namespace nanse::testing
