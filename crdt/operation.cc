#include "crdt/operation.h"

#include <algorithm>

#include "crdt/msgpack_io.h"

namespace nanse {
namespace {

using detail::MsgpackWriter;

constexpr const char* kHeaderField = "op.header";

Status CheckOpType(const std::string& type, const std::string& field) {
  if (type.empty() || type.size() > kMaxOpTypeLength) {
    return Status::Malformed(field, "expected 1 to " + std::to_string(kMaxOpTypeLength) +
                                        " characters, got " + std::to_string(type.size()));
  }
  if (!(type[0] >= 'a' && type[0] <= 'z')) {
    return Status::Malformed(field, "expected to start with a lowercase letter");
  }
  for (char c : type) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) return Status::Malformed(field, "expected only a-z, 0-9, '_' and '.'");
  }
  return Status::Ok();
}

// Rules on a header's values that both the author and every receiver enforce.
Status CheckHeaderRules(const OpHeader& h) {
  const std::string f = kHeaderField;
  if (h.version != kOpVersion) {
    return Status::Malformed(f + ".version", "expected 1, got " + std::to_string(h.version));
  }
  if (h.seq == 0) return Status::Malformed(f + ".seq", "expected an integer >= 1, got 0");
  if (h.seq == 1 && h.prev) return Status::Malformed(f + ".prev", "expected nil at seq 1");
  if (h.seq > 1 && !h.prev) {
    return Status::Malformed(f + ".prev", "expected the 32-byte id of op seq-1, got nil");
  }
  if (h.hlc.millis() > Hlc::kMaxOpMillis) {
    return Status::Malformed(f + ".hlc", "expected a time before the year 10000");
  }
  NANSE_RETURN_IF_ERROR(CheckOpType(h.type, f + ".type"));
  if (h.type == "genesis" && h.seq != 1) {
    return Status::Malformed(f + ".type", "a genesis op must be its author's seq 1");
  }
  if (h.body_len > kMaxOpBytes) {
    return Status::Malformed(f + ".body_len", "expected at most " + std::to_string(kMaxOpBytes) +
                                                  ", got " + std::to_string(h.body_len));
  }
  return Status::Ok();
}

Status CheckBody(const OpHeader& h, ByteView body) {
  if (body.size() != h.body_len) {
    return Status::Invalid("op.body", "length " + std::to_string(body.size()) +
                                          " does not match header body_len " +
                                          std::to_string(h.body_len));
  }
  if (Blake2b256({body}) != h.body_hash) {
    return Status::Invalid("op.body", "hash does not match header body_hash (tampered body)");
  }
  return Status::Ok();
}

}  // namespace

size_t SignedOp::size() const {
  return header_bytes.size() + signature.size() + (body ? body->size() : 0);
}

namespace {

constexpr const char* kHeaderFieldNames[8] = {"version", "author", "seq",       "prev",
                                              "hlc",     "type",   "body_hash", "body_len"};

// Writes field `i` of the header array.
void WriteHeaderField(MsgpackWriter& w, const OpHeader& h, int i) {
  switch (i) {
    case 0:
      w.Uint(h.version);
      break;
    case 1:
      w.Bin(h.author);
      break;
    case 2:
      w.Uint(h.seq);
      break;
    case 3:
      if (h.prev) {
        w.Bin(*h.prev);
      } else {
        w.Nil();
      }
      break;
    case 4:
      w.Uint(h.hlc.packed());
      break;
    case 5:
      w.Str(h.type);
      break;
    case 6:
      w.Bin(h.body_hash);
      break;
    default:
      w.Uint(h.body_len);
      break;
  }
}

// The field to blame when `bytes` decode to `h` but are not its canonical encoding: the first
// field whose bytes differ from its canonical form ("op.header" when the array header does).
std::string NonCanonicalField(const OpHeader& h, ByteView bytes) {
  MsgpackWriter array;
  array.Array(8);
  Bytes piece = array.Take();
  if (bytes.size() < piece.size() || !std::equal(piece.begin(), piece.end(), bytes.begin())) {
    return kHeaderField;
  }
  size_t offset = piece.size();
  for (int i = 0; i < 8; ++i) {
    MsgpackWriter w;
    WriteHeaderField(w, h, i);
    piece = w.Take();
    if (bytes.size() - offset < piece.size() ||
        !std::equal(piece.begin(), piece.end(), bytes.begin() + static_cast<ptrdiff_t>(offset))) {
      return std::string(kHeaderField) + "." + kHeaderFieldNames[i];
    }
    offset += piece.size();
  }
  return kHeaderField;
}

}  // namespace

