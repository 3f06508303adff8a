// Fuzzes the text decoders a user pastes: invite codes, version vectors, base32 and base64url.
#include <string_view>

#include "crdt/invite_code.h"
#include "crdt/text_codec.h"
#include "crdt/version_vector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto code = nanse::DecodeInviteCode(text);
  if (code.ok()) {
    // The decoder accepts only the four roles and hlcs an op header could carry.
    if (code->role != "admin" && code->role != "treasurer" && code->role != "member" &&
        code->role != "observer") {
      __builtin_trap();
    }
    if (code->invite_hlc.millis() > nanse::Hlc::kMaxOpMillis) __builtin_trap();
    auto again = nanse::DecodeInviteCode(nanse::EncodeInviteCode(*code));
    if (!again.ok() || !(*again == *code)) __builtin_trap();
  }
  auto vv = nanse::VersionVector::FromText(text);
  if (vv.ok()) {
    auto again = nanse::VersionVector::FromText(vv->ToText());
    if (!again.ok() || !(*again == *vv)) __builtin_trap();
  }
  auto b32 = nanse::Base32Decode(text);
  if (b32.ok() && nanse::Base32Encode(*b32) != text) __builtin_trap();
  auto b64 = nanse::Base64UrlDecode(text);
  if (b64.ok() && nanse::Base64UrlEncode(*b64) != text) __builtin_trap();
  return 0;
}
