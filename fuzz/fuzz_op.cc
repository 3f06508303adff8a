// Fuzzes the op decoders: whole ops, bare headers and bodies of every known type.
#include "crdt/op_bodies.h"
#include "crdt/operation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nanse::ByteView bytes(data, size);
  auto op = nanse::DecodeOp(bytes);
  if (op.ok()) {
    // A decoded op re-encodes to the very same bytes: nothing is lost or normalized.
    nanse::Bytes again = nanse::EncodeOp(*op);
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) __builtin_trap();
    if (op->body) (void)nanse::ValidateOpBody(op->header.type, *op->body);
    (void)nanse::VerifyOp(*op, nanse::Hash{});
  }
  (void)nanse::DecodeHeader(bytes);
  (void)nanse::DecodeNodeBody(bytes);
  (void)nanse::DecodeGenesisBody(bytes);
  return 0;
}