Bytes EncodeHeader(const OpHeader& h) {
  MsgpackWriter w;
  w.Array(8);
  for (int i = 0; i < 8; ++i) WriteHeaderField(w, h, i);
  return w.Take();
}

Result<OpHeader> DecodeHeader(ByteView bytes) {
  const std::string f = kHeaderField;
  if (bytes.size() > 512) {
    return Status::Malformed(f, "expected at most 512 bytes, got " + std::to_string(bytes.size()));
  }
  auto handle = detail::UnpackExactlyOne(bytes, f, 16);
  if (!handle.ok()) return handle.status();
  const msgpack::object& root = handle->get();
  NANSE_RETURN_IF_ERROR(detail::ExpectArray(root, 8, f));
  const msgpack::object* e = root.via.array.ptr;

  OpHeader h;
  auto version = detail::ReadUint(e[0], f + ".version");
  if (!version.ok()) return version.status();
  h.version = *version;
  if (h.version != kOpVersion) {
    return Status::Malformed(f + ".version", "expected 1, got " + std::to_string(h.version));
  }
  auto author = detail::ReadBin32(e[1], f + ".author");
  if (!author.ok()) return author.status();
  h.author = *author;
  auto seq = detail::ReadUint(e[2], f + ".seq");
  if (!seq.ok()) return seq.status();
  h.seq = *seq;
  if (e[3].type != msgpack::type::NIL) {
    auto prev = detail::ReadBin32(e[3], f + ".prev");
    if (!prev.ok()) return prev.status();
    h.prev = *prev;
  }
  auto hlc = detail::ReadUint(e[4], f + ".hlc");
  if (!hlc.ok()) return hlc.status();
  h.hlc = Hlc(*hlc);
  if (e[5].type != msgpack::type::STR) {
    return Status::Malformed(f + ".type", "expected a string, got " + detail::TypeName(e[5]));
  }
  h.type.assign(e[5].via.str.ptr, e[5].via.str.size);
  auto body_hash = detail::ReadBin32(e[6], f + ".body_hash");
  if (!body_hash.ok()) return body_hash.status();
  h.body_hash = *body_hash;
  auto body_len = detail::ReadUint(e[7], f + ".body_len");
  if (!body_len.ok()) return body_len.status();
  h.body_len = *body_len;

  NANSE_RETURN_IF_ERROR(CheckHeaderRules(h));
  Bytes canonical = EncodeHeader(h);
  if (!std::equal(canonical.begin(), canonical.end(), bytes.begin(), bytes.end())) {
    return Status::Malformed(NonCanonicalField(h, bytes),
                             "not in canonical msgpack encoding (smallest forms required)");
  }
  return h;
}

Bytes OpSigningMessage(const Hash& network_id, ByteView header_bytes) {
  Bytes msg;
  msg.reserve(kOpSignatureDomain.size() + network_id.size() + header_bytes.size());
  Append(msg, AsBytes(kOpSignatureDomain));
  Append(msg, network_id);
  Append(msg, header_bytes);
  return msg;
}

Hash ComputeOpId(ByteView header_bytes, const Signature& signature) {
  return Blake2b256({header_bytes, signature});
}

Result<SignedOp> SignOp(const SigningKey& key, const Hash& network_id, const OpDraft& draft) {
  SignedOp op;
  op.header.author = key.public_key();
  op.header.seq = draft.seq;
  op.header.prev = draft.prev;
  op.header.hlc = draft.hlc;
  op.header.type = draft.type;
  op.header.body_hash = Blake2b256({draft.body});
  op.header.body_len = draft.body.size();
  NANSE_RETURN_IF_ERROR(CheckHeaderRules(op.header));
  op.header_bytes = EncodeHeader(op.header);
  const Hash signed_network = op.is_genesis() ? Hash{} : network_id;
  op.signature = key.Sign(OpSigningMessage(signed_network, op.header_bytes));
  op.body = draft.body;
  op.id = ComputeOpId(op.header_bytes, op.signature);
  if (op.size() > kMaxOpBytes) {
    return Status::Malformed("op", "expected at most " + std::to_string(kMaxOpBytes) +
                                       " bytes in all, got " + std::to_string(op.size()));
  }
  return op;
}

