// RapidCheck generators of valid values shared by the crdt tests: display names, addresses
// and 32-byte keys. Header-only, so the tests/CMakeLists.txt glob of *_test.cc needs no change.
#pragma once

#include <rapidcheck.h>

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/op_bodies.h"

namespace nanse::testing {

// Appends the UTF-8 encoding of a Unicode scalar value.
inline void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// A Unicode scalar value that is not a C0 control or DEL: printable ASCII, two-, three- and
// four-byte forms, never a surrogate.
inline rc::Gen<uint32_t> GenPrintableCodePoint() {
  return rc::gen::oneOf(
      rc::gen::inRange<uint32_t>(0x20, 0x7f), rc::gen::inRange<uint32_t>(0x80, 0x800),
      rc::gen::inRange<uint32_t>(0x800, 0xd800), rc::gen::inRange<uint32_t>(0xe000, 0x10000),
      rc::gen::inRange<uint32_t>(0x10000, 0x110000));
}

// A valid display name: UTF-8 without control characters, 1 to `max_bytes` bytes.
inline rc::Gen<std::string> GenName(size_t max_bytes = kMaxNameLength) {
  return rc::gen::map(
      rc::gen::nonEmpty(rc::gen::container<std::vector<uint32_t>>(GenPrintableCodePoint())),
      [max_bytes](const std::vector<uint32_t>& cps) {
        std::string out;
        for (uint32_t cp : cps) {
          std::string next = out;
          AppendUtf8(next, cp);
          if (next.size() > max_bytes) break;
          out = std::move(next);
        }
        if (out.empty()) out = "n";  // the first code point did not fit
        return out;
      });
}

// A "host:port" that ValidateAddress accepts: a name, an IPv4 address, or brackets around
// IPv6 characters.
inline rc::Gen<std::string> GenAddress() {
  auto port = rc::gen::inRange<uint32_t>(1, 65536);
  auto dns = rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::elementOf(
      std::string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."))));
  auto ipv4 =
      rc::gen::map(rc::gen::container<std::vector<uint32_t>>(4, rc::gen::inRange<uint32_t>(0, 256)),
                   [](const std::vector<uint32_t>& o) {
                     return std::to_string(o[0]) + "." + std::to_string(o[1]) + "." +
                            std::to_string(o[2]) + "." + std::to_string(o[3]);
                   });
  auto ipv6 = rc::gen::map(rc::gen::nonEmpty(rc::gen::container<std::string>(
                               rc::gen::elementOf(std::string("0123456789abcdefABCDEF:")))),
                           [](const std::string& s) { return "[" + s + "]"; });
  auto host =
      rc::gen::oneOf(rc::gen::map(dns, [](std::string s) { return s.substr(0, 200); }), ipv4, ipv6);
  return rc::gen::map(rc::gen::pair(host, port), [](const std::pair<std::string, uint32_t>& p) {
    return p.first + ":" + std::to_string(p.second);
  });
}

// 0 to kMaxAddresses valid addresses.
inline rc::Gen<std::vector<std::string>> GenAddresses() {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(0, kMaxAddresses + 1), [](size_t n) {
    return rc::gen::container<std::vector<std::string>>(n, GenAddress());
  });
}

// Any 32 bytes: a key, a hash, an id.
inline rc::Gen<std::array<uint8_t, 32>> GenBytes32() {
  return rc::gen::arbitrary<std::array<uint8_t, 32>>();
}

}  // namespace nanse::testing
