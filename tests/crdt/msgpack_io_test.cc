// Tests of crdt/msgpack_io: strict, bounded reading of untrusted msgpack and canonical writing.
#include "crdt/msgpack_io.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tests/crdt/generators.h"

// To check that a hostile length does not make the parser allocate, this test binary counts
// the bytes malloc hands out while a test asks it to. msgpack-c's zone allocates with
// ::malloc, so replacing operator new would not see it; glibc lets a program interpose malloc
// itself and forward to __libc_malloc. Sanitizers interpose malloc too, so under them the
// count is off (and AddressSanitizer aborts on a huge allocation by itself).
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define NANSE_TEST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define NANSE_TEST_SANITIZED 1
#endif
#if defined(__GLIBC__) && !defined(NANSE_TEST_SANITIZED)
#define NANSE_TEST_COUNTS_MALLOC 1
#endif

namespace {
std::atomic<bool> g_count_allocations{false};
std::atomic<size_t> g_allocated_bytes{0};
std::atomic<size_t> g_largest_allocation{0};

[[maybe_unused]] void CountAllocation(size_t n) {
  if (!g_count_allocations.load(std::memory_order_relaxed)) return;
  g_allocated_bytes.fetch_add(n, std::memory_order_relaxed);
  size_t largest = g_largest_allocation.load(std::memory_order_relaxed);
  while (n > largest && !g_largest_allocation.compare_exchange_weak(largest, n)) {
  }
}

// Counts what is allocated in its lifetime.
class AllocationCounter {
 public:
  AllocationCounter() {
    g_allocated_bytes = 0;
    g_largest_allocation = 0;
    g_count_allocations = true;
  }
  ~AllocationCounter() { g_count_allocations = false; }
  size_t total() const { return g_allocated_bytes; }
  size_t largest() const { return g_largest_allocation; }
};
}  // namespace

#if NANSE_TEST_COUNTS_MALLOC
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* p, size_t size);

void* malloc(size_t size) noexcept {
  CountAllocation(size);
  return __libc_malloc(size);
}
void* calloc(size_t count, size_t size) noexcept {
  CountAllocation(count * size);
  return __libc_calloc(count, size);
}
void* realloc(void* p, size_t size) noexcept {
  CountAllocation(size);
  return __libc_realloc(p, size);
}
}
#endif

namespace nanse::detail {
namespace {

Bytes Pack(const std::function<void(MsgpackWriter&)>& write) {
  MsgpackWriter w;
  write(w);
  return w.Take();
}

// Unpacks bytes that the test knows to be one valid msgpack value.
msgpack::object_handle Unpack(const Bytes& bytes) {
  auto handle = UnpackExactlyOne(bytes, "t");
  EXPECT_TRUE(handle.ok()) << handle.status().ToString();
  return handle.ok() ? std::move(*handle) : msgpack::object_handle();
}

template <typename T>
void ExpectMalformed(const Result<T>& r, const std::string& field) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kMalformed);
  EXPECT_EQ(r.status().field(), field) << r.status().ToString();
  EXPECT_FALSE(r.status().detail().empty());
}

void ExpectMalformed(const Status& s, const std::string& field) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kMalformed);
  EXPECT_EQ(s.field(), field) << s.ToString();
  EXPECT_FALSE(s.detail().empty());
}

// --- MsgpackWriter ---

TEST(MsgpackWriter, WritesTheSmallestFormOfEachUnsignedInteger) {
  auto uint = [](uint64_t v) { return Pack([v](MsgpackWriter& w) { w.Uint(v); }); };
  EXPECT_EQ(uint(0), (Bytes{0x00}));
  EXPECT_EQ(uint(127), (Bytes{0x7f}));
  EXPECT_EQ(uint(128), (Bytes{0xcc, 0x80}));
  EXPECT_EQ(uint(255), (Bytes{0xcc, 0xff}));
  EXPECT_EQ(uint(256), (Bytes{0xcd, 0x01, 0x00}));
  EXPECT_EQ(uint(65536), (Bytes{0xce, 0x00, 0x01, 0x00, 0x00}));
  EXPECT_EQ(uint(uint64_t{1} << 32), (Bytes{0xcf, 0, 0, 0, 1, 0, 0, 0, 0}));
}

