// Tests of crdt/operation: the signed op (ARCHITECTURE section 3): header codec, signatures,
// ids, the size limit, erasure, and an error naming the field for every malformed input.
#include "crdt/operation.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crdt/msgpack_io.h"
#include "crdt/op_bodies.h"
#include "tests/crdt/generators.h"

namespace nanse {
namespace {

using detail::MsgpackWriter;

constexpr uint64_t kNow = 1'700'000'000'000;

SigningKey KeyOf(uint8_t fill) {
  Seed seed;
  seed.fill(fill);
  return SigningKey::FromSeed(seed);
}

Hash HashOf(uint8_t fill) {
  Hash h;
  h.fill(fill);
  return h;
}

const Hash kNetwork = HashOf(0x4e);
const Hash kOtherNetwork = HashOf(0x4f);

Bytes NodeBodyBytes() { return EncodeNodeBody({"kassel-pi", {"kassel.example.org:7777"}}); }

OpDraft Draft(uint64_t seq = 1, std::optional<Hash> prev = std::nullopt, std::string type = "node",
              Bytes body = NodeBodyBytes()) {
  OpDraft d;
  d.seq = seq;
  d.prev = prev;
  d.hlc = Hlc::FromParts(kNow, 3);
  d.type = std::move(type);
  d.body = std::move(body);
  return d;
}

OpDraft GenesisDraft() { return Draft(1, std::nullopt, "genesis", EncodeGenesisBody({"net"})); }

// Signs a draft the test knows to be valid.
SignedOp Sign(const OpDraft& draft, const SigningKey& key = KeyOf(1),
              const Hash& network = kNetwork) {
  auto op = SignOp(key, network, draft);
  if (!op.ok()) {
    ADD_FAILURE() << "SignOp: " << op.status().ToString();
    return SignedOp{};
  }
  return *op;
}

void ExpectStatus(const Status& s, Status::Code code, const std::string& field) {
  ASSERT_FALSE(s.ok()) << "expected an error naming " << field;
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_EQ(s.field(), field) << s.ToString();
  EXPECT_FALSE(s.detail().empty()) << s.ToString();
}

template <typename T>
void ExpectStatus(const Result<T>& r, Status::Code code, const std::string& field) {
  ExpectStatus(r.status(), code, field);
  EXPECT_FALSE(r.ok());
}

void ExpectSameOp(const SignedOp& a, const SignedOp& b) {
  EXPECT_EQ(a.header, b.header);
  EXPECT_EQ(a.header_bytes, b.header_bytes);
  EXPECT_EQ(a.signature, b.signature);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.id, b.id);
}

// --- Hand-built headers ---

Bytes Pack(const std::function<void(MsgpackWriter&)>& write) {
  MsgpackWriter w;
  write(w);
  return w.Take();
}

// A valid header: seq 2 (so prev is present) unless told otherwise.
OpHeader SampleHeader(uint64_t seq = 2) {
  OpHeader h;
  h.author = KeyOf(1).public_key();
  h.seq = seq;
  if (seq > 1) h.prev = HashOf(0x70);
  h.hlc = Hlc::FromParts(kNow, 3);
  h.type = "node";
  Bytes body = NodeBodyBytes();
  h.body_hash = Blake2b256({body});
  h.body_len = body.size();
  return h;
}

// The eight fields of a header, each encoded canonically on its own.
std::vector<Bytes> HeaderPieces(const OpHeader& h) {
  return {
      Pack([&](MsgpackWriter& w) { w.Uint(h.version); }),
      Pack([&](MsgpackWriter& w) { w.Bin(h.author); }),
      Pack([&](MsgpackWriter& w) { w.Uint(h.seq); }),
      h.prev ? Pack([&](MsgpackWriter& w) { w.Bin(*h.prev); }) : Bytes{0xc0},
      Pack([&](MsgpackWriter& w) { w.Uint(h.hlc.packed()); }),
      Pack([&](MsgpackWriter& w) { w.Str(h.type); }),
      Pack([&](MsgpackWriter& w) { w.Bin(h.body_hash); }),
      Pack([&](MsgpackWriter& w) { w.Uint(h.body_len); }),
  };
}

enum Field { kVersion, kAuthor, kSeq, kPrev, kHlc, kType, kBodyHash, kBodyLen };

Bytes Join(const Bytes& array_header, const std::vector<Bytes>& pieces) {
  Bytes out = array_header;
  for (const Bytes& p : pieces) Append(out, p);
  return out;
}

// The header's bytes with field `i` replaced by `piece` (any bytes at all).
Bytes HeaderReplacing(const OpHeader& h, int i, const Bytes& piece) {
  std::vector<Bytes> pieces = HeaderPieces(h);
  pieces[static_cast<size_t>(i)] = piece;
  return Join({0x98}, pieces);
}

Bytes StrPiece(const std::string& s) {
  return Pack([&](MsgpackWriter& w) { w.Str(s); });
}
Bytes BinPiece(size_t n, uint8_t fill = 0x11) {
  return Pack([&](MsgpackWriter& w) { w.Bin(Bytes(n, fill)); });
}
Bytes UintPiece(uint64_t v) {
  return Pack([&](MsgpackWriter& w) { w.Uint(v); });
}
Bytes IntPiece(int64_t v) {
  return Pack([&](MsgpackWriter& w) { w.Int(v); });
}
const Bytes kNilPiece = {0xc0};
const Bytes kTruePiece = {0xc3};

// Expects the header bytes to be refused naming `field`, both alone and inside an op.
void ExpectHeaderRejected(const Bytes& header_bytes, const std::string& field) {
  {
    SCOPED_TRACE("DecodeHeader");
    ExpectStatus(DecodeHeader(header_bytes), Status::Code::kMalformed, field);
  }
  {
    SCOPED_TRACE("AssembleOp");
    Signature sig{};
    ExpectStatus(AssembleOp(header_bytes, sig, std::nullopt), Status::Code::kMalformed, field);
  }
}

TEST(DecodeHeader, HandBuiltPiecesMatchTheEncoder) {
  // The premise of the malformed-field tests below.
  for (uint64_t seq : {1u, 2u}) {
    OpHeader h = SampleHeader(seq);
    EXPECT_EQ(Join({0x98}, HeaderPieces(h)), EncodeHeader(h));
    auto decoded = DecodeHeader(EncodeHeader(h));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, h);
  }
}

