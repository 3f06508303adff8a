// Rules for text that people type and other people's terminals print: names, descriptions,
// addresses. Shared by the decoders and by the authoring side, so both refuse the same text.
#pragma once

#include <string>
#include <string_view>

#include "crdt/status.h"

namespace nanse {

// Valid UTF-8 of 1..max_len bytes, without control characters (C0, DEL, C1) or the invisible
// direction overrides (U+200E/F, U+202A-E, U+2066-9, U+061C) that can make a name print as
// another. With `multiline`, newline and tab are allowed.
Status CheckText(std::string_view text, const std::string& field, size_t max_len,
                 bool multiline = false);

// A "host:port" address: a DNS name (labels of a-z, 0-9 and inner '-'), a dotted IPv4
// address or a bracketed IPv6 address, and a port 1..65535.
Status CheckHostPort(std::string_view address, const std::string& field);

}  // namespace nanse