TEST(MsgpackWriter, WritesTheSmallestFormOfStringsAndBins) {
  EXPECT_EQ(Pack([](MsgpackWriter& w) { w.Str(""); }), (Bytes{0xa0}));
  EXPECT_EQ(Pack([](MsgpackWriter& w) { w.Str(std::string(31, 'x')); })[0], 0xbf);
  EXPECT_EQ(Pack([](MsgpackWriter& w) { w.Str(std::string(32, 'x')); })[0], 0xd9);
  EXPECT_EQ(Pack([](MsgpackWriter& w) { w.Str(std::string(256, 'x')); })[0], 0xda);
  EXPECT_EQ(Pack([](MsgpackWriter& w) { w.Bin(Bytes{}); }), (Bytes{0xc4, 0x00}));
  EXPECT_EQ(Pack([](MsgpackWriter& w) { w.Bin(Bytes(256, 1)); })[0], 0xc5);
  EXPECT_EQ(Pack([](MsgpackWriter& w) { w.Array(8); }), (Bytes{0x98}));
  EXPECT_EQ(Pack([](MsgpackWriter& w) { w.Array(16); }), (Bytes{0xdc, 0x00, 0x10}));
}

// --- UnpackExactlyOne ---

TEST(UnpackExactlyOne, ReadsOneValue) {
  auto handle = UnpackExactlyOne(Bytes{0x92, 0x01, 0xa1, 'x'}, "thing");
  ASSERT_TRUE(handle.ok()) << handle.status().ToString();
  EXPECT_EQ(handle->get().type, msgpack::type::ARRAY);
  EXPECT_EQ(handle->get().via.array.size, 2u);
}

TEST(UnpackExactlyOne, OwnsWhatItReturns) {
  // Strings and bins are copied out of the input, which may go away.
  msgpack::object_handle handle;
  {
    Bytes input = Pack([](MsgpackWriter& w) { w.Str("hello"); });
    auto r = UnpackExactlyOne(input, "t");
    ASSERT_TRUE(r.ok());
    handle = std::move(*r);
    input.assign(input.size(), 0);
  }
  EXPECT_EQ(std::string(handle.get().via.str.ptr, handle.get().via.str.size), "hello");
}

TEST(UnpackExactlyOne, RejectsEmptyInput) {
  ExpectMalformed(UnpackExactlyOne(Bytes{}, "thing"), "thing");
}

TEST(UnpackExactlyOne, RejectsTrailingBytes) {
  auto r = UnpackExactlyOne(Bytes{0x01, 0x02}, "thing");
  ExpectMalformed(r, "thing");
  EXPECT_NE(r.status().detail().find("trailing"), std::string::npos);
}

TEST(UnpackExactlyOne, RejectsTruncatedInput) {
  for (Bytes bad : {Bytes{0x92, 0x01}, Bytes{0xcd, 0x01}, Bytes{0xa3, 'a', 'b'}, Bytes{0xc4},
                    Bytes{0xc4, 0x02, 0x00}, Bytes{0x81, 0xa1, 'k'}}) {
    auto r = UnpackExactlyOne(bad, "thing");
    ExpectMalformed(r, "thing");
    EXPECT_NE(r.status().detail().find("truncated"), std::string::npos) << r.status().ToString();
  }
}

TEST(UnpackExactlyOne, RejectsBytesThatAreNeverMsgpack) {
  ExpectMalformed(UnpackExactlyOne(Bytes{0xc1}, "thing"), "thing");
}

