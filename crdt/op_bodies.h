// The bodies of the op types this version understands, with strict validation.
//
// Bodies are msgpack maps with short string keys: self-describing, so a decoder can name the
// field it rejects, and every key must be known (a typo is an error, not a silent default).
//   genesis  {"name": str}                       the network's name; seq 1 of its author
//   node     {"name": str, "addrs": [str, ...]}  a node describes itself (display name, where
//                                                it can be reached as host:port)
#pragma once

#include <string>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/status.h"

namespace nanse {

inline constexpr size_t kMaxNameLength = 100;
inline constexpr size_t kMaxAddresses = 8;
inline constexpr size_t kMaxAddressLength = 260;

struct GenesisBody {
  std::string network_name;
  bool operator==(const GenesisBody&) const = default;
};

struct NodeBody {
  std::string name;
  std::vector<std::string> addresses;  // "host:port"
  bool operator==(const NodeBody&) const = default;
};

Bytes EncodeGenesisBody(const GenesisBody& body);
Result<GenesisBody> DecodeGenesisBody(ByteView bytes);

Bytes EncodeNodeBody(const NodeBody& body);
Result<NodeBody> DecodeNodeBody(ByteView bytes);

// Checks a "host:port" address: a DNS name, IPv4 or [IPv6] host and a port 1..65535.
Status ValidateAddress(std::string_view address, const std::string& field);

// Checks a network or node display name: UTF-8, 1..kMaxNameLength bytes, no control chars.
Status ValidateName(std::string_view name, const std::string& field);

// True for the op types this version understands (and so can validate and apply).
bool IsKnownOpType(std::string_view type);

// Validates `body` as the body of an op of `type`; unknown types are refused.
Status ValidateOpBody(const std::string& type, ByteView body);

}  // namespace nanse
