// Frames of the TCP transport (ARCHITECTURE.md section 6):
//
//   frame = length (2 bytes, big-endian, 1..65535) || message (length bytes)
//
// A message is one whole Noise message, handshake or transport; no message spans two frames
// and none needs reassembly. A length of 0 is invalid. Pure: no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "crdt/bytes.h"
#include "crdt/status.h"
#include "node/noise.h"

namespace nanse {

inline constexpr size_t kFrameHeaderSize = 2;
inline constexpr size_t kMaxFrameMessage = kMaxNoiseMessage;  // 65535

// The frame that carries `message`. Fails (Usage "frame") when the message is empty or longer
// than kMaxFrameMessage.
Result<Bytes> EncodeFrame(ByteView message);

// Cuts a byte stream into messages, whatever the sizes of the pieces it arrives in. Holds at
// most one partial frame (2 + max_message bytes). After a failure it stays failed: the
// transport drops the peer, since the stream can no longer be cut reliably.
//
//   FrameDecoder d;
//   while (!input.empty()) {
//     NANSE_ASSIGN_OR_RETURN(size_t used, d.Feed(input));
//     input = input.subspan(used);
//     if (auto message = d.Take()) Handle(*message);
//   }
class FrameDecoder {
 public:
  // REQUIRES: 1 <= max_message <= kMaxFrameMessage.
  explicit FrameDecoder(size_t max_message = kMaxFrameMessage);

  // Consumes bytes from the front of `input` until one frame is complete or `input` is used
  // up, and returns how many it consumed. Once a frame is complete it consumes nothing more
  // until Take() has taken the message. Fails (Malformed "frame.length") on a length of 0 or
  // above max_message, and on every call after that.
  Result<size_t> Feed(ByteView input);

  // The message of the frame just completed, if any; the decoder then starts the next frame.
  std::optional<Bytes> Take();

  // How many more bytes the current frame needs before its next step (the header's remaining
  // bytes, else the body's): a reader may ask for exactly that many. 0 when a message waits
  // to be taken or the decoder failed.
  size_t needed() const;
  // True between the first byte of a frame and its last.
  bool in_frame() const { return header_have_ > 0 && !complete_; }
  bool failed() const { return !failure_.ok(); }

 private:
  size_t max_message_;
  std::array<uint8_t, kFrameHeaderSize> header_{};
  size_t header_have_ = 0;
  size_t length_ = 0;
  Bytes body_;
  bool complete_ = false;
  Status failure_;
};

}  // namespace nanse