TEST(DecodeHeader, HeaderHasTheDocumentedLayout) {
  // [1, author, 1, nil, hlc, "node", body_hash, body_len], written out byte by byte.
  OpHeader h = SampleHeader(1);
  h.hlc = Hlc(0x0102030405060708);
  h.body_len = 300;
  Bytes expected = {0x98, 0x01, 0xc4, 0x20};
  Append(expected, h.author);
  Append(expected, Bytes{0x01, 0xc0, 0xcf, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08});
  Append(expected, Bytes{0xa4, 'n', 'o', 'd', 'e', 0xc4, 0x20});
  Append(expected, h.body_hash);
  Append(expected, Bytes{0xcd, 0x01, 0x2c});
  EXPECT_EQ(EncodeHeader(h), expected);
}

TEST(DecodeHeader, RejectsAVersionOtherThanOne) {
  for (uint64_t v : {0u, 2u, 255u}) {
    SCOPED_TRACE(v);
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kVersion, UintPiece(v)),
                         "op.header.version");
  }
}

TEST(DecodeHeader, RejectsAVersionOfTheWrongType) {
  for (const Bytes& piece : {StrPiece("1"), IntPiece(-1), kNilPiece, kTruePiece, BinPiece(1)}) {
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kVersion, piece), "op.header.version");
  }
}

TEST(DecodeHeader, RejectsAnAuthorThatIsNotThirtyTwoBytesOfBin) {
  for (const Bytes& piece : {BinPiece(0), BinPiece(31), BinPiece(33), BinPiece(64),
                             StrPiece(std::string(32, 'a')), kNilPiece, UintPiece(1)}) {
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kAuthor, piece), "op.header.author");
  }
}

TEST(DecodeHeader, RejectsSeqZero) {
  OpHeader h = SampleHeader(1);
  ExpectHeaderRejected(HeaderReplacing(h, kSeq, UintPiece(0)), "op.header.seq");
}

TEST(DecodeHeader, RejectsASeqOfTheWrongType) {
  for (const Bytes& piece : {StrPiece("2"), IntPiece(-2), kNilPiece, kTruePiece,
                             Bytes{0xcb, 0x40, 0, 0, 0, 0, 0, 0, 0}}) {  // 2.0
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kSeq, piece), "op.header.seq");
  }
}

TEST(DecodeHeader, RejectsAPrevAtSeqOne) {
  OpHeader h = SampleHeader(1);
  ExpectHeaderRejected(HeaderReplacing(h, kPrev, BinPiece(32)), "op.header.prev");
}

TEST(DecodeHeader, RejectsANilPrevAfterSeqOne) {
  for (uint64_t seq : {2u, 3u, 1000u}) {
    OpHeader h = SampleHeader(seq);
    ExpectHeaderRejected(HeaderReplacing(h, kPrev, kNilPiece), "op.header.prev");
  }
}

TEST(DecodeHeader, RejectsAPrevThatIsNotThirtyTwoBytesOfBin) {
  for (const Bytes& piece : {BinPiece(0), BinPiece(31), BinPiece(33),
                             StrPiece(std::string(32, 'a')), UintPiece(1), kTruePiece}) {
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(2), kPrev, piece), "op.header.prev");
  }
}

TEST(DecodeHeader, RejectsAnHlcOfTheWrongType) {
  for (const Bytes& piece :
       {StrPiece("1700000000000"), IntPiece(-1), kNilPiece, kTruePiece, BinPiece(8)}) {
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kHlc, piece), "op.header.hlc");
  }
}

TEST(DecodeHeader, AcceptsAnyHlcUpToTheYear9999) {
  // Ops are never rejected for a timestamp far from the local clock (ARCHITECTURE section 3):
  // 1970 and the year 9999 both pass, whatever this machine's clock says.
  for (Hlc hlc : {Hlc(0), Hlc(1), Hlc::FromParts(Hlc::kMaxOpMillis, 0xffff)}) {
    OpHeader h = SampleHeader();
    h.hlc = hlc;
    auto decoded = DecodeHeader(EncodeHeader(h));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->hlc, h.hlc);
  }
}

TEST(DecodeHeader, RejectsAnHlcPastTheYear9999) {
  // A rule on the op alone, so every node decides alike: such an op would otherwise drag
  // every clock that observes it to the end of the 48-bit range and stop it there.
  for (Hlc hlc : {Hlc::FromParts(Hlc::kMaxOpMillis + 1, 0), Hlc(~uint64_t{0})}) {
    OpHeader h = SampleHeader();
    h.hlc = hlc;
    ExpectHeaderRejected(EncodeHeader(h), "op.header.hlc");
  }
}

TEST(DecodeHeader, RejectsAGenesisOpPastSeq1) {
  OpHeader h = SampleHeader(2);
  h.type = "genesis";
  ExpectHeaderRejected(EncodeHeader(h), "op.header.type");
}