TEST(UnpackExactlyOne, RejectsExtTypes) {
  ExpectMalformed(UnpackExactlyOne(Bytes{0xd4, 0x01, 0x00}, "thing"), "thing");
  ExpectMalformed(UnpackExactlyOne(Bytes{0xc7, 0x00, 0x05}, "thing"), "thing");
}

TEST(UnpackExactlyOne, RejectsAHostileArrayHeaderWithoutAllocating) {
  // Five bytes claiming 2^32-1 elements: 96 GiB of msgpack::object if believed.
  const Bytes hostile = {0xdd, 0xff, 0xff, 0xff, 0xff};
  AllocationCounter counter;
  auto r = UnpackExactlyOne(hostile, "thing");
  size_t total = counter.total();
  size_t largest = counter.largest();
  ExpectMalformed(r, "thing");
#if NANSE_TEST_COUNTS_MALLOC
  EXPECT_LT(largest, 64u * 1024) << "total " << total;
  EXPECT_LT(total, 256u * 1024);
#else
  (void)total;
  (void)largest;
#endif
}

TEST(UnpackExactlyOne, RejectsNestedHostileHeadersWithoutAllocating) {
  // Eight nested headers, each claiming as many elements as the item limit allows: believed,
  // they would cost 8 * 2^20 msgpack::objects (192 MiB) for 40 bytes of input.
  Bytes hostile;
  for (int i = 0; i < 8; ++i) Append(hostile, Bytes{0xdd, 0x00, 0x10, 0x00, 0x00});
  AllocationCounter counter;
  auto r = UnpackExactlyOne(hostile, "thing", 1u << 20);
  size_t total = counter.total();
  ExpectMalformed(r, "thing");
#if NANSE_TEST_COUNTS_MALLOC
  EXPECT_LT(total, 64u * 1024);
#else
  (void)total;
#endif
}

TEST(UnpackExactlyOne, AllocatesInProportionToTheInput) {
  // A container that claims no more elements than the input has bytes is believed until the
  // input runs out; what it costs is then bounded by the input's size.
  Bytes claims_all = {0xdc, 0x03, 0xe8};  // an array of 1000
  claims_all.resize(1003, 0xc0);
  claims_all.resize(1002);  // one nil short
  AllocationCounter counter;
  auto r = UnpackExactlyOne(claims_all, "thing", 4096);
  size_t total = counter.total();
  ExpectMalformed(r, "thing");
#if NANSE_TEST_COUNTS_MALLOC
  EXPECT_LT(total, 64 * claims_all.size() + 16u * 1024);
#else
  (void)total;
#endif
}

TEST(UnpackExactlyOne, AcceptsContainersThatClaimEveryRemainingByte) {
  // The tightest valid inputs: every byte after the headers is one element.
  Bytes array = {0xdc, 0x0f, 0xff};  // an array of 4095 nils
  array.resize(3 + 4095, 0xc0);
  EXPECT_TRUE(UnpackExactlyOne(array, "t").ok());
  Bytes map = {0xde, 0x07, 0xff};  // a map of 2047 nil: nil pairs
  map.resize(3 + 2 * 2047, 0xc0);
  EXPECT_TRUE(UnpackExactlyOne(map, "t").ok());
  Bytes nested = {0x91, 0x91, 0x91, 0x93, 0xc0, 0xc0, 0xc0};  // [[[[nil, nil, nil]]]]
  EXPECT_TRUE(UnpackExactlyOne(nested, "t").ok());
}

TEST(UnpackExactlyOne, RejectsAHostileMapHeaderWithoutAllocating) {
  const Bytes hostile = {0xdf, 0xff, 0xff, 0xff, 0xff};
  AllocationCounter counter;
  auto r = UnpackExactlyOne(hostile, "thing");
  size_t largest = counter.largest();
  ExpectMalformed(r, "thing");
#if NANSE_TEST_COUNTS_MALLOC
  EXPECT_LT(largest, 64u * 1024);
#else
  (void)largest;
#endif
}

