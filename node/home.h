// The home directory of a node: its secret files and its database.
//
//   <home>/node.key   the node's Ed25519 seed (mode 0600), "nanse-node-key-v1 <base64url>"
//   <home>/network    the network's id, name and key (mode 0600); present = home complete
//   <home>/nanse.db   the SQLite store (op log, heads, materialized tables)
//
// Secret files are written atomically (temporary file, fsync, rename), so a crash leaves
// either the old file or the new one.
#pragma once

#include <string>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/status.h"

namespace nanse {

struct NetworkInfo {
  Hash id{};
  std::string name;
  NetworkKey key{};
};

class HomeDir {
 public:
  explicit HomeDir(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string KeyPath() const { return path_ + "/node.key"; }
  std::string NetworkPath() const { return path_ + "/network"; }
  std::string DatabasePath() const { return path_ + "/nanse.db"; }

  // Creates the directory (mode 0700, parents as needed). Refuses a directory that already
  // holds a node (a key, a network file or a database), so nothing is ever overwritten.
  Status Create() const;
  // The refusal of Create alone, without creating anything.
  Status CheckNew() const;
  // Fails with a message that says how to make a home when this one is missing or incomplete.
  Status CheckComplete() const;

  Status WriteKey(const Seed& seed) const;
  Result<SigningKey> ReadKey() const;
  Status WriteNetwork(const NetworkInfo& info) const;
  Result<NetworkInfo> ReadNetwork() const;

 private:
  std::string path_;
};

// Writes `content` to `path` atomically with the given mode.
Status WriteFileAtomically(const std::string& path, ByteView content, int mode);
Result<Bytes> ReadWholeFile(const std::string& path, size_t max_size);

}  // namespace nanse