TEST(DecodeHeader, RejectsAMalformedType) {
  const std::vector<std::string> bad = {
      "",                                      // empty
      "Node",                                  // uppercase
      "NODE",                                  // uppercase
      "nOde",                                  // uppercase inside
      std::string(kMaxOpTypeLength + 1, 'a'),  // too long
      "node-v2",                               // '-'
      "no de",                                 // space
      "node/x",                                // '/'
      "n\xc3\xb6"
      "de",                      // non-ASCII
      "1node",                   // starts with a digit
      "_node",                   // starts with '_'
      ".node",                   // starts with '.'
      std::string("node\0", 5),  // NUL
      "node\n",                  // newline
  };
  for (const std::string& type : bad) {
    SCOPED_TRACE(type);
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kType, StrPiece(type)), "op.header.type");
  }
}

TEST(DecodeHeader, RejectsATypeOfTheWrongType) {
  for (const Bytes& piece :
       {Pack([](MsgpackWriter& w) { w.Bin(AsBytes("node")); }), UintPiece(1), kNilPiece}) {
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kType, piece), "op.header.type");
  }
}

TEST(DecodeHeader, AcceptsWellFormedTypes) {
  for (std::string type : std::vector<std::string>{"a", "node", "member.add", "org_v2", "x.y_z.0",
                                                   std::string(kMaxOpTypeLength, 'z')}) {
    OpHeader h = SampleHeader();
    h.type = type;
    auto decoded = DecodeHeader(EncodeHeader(h));
    ASSERT_TRUE(decoded.ok()) << type << ": " << decoded.status().ToString();
    EXPECT_EQ(decoded->type, type);
  }
}

TEST(DecodeHeader, RejectsABodyHashThatIsNotThirtyTwoBytesOfBin) {
  for (const Bytes& piece : {BinPiece(0), BinPiece(31), BinPiece(33), BinPiece(64),
                             StrPiece(std::string(32, 'a')), kNilPiece}) {
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kBodyHash, piece), "op.header.body_hash");
  }
}

TEST(DecodeHeader, RejectsABodyLenBeyondTheOpSizeLimit) {
  for (uint64_t len : {uint64_t{kMaxOpBytes + 1}, uint64_t{1} << 32, ~uint64_t{0}}) {
    SCOPED_TRACE(len);
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kBodyLen, UintPiece(len)),
                         "op.header.body_len");
  }
  OpHeader at_limit = SampleHeader();
  at_limit.body_len = kMaxOpBytes;
  EXPECT_TRUE(DecodeHeader(EncodeHeader(at_limit)).ok());
}

TEST(DecodeHeader, RejectsABodyLenOfTheWrongType) {
  for (const Bytes& piece : {StrPiece("10"), IntPiece(-1), kNilPiece}) {
    ExpectHeaderRejected(HeaderReplacing(SampleHeader(), kBodyLen, piece), "op.header.body_len");
  }
}

TEST(DecodeHeader, RejectsAWrongNumberOfFields) {
  std::vector<Bytes> pieces = HeaderPieces(SampleHeader());
  std::vector<Bytes> seven(pieces.begin(), pieces.end() - 1);
  ExpectHeaderRejected(Join({0x97}, seven), "op.header");
  std::vector<Bytes> nine = pieces;
  nine.push_back(kNilPiece);
  ExpectHeaderRejected(Join({0x99}, nine), "op.header");
  ExpectHeaderRejected(Bytes{0x90}, "op.header");
}

TEST(DecodeHeader, RejectsWhatIsNotAnArray) {
  ExpectHeaderRejected(UintPiece(1), "op.header");
  ExpectHeaderRejected(Join({0x84}, HeaderPieces(SampleHeader())), "op.header");  // map of 4
}

TEST(DecodeHeader, RejectsTrailingBytes) {
  Bytes bytes = EncodeHeader(SampleHeader());
  bytes.push_back(0xc0);
  ExpectHeaderRejected(bytes, "op.header");
}

TEST(DecodeHeader, RejectsEveryTruncation) {
  Bytes bytes = EncodeHeader(SampleHeader());
  for (size_t n = 0; n < bytes.size(); ++n) {
    SCOPED_TRACE(n);
    ExpectHeaderRejected(Bytes(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(n)),
                         "op.header");
  }
}

TEST(DecodeHeader, RejectsOversizedInput) { ExpectHeaderRejected(Bytes(600, 0xc0), "op.header"); }

// A header whose values all fit small forms, so each has longer, non-canonical encodings.
OpHeader SmallHeader() {
  OpHeader h = SampleHeader(2);
  h.hlc = Hlc(0x1234);
  h.body_len = 5;
  return h;
}

Bytes Concat(Bytes a, const Bytes& b) {
  Append(a, b);
  return a;
}