TEST(UnpackExactlyOne, RejectsHostileStringAndBinLengthsWithoutAllocating) {
  for (uint8_t marker : {0xdb, 0xc6}) {  // str 32, bin 32
    const Bytes hostile = {marker, 0xff, 0xff, 0xff, 0xff, 'x'};
    AllocationCounter counter;
    auto r = UnpackExactlyOne(hostile, "thing");
    size_t largest = counter.largest();
    ExpectMalformed(r, "thing");
#if NANSE_TEST_COUNTS_MALLOC
    EXPECT_LT(largest, 64u * 1024);
#else
    (void)largest;
#endif
  }
}

TEST(UnpackExactlyOne, HonoursTheItemLimitOfEachContainer) {
  Bytes sixteen = Pack([](MsgpackWriter& w) {
    w.Array(16);
    for (int i = 0; i < 16; ++i) w.Nil();
  });
  Bytes seventeen = Pack([](MsgpackWriter& w) {
    w.Array(17);
    for (int i = 0; i < 17; ++i) w.Nil();
  });
  EXPECT_TRUE(UnpackExactlyOne(sixteen, "t", 16).ok());
  ExpectMalformed(UnpackExactlyOne(seventeen, "t", 16), "t");
  Bytes map17 = Pack([](MsgpackWriter& w) {
    w.Map(17);
    for (int i = 0; i < 17; ++i) {
      w.Uint(static_cast<uint64_t>(i));
      w.Nil();
    }
  });
  ExpectMalformed(UnpackExactlyOne(map17, "t", 16), "t");
}

Bytes Nested(int depth) {
  Bytes b(static_cast<size_t>(depth), 0x91);  // [[[...]]]
  b.push_back(0xc0);
  return b;
}

TEST(UnpackExactlyOne, AcceptsNestingEightDeep) {
  EXPECT_TRUE(UnpackExactlyOne(Nested(8), "t").ok());
}

TEST(UnpackExactlyOne, RejectsDeeperNesting) {
  ExpectMalformed(UnpackExactlyOne(Nested(9), "t"), "t");
  ExpectMalformed(UnpackExactlyOne(Nested(100000), "t"), "t");
  Bytes maps;  // {nil: {nil: ...}}
  for (int i = 0; i < 1000; ++i) {
    maps.push_back(0x81);
    maps.push_back(0xc0);
  }
  maps.push_back(0xc0);
  ExpectMalformed(UnpackExactlyOne(maps, "t"), "t");
}

RC_GTEST_PROP(UnpackExactlyOne, NeverCrashesOnArbitraryBytes, (const std::vector<uint8_t>& bytes)) {
  auto r = UnpackExactlyOne(bytes, "t", 16);
  if (!r.ok()) {
    RC_ASSERT(r.status().field() == "t");
    RC_ASSERT(!r.status().detail().empty());
  }
}

// --- readers ---

TEST(TypeName, NamesEveryType) {
  EXPECT_EQ(TypeName(Unpack({0xc0}).get()), "nil");
  EXPECT_EQ(TypeName(Unpack({0xc3}).get()), "bool");
  EXPECT_EQ(TypeName(Unpack({0x01}).get()), "unsigned integer");
  EXPECT_EQ(TypeName(Unpack({0xff}).get()), "negative integer");
  EXPECT_EQ(TypeName(Unpack({0xca, 0, 0, 0, 0}).get()), "float");
  EXPECT_EQ(TypeName(Unpack({0xa0}).get()), "str");
  EXPECT_EQ(TypeName(Unpack({0xc4, 0x00}).get()), "bin");
  EXPECT_EQ(TypeName(Unpack({0x90}).get()), "array");
  EXPECT_EQ(TypeName(Unpack({0x80}).get()), "map");
}

