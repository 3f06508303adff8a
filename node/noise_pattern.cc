#include "node/noise_pattern.h"

#include <algorithm>
#include <array>
#include <optional>

#include "node/noise_crypto.h"

namespace nanse::noise {
namespace {

// Each pattern in the spec's notation: pre-messages, "...", then the messages, separated by
// ";". Sections 7.4 (one-way), 7.5 (fundamental) and 7.6 (deferred) of revision 34.
struct PatternText {
  std::string_view name;
  std::string_view text;
};
constexpr std::array<PatternText, 38> kPatterns = {{
    // One-way.
    {"N", "<- s; ...; -> e, es"},
    {"K", "-> s; <- s; ...; -> e, es, ss"},
    {"X", "<- s; ...; -> e, es, s, ss"},
    // Fundamental interactive.
    {"NN", "-> e; <- e, ee"},
    {"NK", "<- s; ...; -> e, es; <- e, ee"},
    {"NX", "-> e; <- e, ee, s, es"},
    {"KN", "-> s; ...; -> e; <- e, ee, se"},
    {"KK", "-> s; <- s; ...; -> e, es, ss; <- e, ee, se"},
    {"KX", "-> s; ...; -> e; <- e, ee, se, s, es"},
    {"XN", "-> e; <- e, ee; -> s, se"},
    {"XK", "<- s; ...; -> e, es; <- e, ee; -> s, se"},
    {"XX", "-> e; <- e, ee, s, es; -> s, se"},
    {"IN", "-> e, s; <- e, ee, se"},
    {"IK", "<- s; ...; -> e, es, s, ss; <- e, ee, se"},
    {"IX", "-> e, s; <- e, ee, se, s, es"},
    // Deferred interactive.
    {"NK1", "<- s; ...; -> e; <- e, ee, es"},
    {"NX1", "-> e; <- e, ee, s; -> es"},
    {"X1N", "-> e; <- e, ee; -> s; <- se"},
    {"X1K", "<- s; ...; -> e, es; <- e, ee; -> s; <- se"},
    {"XK1", "<- s; ...; -> e; <- e, ee, es; -> s, se"},
    {"X1K1", "<- s; ...; -> e; <- e, ee, es; -> s; <- se"},
    {"X1X", "-> e; <- e, ee, s, es; -> s; <- se"},
    {"XX1", "-> e; <- e, ee, s; -> es, s, se"},
    {"X1X1", "-> e; <- e, ee, s; -> es, s; <- se"},
    {"K1N", "-> s; ...; -> e; <- e, ee; -> se"},
    {"K1K", "-> s; <- s; ...; -> e, es; <- e, ee; -> se"},
    {"KK1", "-> s; <- s; ...; -> e; <- e, ee, se, es"},
    {"K1K1", "-> s; <- s; ...; -> e; <- e, ee, es; -> se"},
    {"K1X", "-> s; ...; -> e; <- e, ee, s, es; -> se"},
    {"KX1", "-> s; ...; -> e; <- e, ee, se, s; -> es"},
    {"K1X1", "-> s; ...; -> e; <- e, ee, s; -> se, es"},
    {"I1N", "-> e, s; <- e, ee; -> se"},
    {"I1K", "<- s; ...; -> e, es, s; <- e, ee; -> se"},
    {"IK1", "<- s; ...; -> e, s; <- e, ee, se, es"},
    {"I1K1", "<- s; ...; -> e, s; <- e, ee, es; -> se"},
    {"I1X", "-> e, s; <- e, ee, s, es; -> se"},
    {"IX1", "-> e, s; <- e, ee, se, s; -> es"},
    {"I1X1", "-> e, s; <- e, ee, s; -> se, es"},
}};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<Token> ParseToken(std::string_view s) {
  static constexpr std::array<Token, 7> kAll = {Token::kE,  Token::kS,  Token::kEE, Token::kES,
                                                Token::kSE, Token::kSS, Token::kPsk};
  for (Token t : kAll) {
    if (TokenName(t) == s) return t;
  }
  return std::nullopt;
}

// One line such as "<- e, ee, s, es": the direction and the tokens.
struct Line {
  bool from_initiator = true;
  std::vector<Token> tokens;
};

Line ParseLine(std::string_view line) {
  Line out;
  out.from_initiator = line.starts_with("->");
  line.remove_prefix(2);
  while (!line.empty()) {
    size_t comma = line.find(',');
    std::string_view word = Trim(line.substr(0, comma));
    // The table is fixed and checked by the tests; an unknown word cannot occur.
    if (auto token = ParseToken(word)) out.tokens.push_back(*token);
    line = comma == std::string_view::npos ? std::string_view() : line.substr(comma + 1);
  }
  return out;
}

HandshakePattern FromText(std::string_view name, std::string_view text) {
  HandshakePattern pattern;
  pattern.name = std::string(name);
  bool pre = text.find("...") != std::string_view::npos;
  while (!text.empty()) {
    size_t semicolon = text.find(';');
    std::string_view part = Trim(text.substr(0, semicolon));
    text = semicolon == std::string_view::npos ? std::string_view() : text.substr(semicolon + 1);
    if (part == "...") {
      pre = false;
      continue;
    }
    Line line = ParseLine(part);
    if (pre) {
      (line.from_initiator ? pattern.initiator_pre : pattern.responder_pre) = line.tokens;
    } else {
      pattern.messages.push_back(std::move(line.tokens));
    }
  }
  pattern.one_way = pattern.messages.size() == 1;
  return pattern;
}

bool Contains(const std::vector<Token>& tokens, Token token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

Status BadPattern(std::string_view name, const std::string& why) {
  return Status::Invalid("noise pattern", "'" + std::string(name) + "': " + why);
}

}  // namespace

std::string_view TokenName(Token token) {
  switch (token) {
    case Token::kE:
      return "e";
    case Token::kS:
      return "s";
    case Token::kEE:
      return "ee";
    case Token::kES:
      return "es";
    case Token::kSE:
      return "se";
    case Token::kSS:
      return "ss";
    case Token::kPsk:
      return "psk";
  }
  return "?";
}

bool HandshakePattern::NeedsLocalStatic(Role role) const {
  const bool initiator = role == Role::kInitiator;
  if (Contains(initiator ? initiator_pre : responder_pre, Token::kS)) return true;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (Sender(i) == role && Contains(messages[i], Token::kS)) return true;
  }
  return false;
}

bool HandshakePattern::NeedsRemoteStatic(Role role) const {
  return Contains(role == Role::kInitiator ? responder_pre : initiator_pre, Token::kS);
}

size_t HandshakePattern::Overhead(size_t index) const {
  bool has_key = false;
  size_t overhead = 0;
  for (size_t i = 0; i <= index && i < messages.size(); ++i) {
    overhead = 0;
    for (Token token : messages[i]) {
      switch (token) {
        case Token::kE:
          overhead += kDhLen;
          if (psk_count > 0) has_key = true;  // MixKey(e.public_key) in psk handshakes
          break;
        case Token::kS:
          overhead += kDhLen + (has_key ? kTagLen : 0);
          break;
        default:  // ee, es, se, ss, psk: MixKey or MixKeyAndHash
          has_key = true;
          break;
      }
    }
    overhead += has_key ? kTagLen : 0;
  }
  return overhead;
}

Result<HandshakePattern> FindPattern(std::string_view name) {
  // The longest base name that prefixes `name`: "X1K1psk0" is X1K1, not X.
  const PatternText* base = nullptr;
  for (const PatternText& p : kPatterns) {
    if (name.starts_with(p.name) && (base == nullptr || p.name.size() > base->name.size())) {
      base = &p;
    }
  }
  if (base == nullptr) return BadPattern(name, "unknown handshake pattern");
  HandshakePattern pattern = FromText(base->name, base->text);
  pattern.name = std::string(name);

  std::string_view modifiers = name.substr(base->name.size());
  std::vector<bool> seen(pattern.messages.size() + 1, false);
  while (!modifiers.empty()) {
    size_t plus = modifiers.find('+');
    std::string_view modifier = modifiers.substr(0, plus);
    modifiers = plus == std::string_view::npos ? std::string_view() : modifiers.substr(plus + 1);
    if (!modifier.starts_with("psk") || modifier.size() != 4 || modifier[3] < '0' ||
        modifier[3] > '9') {
      return BadPattern(
          name, "modifier '" + std::string(modifier) + "' is not supported (only psk0 to psk9)");
    }
    size_t n = static_cast<size_t>(modifier[3] - '0');
    if (n > pattern.messages.size()) {
      return BadPattern(name, std::string(modifier) + " names a message the pattern lacks");
    }
    if (seen[n]) return BadPattern(name, std::string(modifier) + " appears twice");
    seen[n] = true;
    // psk0: the start of the first message; pskN: the end of message N.
    if (n == 0) {
      pattern.messages[0].insert(pattern.messages[0].begin(), Token::kPsk);
    } else {
      pattern.messages[n - 1].push_back(Token::kPsk);
    }
    ++pattern.psk_count;
  }
  return pattern;
}

Result<HandshakePattern> ParseProtocolName(std::string_view protocol_name) {
  static constexpr std::string_view kPrefix = "Noise_";
  if (!protocol_name.starts_with(kPrefix) || !protocol_name.ends_with(kSuiteSuffix) ||
      protocol_name.size() <= kPrefix.size() + kSuiteSuffix.size()) {
    return Status::Invalid("noise protocol name", "'" + std::string(protocol_name) +
                                                      "': expected Noise_<pattern>" +
                                                      std::string(kSuiteSuffix));
  }
  return FindPattern(protocol_name.substr(
      kPrefix.size(), protocol_name.size() - kPrefix.size() - kSuiteSuffix.size()));
}

std::vector<std::string_view> KnownPatterns() {
  std::vector<std::string_view> names;
  for (const PatternText& p : kPatterns) names.push_back(p.name);
  return names;
}

}  // namespace nanse::noise
