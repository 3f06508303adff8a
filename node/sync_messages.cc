#include "node/sync_messages.h"

#include "crdt/msgpack_io.h"

namespace nanse {
namespace {

enum Kind : uint64_t {
  kHello = 1,
  kWantVector = 2,
  kVector = 3,
  kOps = 4,
  kCaughtUp = 5,
  kBye = 6,
};

// Array header of an Ops message and of its op list (at most 5 bytes each), and the kind.
constexpr size_t kOpsOverhead = 1 + 1 + 5;
// A bin header: an encoded op is below 64 KiB (kMaxOpBytes plus a few bytes), so bin 16.
constexpr size_t kBinHeader = 3;
constexpr size_t kMaxByeReason = 1000;

void WriteEntries(detail::MsgpackWriter& w,
                  const std::vector<std::pair<PublicKey, uint64_t>>& entries) {
  w.Array(static_cast<uint32_t>(entries.size()));
  for (const auto& [author, seq] : entries) {
    w.Array(2);
    w.Bin(author);
    w.Uint(seq);
  }
}

std::vector<std::pair<PublicKey, uint64_t>> EntriesOf(const VersionVector& vector) {
  return {vector.entries().begin(), vector.entries().end()};
}

// Entries sorted by author without repeats, seq >= 1, at most kMaxVectorEntriesPerMessage.
Result<std::vector<std::pair<PublicKey, uint64_t>>> ReadEntries(const msgpack::object& o,
                                                                const std::string& field) {
  if (o.type != msgpack::type::ARRAY) {
    return Status::Malformed(field,
                             "expected an array of [author, seq], got " + detail::TypeName(o));
  }
  if (o.via.array.size > kMaxVectorEntriesPerMessage) {
    return Status::Malformed(field, "expected at most " +
                                        std::to_string(kMaxVectorEntriesPerMessage) +
                                        " entries, got " + std::to_string(o.via.array.size));
  }
  std::vector<std::pair<PublicKey, uint64_t>> entries;
  entries.reserve(o.via.array.size);
  for (uint32_t i = 0; i < o.via.array.size; ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    const msgpack::object& e = o.via.array.ptr[i];
    NANSE_RETURN_IF_ERROR(detail::ExpectArray(e, 2, f));
    NANSE_ASSIGN_OR_RETURN(PublicKey author, detail::ReadBin32(e.via.array.ptr[0], f + ".author"));
    NANSE_ASSIGN_OR_RETURN(uint64_t seq, detail::ReadUint(e.via.array.ptr[1], f + ".seq"));
    if (seq == 0) return Status::Malformed(f + ".seq", "expected a seq >= 1, got 0");
    if (!entries.empty() && !(entries.back().first < author)) {
      return Status::Malformed(f + ".author", "expected authors in ascending order, no repeats");
    }
    entries.emplace_back(author, seq);
  }
  return entries;
}

Status ExpectLength(const msgpack::object& o, uint32_t size, const std::string& field) {
  if (o.via.array.size != size) {
    return Status::Malformed(field, "expected " + std::to_string(size) + " elements, got " +
                                        std::to_string(o.via.array.size));
  }
  return Status::Ok();
}

Result<SyncMessage> DecodeHello(const msgpack::object& o) {
  const std::string f = "sync.hello";
  NANSE_RETURN_IF_ERROR(ExpectLength(o, 7, f));
  const msgpack::object* a = o.via.array.ptr;
  SyncHello hello;
  NANSE_ASSIGN_OR_RETURN(hello.protocol, detail::ReadUint(a[1], f + ".protocol"));
  NANSE_ASSIGN_OR_RETURN(hello.node, detail::ReadBin32(a[2], f + ".node"));
  NANSE_ASSIGN_OR_RETURN(hello.authors, detail::ReadUint(a[3], f + ".authors"));
  if (hello.authors > kMaxVectorAuthors) {
    return Status::Malformed(f + ".authors", "expected at most " +
                                                 std::to_string(kMaxVectorAuthors) + ", got " +
                                                 std::to_string(hello.authors));
  }
  NANSE_ASSIGN_OR_RETURN(hello.digest, detail::ReadBin32(a[4], f + ".digest"));
  NANSE_ASSIGN_OR_RETURN(hello.wall_millis, detail::ReadUint(a[6], f + ".wall"));
  if (a[5].type != msgpack::type::NIL) {
    NANSE_ASSIGN_OR_RETURN(auto entries, ReadEntries(a[5], f + ".vector"));
    if (entries.size() != hello.authors) {
      return Status::Malformed(f + ".vector", "expected " + std::to_string(hello.authors) +
                                                  " entries as announced, got " +
                                                  std::to_string(entries.size()));
    }
    VersionVector vector;
    for (const auto& [author, seq] : entries) vector.Advance(author, seq);
    if (VectorDigest(vector) != hello.digest) {
      return Status::Malformed(f + ".digest", "does not match the vector sent with it");
    }
    hello.vector = std::move(vector);
  }
  return SyncMessage(std::move(hello));
}

Result<SyncMessage> DecodeOps(const msgpack::object& o, size_t wire_bytes) {
  const std::string f = "sync.ops";
  NANSE_RETURN_IF_ERROR(ExpectLength(o, 2, f));
  const msgpack::object& list = o.via.array.ptr[1];
  if (list.type != msgpack::type::ARRAY || list.via.array.size == 0) {
    return Status::Malformed(f, "expected a non-empty array of ops");
  }
  SyncOps ops;
  ops.wire_bytes = wire_bytes;
  ops.ops.reserve(list.via.array.size);
  for (uint32_t i = 0; i < list.via.array.size; ++i) {
    const std::string of = f + "[" + std::to_string(i) + "]";
    NANSE_ASSIGN_OR_RETURN(Bytes encoded,
                           detail::ReadBin(list.via.array.ptr[i], of, kMaxSyncMessage));
    auto op = DecodeOp(encoded);
    if (!op.ok()) return op.status().Within(of);
    ops.ops.push_back(std::move(*op));
  }
  return SyncMessage(std::move(ops));
}

}  // namespace

Hash VectorDigest(const VersionVector& vector) {
  static constexpr std::string_view kDomain = "nanse-vector-v1";
  Bytes data(kDomain.begin(), kDomain.end());
  data.reserve(data.size() + vector.size() * 40);
  for (const auto& [author, seq] : vector.entries()) {
    data.insert(data.end(), author.begin(), author.end());
    for (int shift = 56; shift >= 0; shift -= 8) data.push_back(static_cast<uint8_t>(seq >> shift));
  }
  return Blake2b256({data});
}

Bytes EncodeSyncHello(const SyncHello& hello) {
  detail::MsgpackWriter w;
  w.Array(7);
  w.Uint(kHello);
  w.Uint(hello.protocol);
  w.Bin(hello.node);
  w.Uint(hello.authors);
  w.Bin(hello.digest);
  if (hello.vector) {
    WriteEntries(w, EntriesOf(*hello.vector));
  } else {
    w.Nil();
  }
  w.Uint(hello.wall_millis);
  return w.Take();
}

Bytes EncodeSyncWantVector() {
  detail::MsgpackWriter w;
  w.Array(1);
  w.Uint(kWantVector);
  return w.Take();
}

Bytes EncodeSyncVectorPart(const SyncVectorPart& part) {
  detail::MsgpackWriter w;
  w.Array(3);
  w.Uint(kVector);
  WriteEntries(w, part.entries);
  w.Bool(part.last);
  return w.Take();
}

Bytes EncodeSyncCaughtUp() {
  detail::MsgpackWriter w;
  w.Array(1);
  w.Uint(kCaughtUp);
  return w.Take();
}

Bytes EncodeSyncBye(std::string_view reason) {
  // Cut at a character boundary so the peer's strict UTF-8 check accepts it.
  if (reason.empty()) reason = "closing";
  size_t n = std::min(reason.size(), kMaxByeReason);
  while (n > 0 && n < reason.size() && (static_cast<uint8_t>(reason[n]) & 0xC0) == 0x80) --n;
  detail::MsgpackWriter w;
  w.Array(2);
  w.Uint(kBye);
  w.Str(reason.substr(0, n));
  return w.Take();
}

bool SyncOpsWriter::Fits(size_t encoded_size) const {
  return ops_.empty() || kOpsOverhead + payload_ + kBinHeader + encoded_size <= kMaxSyncMessage;
}

void SyncOpsWriter::Add(Bytes encoded_op) {
  payload_ += kBinHeader + encoded_op.size();
  ops_.push_back(std::move(encoded_op));
}

Bytes SyncOpsWriter::Take() {
  detail::MsgpackWriter w;
  w.Array(2);
  w.Uint(kOps);
  w.Array(static_cast<uint32_t>(ops_.size()));
  for (const Bytes& op : ops_) w.Bin(op);
  ops_.clear();
  payload_ = 0;
  return w.Take();
}

Result<SyncMessage> DecodeSyncMessage(ByteView bytes) {
  const std::string f = "sync";
  if (bytes.size() > kMaxSyncMessage) {
    return Status::Malformed(f, "message of " + std::to_string(bytes.size()) +
                                    " bytes, expected at most " + std::to_string(kMaxSyncMessage));
  }
  NANSE_ASSIGN_OR_RETURN(auto handle, detail::UnpackExactlyOne(bytes, f));
  const msgpack::object& o = handle.get();
  if (o.type != msgpack::type::ARRAY || o.via.array.size == 0) {
    return Status::Malformed(
        f, "expected an array starting with the message kind, got " + detail::TypeName(o));
  }
  NANSE_ASSIGN_OR_RETURN(uint64_t kind, detail::ReadUint(o.via.array.ptr[0], f + ".kind"));
  switch (kind) {
    case kHello:
      return DecodeHello(o);
    case kWantVector:
      NANSE_RETURN_IF_ERROR(ExpectLength(o, 1, "sync.want_vector"));
      return SyncMessage(SyncWantVector{});
    case kVector: {
      const std::string vf = "sync.vector";
      NANSE_RETURN_IF_ERROR(ExpectLength(o, 3, vf));
      SyncVectorPart part;
      NANSE_ASSIGN_OR_RETURN(part.entries, ReadEntries(o.via.array.ptr[1], vf + ".entries"));
      NANSE_ASSIGN_OR_RETURN(part.last, detail::ReadBool(o.via.array.ptr[2], vf + ".last"));
      return SyncMessage(std::move(part));
    }
    case kOps:
      return DecodeOps(o, bytes.size());
    case kCaughtUp:
      NANSE_RETURN_IF_ERROR(ExpectLength(o, 1, "sync.caught_up"));
      return SyncMessage(SyncCaughtUp{});
    case kBye: {
      NANSE_RETURN_IF_ERROR(ExpectLength(o, 2, "sync.bye"));
      NANSE_ASSIGN_OR_RETURN(std::string reason,
                             detail::ReadText(o.via.array.ptr[1], "sync.bye.reason", kMaxByeReason,
                                              /*multiline=*/true));
      return SyncMessage(SyncBye{std::move(reason)});
    }
    default:
      return Status::Malformed(f + ".kind",
                               "expected a message kind 1..6, got " + std::to_string(kind));
  }
}

const char* SyncMessageName(const SyncMessage& message) {
  static constexpr const char* kNames[] = {"hello", "want_vector", "vector",
                                           "ops",   "caught_up",   "bye"};
  return kNames[message.index()];
}

}  // namespace nanse