TEST(ExpectArray, ChecksTypeAndSize) {
  EXPECT_TRUE(ExpectArray(Unpack({0x92, 0x01, 0x02}).get(), 2, "a").ok());
  ExpectMalformed(ExpectArray(Unpack({0x92, 0x01, 0x02}).get(), 3, "a"), "a");
  ExpectMalformed(ExpectArray(Unpack({0x82, 0x01, 0x02, 0x03, 0x04}).get(), 2, "a"), "a");
}

TEST(ReadUint, AcceptsOnlyUnsignedIntegers) {
  auto r = ReadUint(Unpack({0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}).get(), "u");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::numeric_limits<uint64_t>::max());
  ExpectMalformed(ReadUint(Unpack({0xff}).get(), "u"), "u");                                // -1
  ExpectMalformed(ReadUint(Unpack({0xa1, '1'}).get(), "u"), "u");                           // "1"
  ExpectMalformed(ReadUint(Unpack({0xc3}).get(), "u"), "u");                                // true
  ExpectMalformed(ReadUint(Unpack({0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0}).get(), "u"), "u");  // 1.0
}

TEST(ReadInt, AcceptsSignedValuesThatFit) {
  auto neg = ReadInt(Unpack({0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0}).get(), "i");
  ASSERT_TRUE(neg.ok());
  EXPECT_EQ(*neg, std::numeric_limits<int64_t>::min());
  auto pos = ReadInt(Unpack({0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}).get(), "i");
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(*pos, std::numeric_limits<int64_t>::max());
  ExpectMalformed(ReadInt(Unpack({0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0}).get(), "i"), "i");
  ExpectMalformed(ReadInt(Unpack({0xc0}).get(), "i"), "i");
}

TEST(ReadBool, AcceptsOnlyBools) {
  auto t = ReadBool(Unpack({0xc3}).get(), "b");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(*t);
  ExpectMalformed(ReadBool(Unpack({0x01}).get(), "b"), "b");
  ExpectMalformed(ReadBool(Unpack({0xc0}).get(), "b"), "b");
}

TEST(ReadBin, ChecksTypeAndMaximumSize) {
  Bytes three = Pack([](MsgpackWriter& w) { w.Bin(Bytes{1, 2, 3}); });
  auto r = ReadBin(Unpack(three).get(), "b", 3);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Bytes{1, 2, 3}));
  ExpectMalformed(ReadBin(Unpack(three).get(), "b", 2), "b");
  ExpectMalformed(ReadBin(Unpack({0xa3, 1, 2, 3}).get(), "b", 3), "b");  // a str is not a bin
}

TEST(ReadBin32, WantsExactlyThirtyTwoBytes) {
  for (size_t n : {0u, 31u, 33u}) {
    Bytes b = Pack([n](MsgpackWriter& w) { w.Bin(Bytes(n, 7)); });
    ExpectMalformed(ReadBin32(Unpack(b).get(), "h"), "h");
  }
  Bytes b = Pack([](MsgpackWriter& w) { w.Bin(Bytes(32, 7)); });
  auto r = ReadBin32(Unpack(b).get(), "h");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at(31), 7);
  ExpectMalformed(
      ReadBin32(Unpack(Pack([](MsgpackWriter& w) { w.Str(std::string(32, 'x')); })).get(), "h"),
      "h");
}

Result<std::string> ReadTextOf(const std::string& s, size_t max_len = 100, bool multiline = false) {
  msgpack::object_handle h = Unpack(Pack([&](MsgpackWriter& w) { w.Str(s); }));
  return ReadText(h.get(), "s", max_len, multiline);
}

TEST(ReadText, AcceptsNonEmptyUtf8UpToTheLimit) {
  auto r = ReadTextOf(
      "Gr\xc3\xbc\xc3\x9f"
      "e",
      7);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r,
            "Gr\xc3\xbc\xc3\x9f"
            "e");
  ExpectMalformed(ReadTextOf("Gr\xc3\xbc\xc3\x9f"
                             "e",
                             6),
                  "s");
  ExpectMalformed(ReadTextOf(""), "s");
  ExpectMalformed(ReadTextOf("\xc3"), "s");
}