TEST(DecodeHeader, RejectsNonCanonicalEncodingsNamingTheField) {
  OpHeader h = SmallHeader();
  const Bytes bin16_32 = {0xc5, 0x00, 0x20};
  const Bytes bin32_32 = {0xc6, 0x00, 0x00, 0x00, 0x20};
  struct Case {
    const char* what;
    Field field;
    Bytes piece;
    const char* name;
  };
  const std::vector<Case> cases = {
      {"version as uint8", kVersion, {0xcc, 0x01}, "op.header.version"},
      {"version as uint64", kVersion, {0xcf, 0, 0, 0, 0, 0, 0, 0, 1}, "op.header.version"},
      {"version as int8", kVersion, {0xd0, 0x01}, "op.header.version"},
      {"author as bin16", kAuthor, Concat(bin16_32, Bytes(h.author.begin(), h.author.end())),
       "op.header.author"},
      {"author as bin32", kAuthor, Concat(bin32_32, Bytes(h.author.begin(), h.author.end())),
       "op.header.author"},
      {"seq as uint8", kSeq, {0xcc, 0x02}, "op.header.seq"},
      {"seq as uint16", kSeq, {0xcd, 0x00, 0x02}, "op.header.seq"},
      {"seq as uint32", kSeq, {0xce, 0x00, 0x00, 0x00, 0x02}, "op.header.seq"},
      {"seq as uint64", kSeq, {0xcf, 0, 0, 0, 0, 0, 0, 0, 2}, "op.header.seq"},
      {"seq as int8", kSeq, {0xd0, 0x02}, "op.header.seq"},
      {"seq as int64", kSeq, {0xd3, 0, 0, 0, 0, 0, 0, 0, 2}, "op.header.seq"},
      {"prev as bin16", kPrev, Concat(bin16_32, Bytes(h.prev->begin(), h.prev->end())),
       "op.header.prev"},
      {"hlc as uint32", kHlc, {0xce, 0x00, 0x00, 0x12, 0x34}, "op.header.hlc"},
      {"hlc as uint64", kHlc, {0xcf, 0, 0, 0, 0, 0, 0, 0x12, 0x34}, "op.header.hlc"},
      {"hlc as int16", kHlc, {0xd1, 0x12, 0x34}, "op.header.hlc"},
      {"type as str8", kType, {0xd9, 0x04, 'n', 'o', 'd', 'e'}, "op.header.type"},
      {"type as str16", kType, {0xda, 0x00, 0x04, 'n', 'o', 'd', 'e'}, "op.header.type"},
      {"body_hash as bin16", kBodyHash,
       Concat(bin16_32, Bytes(h.body_hash.begin(), h.body_hash.end())), "op.header.body_hash"},
      {"body_len as uint8", kBodyLen, {0xcc, 0x05}, "op.header.body_len"},
      {"body_len as int8", kBodyLen, {0xd0, 0x05}, "op.header.body_len"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Bytes bytes = HeaderReplacing(h, c.field, c.piece);
    ExpectHeaderRejected(bytes, c.name);
    EXPECT_NE(DecodeHeader(bytes).status().detail().find("canonical"), std::string::npos);
  }
}

TEST(DecodeHeader, RejectsANonCanonicalArrayHeader) {
  std::vector<Bytes> pieces = HeaderPieces(SmallHeader());
  ExpectHeaderRejected(Join({0xdc, 0x00, 0x08}, pieces), "op.header");
  ExpectHeaderRejected(Join({0xdd, 0x00, 0x00, 0x00, 0x08}, pieces), "op.header");
}

TEST(DecodeHeader, NamesTheFirstNonCanonicalField) {
  OpHeader h = SmallHeader();
  std::vector<Bytes> pieces = HeaderPieces(h);
  pieces[kSeq] = {0xcc, 0x02};
  pieces[kBodyLen] = {0xcc, 0x05};
  ExpectHeaderRejected(Join({0x98}, pieces), "op.header.seq");
}

// --- Signing, ids, round trips ---

TEST(Operation, SignEncodeDecodeGivesTheSameOp) {
  SignedOp op = Sign(Draft());
  auto decoded = DecodeOp(EncodeOp(op));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameOp(*decoded, op);
  EXPECT_TRUE(VerifyOp(*decoded, kNetwork).ok()) << VerifyOp(*decoded, kNetwork).ToString();
}

TEST(Operation, SignedOpCarriesTheDraft) {
  OpDraft d = Draft(7, HashOf(0x33));
  SignedOp op = Sign(d);
  EXPECT_EQ(op.header.version, kOpVersion);
  EXPECT_EQ(op.header.author, KeyOf(1).public_key());
  EXPECT_EQ(op.header.seq, 7u);
  EXPECT_EQ(op.header.prev, HashOf(0x33));
  EXPECT_EQ(op.header.hlc, d.hlc);
  EXPECT_EQ(op.header.type, "node");
  EXPECT_EQ(op.header.body_hash, Blake2b256({d.body}));
  EXPECT_EQ(op.header.body_len, d.body.size());
  EXPECT_EQ(op.header_bytes, EncodeHeader(op.header));
  EXPECT_EQ(op.body, d.body);
  EXPECT_EQ(op.size(), op.header_bytes.size() + 64 + d.body.size());
  EXPECT_FALSE(op.is_genesis());
}

TEST(Operation, IdIsTheHashOfHeaderBytesAndSignature) {
  SignedOp op = Sign(Draft());
  EXPECT_EQ(op.id, ComputeOpId(op.header_bytes, op.signature));
  EXPECT_EQ(op.id, Blake2b256({op.header_bytes, op.signature}));
}

TEST(Operation, SignatureCoversDomainNetworkIdAndHeaderBytes) {
  SignedOp op = Sign(Draft());
  Bytes expected(kOpSignatureDomain.begin(), kOpSignatureDomain.end());
  Append(expected, kNetwork);
  Append(expected, op.header_bytes);
  EXPECT_EQ(OpSigningMessage(kNetwork, op.header_bytes), expected);
  EXPECT_EQ(std::string(kOpSignatureDomain), "nanse-op-v1");
  EXPECT_TRUE(VerifySignature(op.header.author, expected, op.signature));
}

TEST(Operation, SigningIsDeterministic) {
  SignedOp a = Sign(Draft());
  SignedOp b = Sign(Draft());
  ExpectSameOp(a, b);
}

TEST(Operation, ChainLinksToThePreviousOpId) {
  SignedOp first = Sign(Draft(1));
  SignedOp second = Sign(Draft(2, first.id));
  auto decoded = DecodeOp(EncodeOp(second));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->header.prev, first.id);
  EXPECT_TRUE(VerifyOp(*decoded, kNetwork).ok());
}

