#include "crdt/text_rules.h"

#include <arpa/inet.h>

#include "crdt/msgpack_io.h"

namespace nanse {
namespace {

// Decodes the code point at s[i] (valid UTF-8 already checked) and its length.
uint32_t CodePointAt(std::string_view s, size_t i, size_t& len) {
  auto c = static_cast<uint8_t>(s[i]);
  if (c < 0x80) {
    len = 1;
    return c;
  }
  len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
  uint32_t cp = c & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3f);
  return cp;
}

bool IsHiddenControl(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool IsDnsName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    std::string_view label =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  // All-numeric dotted names are IPv4 addresses, and must parse as one.
  return host.find_first_not_of("0123456789.") != std::string_view::npos;
}

}  // namespace

Status CheckText(std::string_view text, const std::string& field, size_t max_len, bool multiline) {
  if (text.empty()) return Status::Malformed(field, "expected a non-empty text");
  if (text.size() > max_len) {
    return Status::Malformed(field, "expected at most " + std::to_string(max_len) + " bytes, got " +
                                        std::to_string(text.size()));
  }
  if (!detail::IsValidUtf8(text)) return Status::Malformed(field, "expected valid UTF-8");
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    uint32_t cp = CodePointAt(text, i, len);
    bool allowed = multiline && (cp == '\n' || cp == '\t');
    if (IsHiddenControl(cp) && !allowed) {
      return Status::Malformed(field, "control or direction-override characters are not allowed");
    }
    i += len;
  }
  return Status::Ok();
}

Status CheckHostPort(std::string_view address, const std::string& field) {
  const std::string expected = "expected HOST:PORT (a name, IPv4 or [IPv6] and a port 1-65535)";
  if (address.empty() || address.size() > 260) return Status::Malformed(field, expected);
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) {
    return Status::Malformed(field, expected + ", got '" + std::string(address) + "'");
  }
  std::string host(address.substr(0, colon));
  std::string_view port = address.substr(colon + 1);
  uint32_t port_value = 0;
  if (port.size() > 5 || port[0] == '0') {
    return Status::Malformed(field, "port must be 1-65535, got '" + std::string(port) + "'");
  }
  for (char c : port) {
    if (c < '0' || c > '9') {
      return Status::Malformed(field, "port must be 1-65535, got '" + std::string(port) + "'");
    }
    port_value = port_value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (port_value == 0 || port_value > 65535) {
    return Status::Malformed(field, "port must be 1-65535, got " + std::string(port));
  }
  unsigned char buffer[16];
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']' ||
        inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), buffer) != 1) {
      return Status::Malformed(field, "invalid IPv6 address '" + host + "'");
    }
    return Status::Ok();
  }
  if (host.find_first_not_of("0123456789.") == std::string::npos) {
    if (inet_pton(AF_INET, host.c_str(), buffer) != 1) {
      return Status::Malformed(field, "invalid IPv4 address '" + host + "'");
    }
    return Status::Ok();
  }
  if (!IsDnsName(host)) return Status::Malformed(field, "invalid host name '" + host + "'");
  return Status::Ok();
}

}  // namespace nanse