TEST(ReadText, RefusesControlCharactersUnlessMultiline) {
  ExpectMalformed(ReadTextOf("a\nb"), "s");
  ExpectMalformed(ReadTextOf("a\tb"), "s");
  EXPECT_TRUE(ReadTextOf("a\nb\tc", 100, true).ok());
  // Multiline text still has no carriage returns, escapes, NULs or DEL.
  for (std::string bad :
       std::vector<std::string>{"a\r\nb", "a\x1b[2J", std::string("a\0b", 3), "a\x7f"}) {
    ExpectMalformed(ReadTextOf(bad, 100, true), "s");
  }
}

TEST(ReadText, RefusesOtherTypes) {
  ExpectMalformed(ReadText(Unpack({0xc4, 0x01, 'a'}).get(), "s", 10), "s");
  ExpectMalformed(ReadText(Unpack({0x01}).get(), "s", 10), "s");
}

// --- IsValidUtf8 ---

TEST(IsValidUtf8, AcceptsWellFormedText) {
  for (std::string good : {
           std::string(), std::string("plain ascii"),
           std::string("\0", 1),             // NUL is UTF-8 (ReadText refuses it separately)
           std::string("\xc2\x80"),          // U+0080, smallest 2-byte
           std::string("\xc3\xa9"),          // é
           std::string("\xdf\xbf"),          // U+07FF
           std::string("\xe0\xa0\x80"),      // U+0800, smallest 3-byte
           std::string("\xe2\x82\xac"),      // €
           std::string("\xed\x9f\xbf"),      // U+D7FF, just below the surrogates
           std::string("\xee\x80\x80"),      // U+E000, just above
           std::string("\xef\xbf\xbf"),      // U+FFFF
           std::string("\xf0\x90\x80\x80"),  // U+10000, smallest 4-byte
           std::string("\xf0\x9f\x8c\xbb"),  // 🌻
           std::string("\xf4\x8f\xbf\xbf"),  // U+10FFFF, the last code point
       }) {
    EXPECT_TRUE(IsValidUtf8(good)) << ::testing::PrintToString(good);
  }
}

TEST(IsValidUtf8, RejectsOverlongForms) {
  for (std::string bad : {
           "\xc0\x80",          // NUL in 2 bytes
           "\xc0\xaf",          // '/' in 2 bytes
           "\xc1\xbf",          // U+007F in 2 bytes
           "\xe0\x80\x80",      // NUL in 3 bytes
           "\xe0\x80\xaf",      // '/' in 3 bytes
           "\xe0\x9f\xbf",      // U+07FF in 3 bytes
           "\xf0\x80\x80\x80",  // NUL in 4 bytes
           "\xf0\x8f\xbf\xbf",  // U+FFFF in 4 bytes
       }) {
    EXPECT_FALSE(IsValidUtf8(bad)) << ::testing::PrintToString(bad);
  }
}

TEST(IsValidUtf8, RejectsSurrogates) {
  for (std::string bad : {"\xed\xa0\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbf\xbf",
                          "\xed\xa0\xbd\xed\xb8\x80"}) {  // a CESU-8 surrogate pair
    EXPECT_FALSE(IsValidUtf8(bad)) << ::testing::PrintToString(bad);
  }
}

