// Fuzzes the op decoders: whole ops, bare headers and bodies of every known type.
#include "crdt/directory_ops.h"
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
  for (const char* type : {"member.add", "member.set", "project.add", "project.set", "project.join",
                           "project.leave", "dues.schedule", "dues.record"}) {
    auto change = nanse::DecodeDirectoryOp(type, bytes);
    if (change.ok()) {
      // Whatever decodes must render without trouble.
      for (const auto& w : change->writes) {
        const nanse::FieldSpec* spec = nanse::FindField(w.table, w.field);
        if (spec && w.value) (void)nanse::FieldValueToJson(*spec, *w.value);
      }
    }
  }
  return 0;
}