TEST(Operation, AssembleOpAcceptsTheParts) {
  SignedOp op = Sign(Draft());
  auto assembled = AssembleOp(op.header_bytes, op.signature, ByteView(*op.body));
  ASSERT_TRUE(assembled.ok()) << assembled.status().ToString();
  ExpectSameOp(*assembled, op);
}

TEST(Operation, EmptyBodyIsAllowed) {
  SignedOp op = Sign(Draft(1, std::nullopt, "node", Bytes{}));
  auto decoded = DecodeOp(EncodeOp(op));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_TRUE(decoded->body.has_value());
  EXPECT_TRUE(decoded->body->empty());
  EXPECT_TRUE(VerifyOp(*decoded, kNetwork).ok());
}

TEST(Operation, VerifiesForItsNetworkOnly) {
  SignedOp op = Sign(Draft());
  EXPECT_TRUE(VerifyOp(op, kNetwork).ok());
  ExpectStatus(VerifyOp(op, kOtherNetwork), Status::Code::kInvalid, "op.signature");
  ExpectStatus(VerifyOp(op, Hash{}), Status::Code::kInvalid, "op.signature");
}

TEST(Operation, AnotherAuthorsKeyFailsVerification) {
  SignedOp op = Sign(Draft());
  op.header.author = KeyOf(2).public_key();
  ExpectStatus(VerifyOp(op, kNetwork), Status::Code::kInvalid, "op.signature");
}

// --- Genesis ---

TEST(Operation, GenesisOpIsSignedWithTheZeroNetworkId) {
  SignedOp genesis = Sign(GenesisDraft());
  EXPECT_TRUE(genesis.is_genesis());
  EXPECT_TRUE(VerifySignature(genesis.header.author, OpSigningMessage(Hash{}, genesis.header_bytes),
                              genesis.signature));
  EXPECT_FALSE(VerifySignature(
      genesis.header.author, OpSigningMessage(kNetwork, genesis.header_bytes), genesis.signature));
}

TEST(Operation, GenesisOpIdIsTheNetworkId) {
  SignedOp genesis = Sign(GenesisDraft());
  const Hash network_id = genesis.id;
  EXPECT_TRUE(VerifyOp(genesis, network_id).ok()) << VerifyOp(genesis, network_id).ToString();
  auto decoded = DecodeOp(EncodeOp(genesis));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->id, network_id);
  EXPECT_TRUE(VerifyOp(*decoded, network_id).ok());
  // The network's later ops are signed for that id.
  SignedOp next = Sign(Draft(2, genesis.id), KeyOf(1), network_id);
  EXPECT_TRUE(VerifyOp(next, network_id).ok());
}

TEST(Operation, GenesisOpDoesNotDependOnTheNetworkIdPassedToSign) {
  ExpectSameOp(Sign(GenesisDraft(), KeyOf(1), kNetwork), Sign(GenesisDraft(), KeyOf(1), Hash{}));
}

TEST(Operation, GenesisOpOfAnotherNetworkFailsVerification) {
  SignedOp genesis = Sign(GenesisDraft());
  for (const Hash& other : {kNetwork, kOtherNetwork, Hash{}}) {
    ExpectStatus(VerifyOp(genesis, other), Status::Code::kInvalid, "op");
  }
  // Another network's genesis, however similar, is another network.
  SignedOp elsewhere = Sign(Draft(1, std::nullopt, "genesis", EncodeGenesisBody({"net2"})));
  ExpectStatus(VerifyOp(elsewhere, genesis.id), Status::Code::kInvalid, "op");
}

TEST(Operation, OnlyTheGenesisTypeIsSignedWithZeros) {
  // A non-genesis op signed for the zero id does not verify in any real network.
  SignedOp op = Sign(Draft(), KeyOf(1), Hash{});
  ExpectStatus(VerifyOp(op, kNetwork), Status::Code::kInvalid, "op.signature");
}

// --- Tampering ---

TEST(Operation, TamperedBodyFailsVerification) {
  SignedOp op = Sign(Draft());
  (*op.body)[3] ^= 0x01;
  Status s = VerifyOp(op, kNetwork);
  ExpectStatus(s, Status::Code::kInvalid, "op.body");
  EXPECT_NE(s.detail().find("hash"), std::string::npos) << s.ToString();
}

TEST(Operation, TamperedBodyIsRefusedOnDecode) {
  SignedOp op = Sign(Draft());
  (*op.body)[3] ^= 0x01;
  ExpectStatus(DecodeOp(EncodeOp(op)), Status::Code::kInvalid, "op.body");
  ExpectStatus(AssembleOp(op.header_bytes, op.signature, ByteView(*op.body)),
               Status::Code::kInvalid, "op.body");
}

TEST(Operation, BodyOfAnotherLengthIsRefused) {
  SignedOp op = Sign(Draft());
  Bytes longer = *op.body;
  longer.push_back(0);
  Status s = AssembleOp(op.header_bytes, op.signature, ByteView(longer)).status();
  ExpectStatus(s, Status::Code::kInvalid, "op.body");
  EXPECT_NE(s.detail().find("body_len"), std::string::npos) << s.ToString();
  op.body->pop_back();
  ExpectStatus(VerifyOp(op, kNetwork), Status::Code::kInvalid, "op.body");
}

TEST(Operation, TamperedSignatureFailsVerification) {
  SignedOp original = Sign(Draft());
  for (size_t i : {0u, 31u, 32u, 63u}) {
    SCOPED_TRACE(i);
    SignedOp op = original;
    op.signature[i] ^= 0x01;
    ExpectStatus(VerifyOp(op, kNetwork), Status::Code::kInvalid, "op.signature");
    // Re-assembled from its parts, it is another op (another id) and still does not verify.
    auto assembled = AssembleOp(op.header_bytes, op.signature, ByteView(*op.body));
    ASSERT_TRUE(assembled.ok()) << assembled.status().ToString();
    EXPECT_NE(assembled->id, original.id);
    ExpectStatus(VerifyOp(*assembled, kNetwork), Status::Code::kInvalid, "op.signature");
  }
}