TEST(IsValidUtf8, RejectsCodePointsBeyondU10FFFF) {
  for (std::string bad : {"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf7\xbf\xbf\xbf",
                          "\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << ::testing::PrintToString(bad);
  }
}

TEST(IsValidUtf8, RejectsBrokenSequences) {
  for (std::string bad : {
           "\x80",           // a lone continuation byte
           "a\xbf",          // another
           "\xc3",           // truncated at the end
           "\xe2\x82",       // truncated at the end
           "\xf0\x9f\x8c",   // truncated at the end
           "\xc3(",          // continuation missing
           "\xe2\x28\xa1",   // continuation missing
           "\xf0\x9f\x8c(",  // continuation missing
           "\xfe",           // never in UTF-8
           "\xff",           // never in UTF-8
       }) {
    EXPECT_FALSE(IsValidUtf8(bad)) << ::testing::PrintToString(bad);
  }
}

RC_GTEST_PROP(IsValidUtf8, AcceptsTheEncodingOfAnyScalarValues, ()) {
  auto cps = *rc::gen::container<std::vector<uint32_t>>(rc::gen::oneOf(
      rc::gen::inRange<uint32_t>(0, 0xd800), rc::gen::inRange<uint32_t>(0xe000, 0x110000)));
  std::string s;
  for (uint32_t cp : cps) testing::AppendUtf8(s, cp);
  RC_ASSERT(IsValidUtf8(s));
}

RC_GTEST_PROP(IsValidUtf8, RejectsAnyEncodedSurrogate, ()) {
  std::string before = *testing::GenName(20);
  std::string after = *testing::GenName(20);
  std::string s = before;
  testing::AppendUtf8(s, *rc::gen::inRange<uint32_t>(0xd800, 0xe000));
  s += after;
  RC_ASSERT(!IsValidUtf8(s));
}

// --- MapReader ---

Bytes MapOf(const std::vector<std::pair<std::string, uint64_t>>& kv) {
  return Pack([&](MsgpackWriter& w) {
    w.Map(static_cast<uint32_t>(kv.size()));
    for (const auto& [k, v] : kv) {
      w.Str(k);
      w.Uint(v);
    }
  });
}

TEST(MapReader, FindsKnownKeys) {
  auto h = Unpack(MapOf({{"a", 1}, {"b", 2}}));
  auto map = MapReader::Open(h.get(), "m", {"a", "b", "c"});
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  ASSERT_NE(map->Find("b"), nullptr);
  EXPECT_EQ(map->Find("b")->via.u64, 2u);
  EXPECT_EQ(map->Find("c"), nullptr);
  auto a = map->Require("a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)->via.u64, 1u);
}

TEST(MapReader, RequireNamesTheMissingKey) {
  auto h = Unpack(MapOf({{"a", 1}}));
  auto map = MapReader::Open(h.get(), "m", {"a", "c"});
  ASSERT_TRUE(map.ok());
  ExpectMalformed(map->Require("c"), "m.c");
  EXPECT_EQ(map->FieldName("c"), "m.c");
}

TEST(MapReader, RejectsUnknownAndRepeatedKeysNamingThem) {
  auto unknown = Unpack(MapOf({{"a", 1}, {"z", 2}}));
  ExpectMalformed(MapReader::Open(unknown.get(), "m", {"a"}), "m.z");
  auto repeated = Unpack(MapOf({{"a", 1}, {"a", 1}}));
  ExpectMalformed(MapReader::Open(repeated.get(), "m", {"a"}), "m.a");
}

TEST(MapReader, RejectsNonStringKeysAndNonMaps) {
  auto int_key = Unpack(Pack([](MsgpackWriter& w) {
    w.Map(1);
    w.Uint(1);
    w.Uint(2);
  }));
  ExpectMalformed(MapReader::Open(int_key.get(), "m", {"1"}), "m");
  auto bin_key = Unpack(Pack([](MsgpackWriter& w) {
    w.Map(1);
    w.Bin(AsBytes("a"));
    w.Uint(2);
  }));
  ExpectMalformed(MapReader::Open(bin_key.get(), "m", {"a"}), "m");
  auto array = Unpack(Pack([](MsgpackWriter& w) { w.Array(0); }));
  ExpectMalformed(MapReader::Open(array.get(), "m", {"a"}), "m");
}

}  // namespace
}  // namespace nanse::detail
