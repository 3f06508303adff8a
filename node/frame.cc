#include "node/frame.h"

#include <algorithm>
#include <string>

namespace nanse {

Result<Bytes> EncodeFrame(ByteView message) {
  if (message.empty() || message.size() > kMaxFrameMessage) {
    return Status::Usage("frame", "a message of 1.." + std::to_string(kMaxFrameMessage) +
                                      " bytes, got " + std::to_string(message.size()));
  }
  Bytes frame;
  frame.reserve(kFrameHeaderSize + message.size());
  frame.push_back(static_cast<uint8_t>(message.size() >> 8));
  frame.push_back(static_cast<uint8_t>(message.size() & 0xff));
  Append(frame, message);
  return frame;
}

FrameDecoder::FrameDecoder(size_t max_message)
    : max_message_(std::clamp<size_t>(max_message, 1, kMaxFrameMessage)) {}

Result<size_t> FrameDecoder::Feed(ByteView input) {
  if (failed()) return failure_;
  size_t used = 0;
  while (used < input.size() && !complete_) {
    if (header_have_ < kFrameHeaderSize) {
      header_[header_have_++] = input[used++];
      if (header_have_ < kFrameHeaderSize) continue;
      length_ = (size_t{header_[0]} << 8) | header_[1];
      if (length_ == 0 || length_ > max_message_) {
        failure_ = Status::Malformed("frame.length", "expected 1.." + std::to_string(max_message_) +
                                                         ", got " + std::to_string(length_));
        return failure_;
      }
      body_.clear();
      body_.reserve(length_);
      continue;
    }
    const size_t take = std::min(length_ - body_.size(), input.size() - used);
    body_.insert(body_.end(), input.begin() + static_cast<ptrdiff_t>(used),
                 input.begin() + static_cast<ptrdiff_t>(used + take));
    used += take;
    if (body_.size() == length_) complete_ = true;
  }
  return used;
}

std::optional<Bytes> FrameDecoder::Take() {
  if (!complete_) return std::nullopt;
  Bytes message = std::move(body_);
  body_ = Bytes();
  header_have_ = 0;
  length_ = 0;
  complete_ = false;
  return message;
}

size_t FrameDecoder::needed() const {
  if (failed() || complete_) return 0;
  if (header_have_ < kFrameHeaderSize) return kFrameHeaderSize - header_have_;
  return length_ - body_.size();
}

}  // namespace nanse
