// RapidCheck generators of valid values shared by the crdt tests: display names, addresses
// and 32-byte keys. Header-only, so the tests/CMakeLists.txt glob of *_test.cc needs no change.
#pragma once

#include <rapidcheck.h>

#include <array>
#include <cstdint>
#include <cstdio>
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

// A Unicode scalar value that CheckText accepts: printable ASCII, two-, three- and four-byte
// forms; never a surrogate, a control (C0, DEL, C1) or a direction override.
inline rc::Gen<uint32_t> GenPrintableCodePoint() {
  return rc::gen::suchThat(
      rc::gen::oneOf(
          rc::gen::inRange<uint32_t>(0x20, 0x7f), rc::gen::inRange<uint32_t>(0xa0, 0x800),
          rc::gen::inRange<uint32_t>(0x800, 0xd800), rc::gen::inRange<uint32_t>(0xe000, 0x10000),
          rc::gen::inRange<uint32_t>(0x10000, 0x110000)),
      [](uint32_t cp) {
        return cp != 0x061c && cp != 0x200e && cp != 0x200f && !(cp >= 0x202a && cp <= 0x202e) &&
               !(cp >= 0x2066 && cp <= 0x2069);
      });
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
  // DNS names: labels of letters, digits and inner hyphens, at least one letter somewhere.
  auto label = rc::gen::map(
      rc::gen::pair(
          rc::gen::elementOf(std::string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")),
          rc::gen::container<std::string>(
              rc::gen::elementOf(std::string("abcdefghijklmnopqrstuvwxyz0123456789-")))),
      [](const std::pair<char, std::string>& p) {
        std::string l = (std::string(1, p.first) + p.second).substr(0, 40);
        while (l.back() == '-') l.pop_back();
        return l;
      });
  auto dns = rc::gen::map(rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(label)),
                          [](const std::vector<std::string>& labels) {
                            std::string out;
                            for (const auto& l : labels) {
                              if (out.size() + l.size() + 1 > 200) break;
                              out += (out.empty() ? "" : ".") + l;
                            }
                            return out.empty() ? labels[0] : out;
                          });
  auto ipv4 =
      rc::gen::map(rc::gen::container<std::vector<uint32_t>>(4, rc::gen::inRange<uint32_t>(0, 256)),
                   [](const std::vector<uint32_t>& o) {
                     return std::to_string(o[0]) + "." + std::to_string(o[1]) + "." +
                            std::to_string(o[2]) + "." + std::to_string(o[3]);
                   });
  auto ipv6 = rc::gen::map(
      rc::gen::container<std::vector<uint32_t>>(8, rc::gen::inRange<uint32_t>(0, 0x10000)),
      [](const std::vector<uint32_t>& groups) {
        std::string out = "[";
        char buf[8];
        for (size_t i = 0; i < groups.size(); ++i) {
          std::snprintf(buf, sizeof buf, "%x", groups[i]);
          out += (i ? ":" : "") + std::string(buf);
        }
        return out + "]";
      });
  auto host = rc::gen::oneOf(dns, ipv4, ipv6);
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