Status VerifyOp(const SignedOp& op, const Hash& network_id) {
  const Hash signed_network = op.is_genesis() ? Hash{} : network_id;
  if (!VerifySignature(op.header.author, OpSigningMessage(signed_network, op.header_bytes),
                       op.signature)) {
    return Status::Invalid("op.signature",
                           "does not verify for this network (tampered op, or another network)");
  }
  // The id is recomputed, not trusted: a SignedOp is a plain struct anyone can fill in.
  if (ComputeOpId(op.header_bytes, op.signature) != op.id) {
    return Status::Invalid("op.id", "does not match the header and signature");
  }
  if (op.is_genesis() && op.id != network_id) {
    return Status::Invalid("op", "genesis op of another network");
  }
  if (op.body) NANSE_RETURN_IF_ERROR(CheckBody(op.header, *op.body));
  return Status::Ok();
}

Bytes EncodeOp(const SignedOp& op) {
  MsgpackWriter w;
  w.Array(3);
  w.Bin(op.header_bytes);
  w.Bin(op.signature);
  if (op.body) {
    w.Bin(*op.body);
  } else {
    w.Nil();
  }
  return w.Take();
}

Result<SignedOp> AssembleOp(ByteView header_bytes, ByteView signature,
                            std::optional<ByteView> body) {
  auto header = DecodeHeader(header_bytes);
  if (!header.ok()) return header.status();
  if (signature.size() != 64) {
    return Status::Malformed("op.signature",
                             "expected 64 bytes, got " + std::to_string(signature.size()));
  }
  SignedOp op;
  op.header = std::move(*header);
  op.header_bytes.assign(header_bytes.begin(), header_bytes.end());
  op.signature = ToArray<64>(signature);
  if (body) {
    NANSE_RETURN_IF_ERROR(CheckBody(op.header, *body));
    op.body = Bytes(body->begin(), body->end());
  }
  if (op.size() > kMaxOpBytes) {
    return Status::Malformed("op", "expected at most " + std::to_string(kMaxOpBytes) +
                                       " bytes in all, got " + std::to_string(op.size()));
  }
  op.id = ComputeOpId(op.header_bytes, op.signature);
  return op;
}

Result<SignedOp> DecodeOp(ByteView bytes) {
  if (bytes.size() > kMaxOpBytes + 32) {
    return Status::Malformed("op", "expected at most " + std::to_string(kMaxOpBytes) +
                                       " bytes, got " + std::to_string(bytes.size()));
  }
  auto handle = detail::UnpackExactlyOne(bytes, "op", 4);
  if (!handle.ok()) return handle.status();
  const msgpack::object& root = handle->get();
  NANSE_RETURN_IF_ERROR(detail::ExpectArray(root, 3, "op"));
  const msgpack::object* e = root.via.array.ptr;
  if (e[0].type != msgpack::type::BIN) {
    return Status::Malformed("op.header", "expected bin, got " + detail::TypeName(e[0]));
  }
  if (e[1].type != msgpack::type::BIN) {
    return Status::Malformed("op.signature", "expected bin, got " + detail::TypeName(e[1]));
  }
  auto view = [](const msgpack::object& o) {
    return ByteView(reinterpret_cast<const uint8_t*>(o.via.bin.ptr), o.via.bin.size);
  };
  std::optional<ByteView> body;
  if (e[2].type == msgpack::type::BIN) {
    body = view(e[2]);
  } else if (e[2].type != msgpack::type::NIL) {
    return Status::Malformed("op.body", "expected bin or nil, got " + detail::TypeName(e[2]));
  }
  return AssembleOp(view(e[0]), view(e[1]), body);
}

}  // namespace nanse
