#include "node/frame.h"

#include <gtest/gtest.h>

namespace nanse {
namespace {

Bytes Message(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 7 + 1);
  return b;
}

TEST(Frame, EncodeIsABigEndianLengthThenTheMessage) {
  const Bytes frame = EncodeFrame(Message(300)).value();
  ASSERT_EQ(frame.size(), 302u);
  EXPECT_EQ(frame[0], 0x01);
  EXPECT_EQ(frame[1], 0x2c);
  EXPECT_EQ(Bytes(frame.begin() + 2, frame.end()), Message(300));
}

TEST(Frame, EncodeRefusesEmptyAndOversizedMessages) {
  EXPECT_EQ(EncodeFrame({}).status().code(), Status::Code::kUsage);
  EXPECT_EQ(EncodeFrame(Message(65536)).status().code(), Status::Code::kUsage);
  EXPECT_TRUE(EncodeFrame(Message(65535)).ok());
}

TEST(FrameDecoder, DecodesWhateverTheChunks) {
  Bytes stream;
  for (size_t n : {1u, 2u, 300u, 65535u, 17u}) Append(stream, EncodeFrame(Message(n)).value());
  for (size_t chunk : {1u, 2u, 3u, 1000u, 100000u}) {
    FrameDecoder d;
    std::vector<size_t> sizes;
    ByteView rest(stream);
    while (!rest.empty()) {
      ByteView piece = rest.first(std::min(chunk, rest.size()));
      rest = rest.subspan(piece.size());
      while (!piece.empty()) {
        auto used = d.Feed(piece);
        ASSERT_TRUE(used.ok()) << used.status().ToString();
        piece = piece.subspan(*used);
        if (auto m = d.Take()) {
          EXPECT_EQ(*m, Message(m->size()));
          sizes.push_back(m->size());
        }
      }
    }
    EXPECT_EQ(sizes, (std::vector<size_t>{1, 2, 300, 65535, 17})) << "chunk " << chunk;
    EXPECT_FALSE(d.in_frame());
    EXPECT_EQ(d.needed(), 2u);
  }
}

TEST(FrameDecoder, StopsAtTheEndOfAFrameUntilTaken) {
  Bytes two = EncodeFrame(Message(3)).value();
  Append(two, EncodeFrame(Message(4)).value());
  FrameDecoder d;
  EXPECT_EQ(*d.Feed(two), 5u);
  EXPECT_EQ(d.needed(), 0u);
  EXPECT_EQ(*d.Feed(ByteView(two).subspan(5)), 0u);  // nothing more until Take
  EXPECT_EQ(d.Take()->size(), 3u);
  EXPECT_EQ(*d.Feed(ByteView(two).subspan(5)), 6u);
  EXPECT_EQ(d.Take()->size(), 4u);
  EXPECT_FALSE(d.Take());
}

TEST(FrameDecoder, NeededCountsTheHeaderThenTheBody) {
  FrameDecoder d;
  EXPECT_EQ(d.needed(), 2u);
  const Bytes frame = EncodeFrame(Message(10)).value();
  ASSERT_TRUE(d.Feed(ByteView(frame).first(1)).ok());
  EXPECT_EQ(d.needed(), 1u);
  EXPECT_TRUE(d.in_frame());
  ASSERT_TRUE(d.Feed(ByteView(frame).subspan(1, 4)).ok());
  EXPECT_EQ(d.needed(), 7u);
}

TEST(FrameDecoder, ZeroLengthFailsAndStaysFailed) {
  FrameDecoder d;
  const Bytes zero = {0, 0};
  auto used = d.Feed(zero);
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.status().field(), "frame.length");
  EXPECT_TRUE(d.failed());
  EXPECT_FALSE(d.Feed(EncodeFrame(Message(3)).value()).ok());
  EXPECT_EQ(d.needed(), 0u);
}

TEST(FrameDecoder, LengthAboveTheMaximumFailsBeforeTheBody) {
  FrameDecoder d(1000);
  const Bytes header = {0x03, 0xe9};  // 1001
  auto used = d.Feed(header);
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.status().field(), "frame.length");
  FrameDecoder ok(1000);
  const Bytes max = {0x03, 0xe8};  // 1000
  EXPECT_TRUE(ok.Feed(max).ok());
}

}  // namespace
}  // namespace nanse