TEST(Operation, ChangedHeaderFieldFailsTheSignature) {
  // Re-encoding a header with any one field changed gives canonical bytes that decode, and
  // whose signature no longer verifies.
  SignedOp op = Sign(Draft(2, HashOf(0x33)));
  std::vector<std::function<void(OpHeader&)>> changes = {
      [](OpHeader& h) { h.author = KeyOf(2).public_key(); },
      [](OpHeader& h) { h.seq = 3; },
      [](OpHeader& h) { h.prev = HashOf(0x34); },
      [](OpHeader& h) { h.hlc = Hlc(h.hlc.packed() + 1); },
      [](OpHeader& h) { h.type = "nodf"; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    SCOPED_TRACE(i);
    OpHeader h = op.header;
    changes[i](h);
    auto assembled = AssembleOp(EncodeHeader(h), op.signature, ByteView(*op.body));
    ASSERT_TRUE(assembled.ok()) << assembled.status().ToString();
    ExpectStatus(VerifyOp(*assembled, kNetwork), Status::Code::kInvalid, "op.signature");
  }
}

TEST(Operation, ChangedBodyHashOrLengthIsRefused) {
  SignedOp op = Sign(Draft());
  OpHeader h = op.header;
  h.body_hash[0] ^= 1;
  ExpectStatus(AssembleOp(EncodeHeader(h), op.signature, ByteView(*op.body)),
               Status::Code::kInvalid, "op.body");
  // Without the body (erased), only the signature can tell.
  auto erased = AssembleOp(EncodeHeader(h), op.signature, std::nullopt);
  ASSERT_TRUE(erased.ok());
  ExpectStatus(VerifyOp(*erased, kNetwork), Status::Code::kInvalid, "op.signature");
  h = op.header;
  h.body_len += 1;
  ExpectStatus(AssembleOp(EncodeHeader(h), op.signature, ByteView(*op.body)),
               Status::Code::kInvalid, "op.body");
}

TEST(Operation, TamperedHeaderFailsDecodingOrVerification) {
  // Every bit pattern flipped in every byte of the header bytes.
  SignedOp op = Sign(Draft(2, HashOf(0x33)));
  int decoded_but_unverified = 0;
  for (size_t i = 0; i < op.header_bytes.size(); ++i) {
    for (uint8_t mask : {0x01, 0x10, 0x80, 0xff}) {
      Bytes header = op.header_bytes;
      header[i] ^= mask;
      auto assembled = AssembleOp(header, op.signature, ByteView(*op.body));
      if (!assembled.ok()) {
        EXPECT_FALSE(assembled.status().field().empty());
        continue;
      }
      Status s = VerifyOp(*assembled, kNetwork);
      EXPECT_FALSE(s.ok()) << "byte " << i << " mask " << int{mask} << " went unnoticed";
      ++decoded_but_unverified;
    }
  }
  // Flips inside author, prev and hlc decode fine; the signature is what catches them.
  EXPECT_GT(decoded_but_unverified, 0);
}

RC_GTEST_PROP(Operation, AnyChangedByteOfAnEncodedOpIsCaught, ()) {
  static const SignedOp op = Sign(Draft(2, HashOf(0x33)));
  static const Bytes encoded = EncodeOp(op);
  Bytes tampered = encoded;
  const size_t i = *rc::gen::inRange<size_t>(0, encoded.size());
  const uint8_t mask = *rc::gen::inRange<int>(1, 256);
  tampered[i] ^= mask;
  auto decoded = DecodeOp(tampered);
  if (!decoded.ok()) {
    RC_ASSERT(!decoded.status().field().empty());
    return;
  }
  RC_ASSERT(!VerifyOp(*decoded, kNetwork).ok());
}

// --- Size limit ---

TEST(Operation, SignOpRefusesABodyLenBeyondTheLimit) {
  auto op = SignOp(KeyOf(1), kNetwork, Draft(1, std::nullopt, "node", Bytes(kMaxOpBytes + 1, 0)));
  ExpectStatus(op, Status::Code::kMalformed, "op.header.body_len");
}

TEST(Operation, SignOpRefusesAnOpBeyondTheLimitInAll) {
  // The body alone fits body_len, but header, signature and body together do not.
  auto op = SignOp(KeyOf(1), kNetwork, Draft(1, std::nullopt, "node", Bytes(kMaxOpBytes, 0)));
  ExpectStatus(op, Status::Code::kMalformed, "op");
}

// The body size that makes an op exactly kMaxOpBytes in all.
size_t BodySizeForMaxOp() {
  SignedOp probe = Sign(Draft(1, std::nullopt, "node", Bytes(kMaxOpBytes - 1000, 0)));
  return probe.body->size() + (kMaxOpBytes - probe.size());
}

TEST(Operation, AnOpOfExactlyTheLimitIsAccepted) {
  SignedOp op = Sign(Draft(1, std::nullopt, "node", Bytes(BodySizeForMaxOp(), 0x5a)));
  ASSERT_EQ(op.size(), kMaxOpBytes);
  auto decoded = DecodeOp(EncodeOp(op));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameOp(*decoded, op);
  EXPECT_TRUE(VerifyOp(*decoded, kNetwork).ok());
}

TEST(Operation, AnOpOneByteOverTheLimitIsRefused) {
  auto op =
      SignOp(KeyOf(1), kNetwork, Draft(1, std::nullopt, "node", Bytes(BodySizeForMaxOp() + 1, 0)));
  ExpectStatus(op, Status::Code::kMalformed, "op");
}

// An op over the limit that SignOp would not make: a valid header for a kMaxOpBytes body.
struct Oversized {
  Bytes header_bytes;
  Signature signature{};
  Bytes body;
};
Oversized MakeOversized() {
  Oversized o;
  o.body = Bytes(kMaxOpBytes, 0x42);
  OpHeader h = SampleHeader(1);
  h.body_hash = Blake2b256({o.body});
  h.body_len = o.body.size();
  o.header_bytes = EncodeHeader(h);
  o.signature = KeyOf(1).Sign(OpSigningMessage(kNetwork, o.header_bytes));
  return o;
}

TEST(Operation, AssembleOpRefusesAnOpBeyondTheLimit) {
  Oversized o = MakeOversized();
  ExpectStatus(AssembleOp(o.header_bytes, o.signature, ByteView(o.body)), Status::Code::kMalformed,
               "op");
}

TEST(Operation, DecodeOpRefusesAnOpBeyondTheLimit) {
  Oversized o = MakeOversized();
  Bytes encoded = Pack([&](MsgpackWriter& w) {
    w.Array(3);
    w.Bin(o.header_bytes);
    w.Bin(o.signature);
    w.Bin(o.body);
  });
  ExpectStatus(DecodeOp(encoded), Status::Code::kMalformed, "op");
  ExpectStatus(DecodeOp(Bytes(kMaxOpBytes + 100, 0xc0)), Status::Code::kMalformed, "op");
}

// --- Erased bodies ---

TEST(Operation, ErasedBodyStillVerifies) {
  SignedOp op = Sign(Draft());
  const Hash id = op.id;
  op.body.reset();
  EXPECT_TRUE(VerifyOp(op, kNetwork).ok());
  EXPECT_EQ(op.size(), op.header_bytes.size() + 64);
  auto decoded = DecodeOp(EncodeOp(op));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_FALSE(decoded->body.has_value());
  EXPECT_EQ(decoded->id, id);
  EXPECT_TRUE(VerifyOp(*decoded, kNetwork).ok());
  auto assembled = AssembleOp(op.header_bytes, op.signature, std::nullopt);
  ASSERT_TRUE(assembled.ok());
  ExpectSameOp(*assembled, op);
}

TEST(Operation, ErasedBodyIsEncodedAsNil) {
  SignedOp op = Sign(Draft());
  op.body.reset();
  Bytes encoded = EncodeOp(op);
  EXPECT_EQ(encoded.back(), 0xc0);
}

TEST(Operation, ErasedGenesisStillIdentifiesTheNetwork) {
  SignedOp genesis = Sign(GenesisDraft());
  genesis.body.reset();
  EXPECT_TRUE(VerifyOp(genesis, genesis.id).ok());
}

// --- DecodeOp structure ---

Bytes OpWith(const std::function<void(MsgpackWriter&)>& write) { return Pack(write); }

TEST(DecodeOp, RejectsWhatIsNotAThreeElementArray) {
  SignedOp op = Sign(Draft());
  ExpectStatus(DecodeOp(Bytes{}), Status::Code::kMalformed, "op");
  ExpectStatus(DecodeOp(UintPiece(1)), Status::Code::kMalformed, "op");
  ExpectStatus(DecodeOp(OpWith([&](MsgpackWriter& w) {
                 w.Array(2);
                 w.Bin(op.header_bytes);
                 w.Bin(op.signature);
               })),
               Status::Code::kMalformed, "op");
  ExpectStatus(DecodeOp(OpWith([&](MsgpackWriter& w) {
                 w.Array(4);
                 w.Bin(op.header_bytes);
                 w.Bin(op.signature);
                 w.Bin(*op.body);
                 w.Nil();
               })),
               Status::Code::kMalformed, "op");
}

TEST(DecodeOp, RejectsAHeaderThatIsNotBin) {
  SignedOp op = Sign(Draft());
  ExpectStatus(DecodeOp(OpWith([&](MsgpackWriter& w) {
                 w.Array(3);
                 w.Str(std::string(op.header_bytes.begin(), op.header_bytes.end()));
                 w.Bin(op.signature);
                 w.Bin(*op.body);
               })),
               Status::Code::kMalformed, "op.header");
  // The header is bin holding msgpack, not msgpack inline (whose 8 fields the op's parser
  // refuses before looking closer: no container in an op has more than 4 items).
  Bytes inline_header = {0x93};
  Append(inline_header, op.header_bytes);
  Append(inline_header, Pack([&](MsgpackWriter& w) {
           w.Bin(op.signature);
           w.Bin(*op.body);
         }));
  ExpectStatus(DecodeOp(inline_header), Status::Code::kMalformed, "op");
}

TEST(DecodeOp, RejectsASignatureThatIsNotSixtyFourBytesOfBin) {
  SignedOp op = Sign(Draft());
  for (size_t n : {0u, 32u, 63u, 65u}) {
    SCOPED_TRACE(n);
    ExpectStatus(DecodeOp(OpWith([&](MsgpackWriter& w) {
                   w.Array(3);
                   w.Bin(op.header_bytes);
                   w.Bin(Bytes(n, 1));
                   w.Bin(*op.body);
                 })),
                 Status::Code::kMalformed, "op.signature");
  }
  ExpectStatus(DecodeOp(OpWith([&](MsgpackWriter& w) {
                 w.Array(3);
                 w.Bin(op.header_bytes);
                 w.Nil();
                 w.Bin(*op.body);
               })),
               Status::Code::kMalformed, "op.signature");
}

TEST(DecodeOp, RejectsABodyThatIsNeitherBinNorNil) {
  SignedOp op = Sign(Draft());
  ExpectStatus(DecodeOp(OpWith([&](MsgpackWriter& w) {
                 w.Array(3);
                 w.Bin(op.header_bytes);
                 w.Bin(op.signature);
                 w.Str(std::string(op.body->begin(), op.body->end()));
               })),
               Status::Code::kMalformed, "op.body");
}

TEST(DecodeOp, RejectsTrailingBytes) {
  Bytes encoded = EncodeOp(Sign(Draft()));
  encoded.push_back(0xc0);
  ExpectStatus(DecodeOp(encoded), Status::Code::kMalformed, "op");
}

TEST(DecodeOp, RejectsEveryTruncation) {
  Bytes encoded = EncodeOp(Sign(Draft()));
  for (size_t n = 0; n < encoded.size(); ++n) {
    SCOPED_TRACE(n);
    ExpectStatus(DecodeOp(Bytes(encoded.begin(), encoded.begin() + static_cast<ptrdiff_t>(n))),
                 Status::Code::kMalformed, "op");
  }
}

TEST(DecodeOp, NamesTheHeaderFieldThatIsWrong) {
  // A malformed header inside an op gets the same field name as on its own.
  SignedOp op = Sign(Draft());
  Bytes header = HeaderReplacing(op.header, kSeq, UintPiece(0));
  ExpectStatus(DecodeOp(OpWith([&](MsgpackWriter& w) {
                 w.Array(3);
                 w.Bin(header);
                 w.Bin(op.signature);
                 w.Bin(*op.body);
               })),
               Status::Code::kMalformed, "op.header.seq");
}

// --- SignOp ---

TEST(SignOp, RefusesADraftThatBreaksAHeaderRule) {
  ExpectStatus(SignOp(KeyOf(1), kNetwork, Draft(0)), Status::Code::kMalformed, "op.header.seq");
  ExpectStatus(SignOp(KeyOf(1), kNetwork, Draft(1, HashOf(1))), Status::Code::kMalformed,
               "op.header.prev");
  ExpectStatus(SignOp(KeyOf(1), kNetwork, Draft(2)), Status::Code::kMalformed, "op.header.prev");
  for (std::string type :
       std::vector<std::string>{"", "Node", "node-v2", std::string(kMaxOpTypeLength + 1, 'a')}) {
    SCOPED_TRACE(type);
    ExpectStatus(SignOp(KeyOf(1), kNetwork, Draft(1, std::nullopt, type)), Status::Code::kMalformed,
                 "op.header.type");
  }
}

// --- Properties ---

rc::Gen<std::string> GenOpType() {
  auto first = rc::gen::elementOf(std::string("abcdefghijklmnopqrstuvwxyz"));
  auto rest = rc::gen::container<std::string>(
      rc::gen::elementOf(std::string("abcdefghijklmnopqrstuvwxyz0123456789_.")));
  return rc::gen::suchThat(rc::gen::map(rc::gen::pair(first, rest),
                                        [](const std::pair<char, std::string>& p) {
                                          return (p.first + p.second).substr(0, kMaxOpTypeLength);
                                        }),
                           [](const std::string& t) { return t != "genesis"; });
}

rc::Gen<OpDraft> GenDraft() {
  return rc::gen::exec([] {
    OpDraft d;
    d.seq = *rc::gen::oneOf(rc::gen::inRange<uint64_t>(1, 5),
                            rc::gen::inRange<uint64_t>(1, ~uint64_t{0}));
    if (d.seq > 1) d.prev = *testing::GenBytes32();
    d.hlc = Hlc::FromParts(*rc::gen::inRange<uint64_t>(0, Hlc::kMaxOpMillis + 1),
                           *rc::gen::arbitrary<uint16_t>());
    d.type = *GenOpType();
    d.body = *rc::gen::arbitrary<Bytes>();
    return d;
  });
}

RC_GTEST_PROP(Operation, RoundTripsAndVerifiesAnyValidDraft, ()) {
  const OpDraft draft = *GenDraft();
  const auto seed = *rc::gen::arbitrary<Seed>();
  const Hash network = *testing::GenBytes32();
  auto op = SignOp(SigningKey::FromSeed(seed), network, draft);
  RC_ASSERT(op.ok());
  auto decoded = DecodeOp(EncodeOp(*op));
  RC_ASSERT(decoded.ok());
  RC_ASSERT(decoded->header == op->header);
  RC_ASSERT(decoded->header_bytes == op->header_bytes);
  RC_ASSERT(decoded->signature == op->signature);
  RC_ASSERT(decoded->body == op->body);
  RC_ASSERT(decoded->id == op->id);
  RC_ASSERT(VerifyOp(*decoded, network).ok());
  Hash other = network;
  other[*rc::gen::inRange<size_t>(0, 32)] ^= 1;
  RC_ASSERT(VerifyOp(*decoded, other).field() == "op.signature");
}

RC_GTEST_PROP(DecodeHeader, AcceptsExactlyTheCanonicalEncoding, ()) {
  const OpDraft draft = *GenDraft();
  auto op = SignOp(KeyOf(1), kNetwork, draft);
  RC_ASSERT(op.ok());
  auto decoded = DecodeHeader(op->header_bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == op->header);
  RC_ASSERT(EncodeHeader(*decoded) == op->header_bytes);
}

RC_GTEST_PROP(DecodeOp, NeverCrashesOnArbitraryBytes, (const std::vector<uint8_t>& bytes)) {
  auto decoded = DecodeOp(bytes);
  if (!decoded.ok()) {
    RC_ASSERT(decoded.status().field().rfind("op", 0) == 0);
    RC_ASSERT(!decoded.status().detail().empty());
  }
}

}  // namespace
}  // namespace nanse
