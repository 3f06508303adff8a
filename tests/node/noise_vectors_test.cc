// Replays the published Noise test vectors of ../shared/vectors/noise/ (SOURCE.md there says
// where each file comes from and how its fields read) through noise::HandshakeState: every
// handshake message's ciphertext, the payloads, the handshake hash when the file has one, and
// the transport messages after Split(). Every protocol name of the files is run; a name the
// machine does not support would be counted and listed as skipped.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "node/noise_handshake.h"

#ifndef NANSE_NOISE_VECTORS
#error "NANSE_NOISE_VECTORS must name the directory of the Noise vector files"
#endif

namespace nanse::noise {
namespace {

Bytes FromHex(const std::string& hex) {
  Bytes out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  EXPECT_EQ(hex.size() % 2, 0u) << hex;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    EXPECT_TRUE(hi >= 0 && lo >= 0) << hex;
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return out;
}

std::string ToHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// One vector, whatever file it came from. Keys are private keys except *_remote_static.
struct Vector {
  std::string where;  // "file #index"
  std::string protocol_name;
  Bytes init_prologue, resp_prologue;
  std::vector<Bytes> init_psks, resp_psks;
  std::optional<Bytes> init_static, resp_static, init_ephemeral, resp_ephemeral;
  std::optional<Bytes> init_remote_static, resp_remote_static;
  std::optional<Bytes> handshake_hash;
  std::vector<std::pair<Bytes, Bytes>> messages;  // payload, ciphertext
  // flynn/noise: the transport messages alternate afresh from the initiator (c1, c2, c1, ...);
  // the others continue the handshake's alternation by absolute index.
  bool transport_restarts = false;
};

std::optional<Bytes> OptionalHex(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return FromHex(j[key].get<std::string>());
}

// cacophony, snow and noise-c-basic: the same layout; noise-c names the protocol "name".
Vector FromCacophonyStyle(const nlohmann::json& j) {
  Vector v;
  v.protocol_name = j.contains("protocol_name") ? j["protocol_name"].get<std::string>()
                                                : j["name"].get<std::string>();
  v.init_prologue = FromHex(j.value("init_prologue", ""));
  v.resp_prologue = FromHex(j.value("resp_prologue", ""));
  for (const auto& psk : j.value("init_psks", nlohmann::json::array())) {
    v.init_psks.push_back(FromHex(psk.get<std::string>()));
  }
  for (const auto& psk : j.value("resp_psks", nlohmann::json::array())) {
    v.resp_psks.push_back(FromHex(psk.get<std::string>()));
  }
  v.init_static = OptionalHex(j, "init_static");
  v.resp_static = OptionalHex(j, "resp_static");
  v.init_ephemeral = OptionalHex(j, "init_ephemeral");
  v.resp_ephemeral = OptionalHex(j, "resp_ephemeral");
  v.init_remote_static = OptionalHex(j, "init_remote_static");
  v.resp_remote_static = OptionalHex(j, "resp_remote_static");
  v.handshake_hash = OptionalHex(j, "handshake_hash");
  for (const auto& m : j["messages"]) {
    v.messages.emplace_back(FromHex(m["payload"].get<std::string>()),
                            FromHex(m["ciphertext"].get<std::string>()));
  }
  return v;
}

// flynn/noise: key=value pairs (from the JSON file or the .txt blocks), all keys private, one
// prologue and one psk for both sides, msg_N_payload / msg_N_ciphertext.
Vector FromFlynn(const std::map<std::string, std::string>& kv) {
  Vector v;
  auto get = [&](const std::string& key) -> std::optional<Bytes> {
    auto it = kv.find(key);
    if (it == kv.end()) return std::nullopt;
    return FromHex(it->second);
  };
  v.protocol_name = kv.at("handshake");
  v.init_prologue = v.resp_prologue = get("prologue").value_or(Bytes{});
  if (auto psk = get("preshared_key")) v.init_psks = v.resp_psks = {*psk};
  v.init_static = get("init_static");
  v.resp_static = get("resp_static");
  v.init_ephemeral = get("gen_init_ephemeral");
  v.resp_ephemeral = get("gen_resp_ephemeral");
  for (int i = 0;; ++i) {
    auto payload = get("msg_" + std::to_string(i) + "_payload");
    auto ciphertext = get("msg_" + std::to_string(i) + "_ciphertext");
    if (!payload || !ciphertext) break;
    v.messages.emplace_back(*payload, *ciphertext);
  }
  v.transport_restarts = true;
  return v;
}

std::vector<Vector> LoadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  nlohmann::json doc = nlohmann::json::parse(in);
  std::vector<Vector> out;
  const bool flynn = path.filename().string().starts_with("flynn");
  size_t index = 0;
  for (const auto& j : doc["vectors"]) {
    Vector v;
    if (flynn) {
      std::map<std::string, std::string> kv;
      for (auto it = j.begin(); it != j.end(); ++it) kv[it.key()] = it.value().get<std::string>();
      v = FromFlynn(kv);
    } else {
      v = FromCacophonyStyle(j);
    }
    v.where = path.filename().string() + " #" + std::to_string(index++);
    out.push_back(std::move(v));
  }
  return out;
}

// flynn's vectors.txt: "key=value" lines; each "handshake=" line starts a vector.
std::vector<Vector> LoadFlynnText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::map<std::string, std::string>> blocks;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq);
    if (key == "handshake") blocks.emplace_back();
    if (!blocks.empty()) blocks.back()[key] = line.substr(eq + 1);
  }
  std::vector<Vector> out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    out.push_back(FromFlynn(blocks[i]));
    out.back().where = path.filename().string() + " #" + std::to_string(i);
  }
  return out;
}

// Hands out the vector's ephemeral private key; a second draw, or a draw the vector has no key
// for, is a test failure.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::optional<Bytes> bytes) : bytes_(std::move(bytes)) {}
  void Fill(std::span<uint8_t> out) override {
    if (!bytes_ || bytes_->size() != out.size()) {
      ADD_FAILURE() << "the handshake drew randomness the vector does not provide";
      std::fill(out.begin(), out.end(), 0x42);
      return;
    }
    std::copy(bytes_->begin(), bytes_->end(), out.begin());
    bytes_.reset();
  }

 private:
  std::optional<Bytes> bytes_;
};

std::vector<Psk> Psks(const std::vector<Bytes>& list) {
  std::vector<Psk> out;
  for (const Bytes& b : list) out.emplace_back(b);
  return out;
}

std::optional<DhPublicKey> PublicOf(const std::optional<Bytes>& private_key) {
  if (!private_key) return std::nullopt;
  auto pair = DhKeyPair::FromPrivate(*private_key);
  if (!pair.ok()) return std::nullopt;
  return pair->public_key;
}

std::optional<DhPublicKey> AsPublic(const std::optional<Bytes>& bytes) {
  if (!bytes || bytes->size() != kDhLen) return std::nullopt;
  DhPublicKey key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

struct Outcome {
  bool skipped = false;
  std::string skip_reason;
  size_t handshake_messages = 0;
  size_t transport_messages = 0;
  size_t transport_skipped = 0;  // flynn's c2 messages of one-way patterns (spec 7.4)
  bool hash_checked = false;
};

Outcome RunVector(const Vector& v) {
  Outcome outcome;
  auto pattern = ParseProtocolName(v.protocol_name);
  if (!pattern.ok()) {
    outcome.skipped = true;
    outcome.skip_reason = pattern.status().ToString();
    return outcome;
  }
  ScriptedRandom init_random(v.init_ephemeral), resp_random(v.resp_ephemeral);
  HandshakeConfig ic;
  ic.protocol_name = v.protocol_name;
  ic.role = Role::kInitiator;
  ic.prologue = v.init_prologue;
  if (v.init_static) ic.local_static = DhKeyPair::FromPrivate(*v.init_static).value();
  if (pattern->NeedsRemoteStatic(Role::kInitiator)) {
    ic.remote_static =
        v.init_remote_static ? AsPublic(v.init_remote_static) : PublicOf(v.resp_static);
  }
  ic.psks = Psks(v.init_psks);
  ic.random = &init_random;
  HandshakeConfig rc;
  rc.protocol_name = v.protocol_name;
  rc.role = Role::kResponder;
  rc.prologue = v.resp_prologue;
  if (v.resp_static) rc.local_static = DhKeyPair::FromPrivate(*v.resp_static).value();
  if (pattern->NeedsRemoteStatic(Role::kResponder)) {
    rc.remote_static =
        v.resp_remote_static ? AsPublic(v.resp_remote_static) : PublicOf(v.init_static);
  }
  rc.psks = Psks(v.resp_psks);
  rc.random = &resp_random;

  auto initiator = HandshakeState::Create(std::move(ic));
  auto responder = HandshakeState::Create(std::move(rc));
  if (!initiator.ok() || !responder.ok()) {
    ADD_FAILURE() << "setup: " << initiator.status().ToString() << " / "
                  << responder.status().ToString();
    return outcome;
  }
  const size_t n = pattern->messages.size();
  if (v.messages.size() < n) {
    ADD_FAILURE() << "the vector has " << v.messages.size() << " messages, the pattern " << n;
    return outcome;
  }
  for (size_t i = 0; i < n; ++i) {
    SCOPED_TRACE("handshake message " + std::to_string(i + 1));
    const bool from_initiator = pattern->Sender(i) == Role::kInitiator;
    HandshakeState& writer = from_initiator ? *initiator : *responder;
    HandshakeState& reader = from_initiator ? *responder : *initiator;
    auto written = writer.WriteMessage(v.messages[i].first);
    if (!written.ok()) {
      ADD_FAILURE() << written.status().ToString();
      return outcome;
    }
    EXPECT_EQ(ToHex(*written), ToHex(v.messages[i].second));
    auto read = reader.ReadMessage(*written);
    if (!read.ok()) {
      ADD_FAILURE() << read.status().ToString();
      return outcome;
    }
    EXPECT_EQ(ToHex(*read), ToHex(v.messages[i].first));
    EXPECT_EQ(initiator->handshake_hash(), responder->handshake_hash());
    ++outcome.handshake_messages;
  }
  EXPECT_EQ(initiator->next(), HandshakeState::Next::kSplit);
  EXPECT_EQ(responder->next(), HandshakeState::Next::kSplit);
  if (v.handshake_hash) {
    EXPECT_EQ(ToHex(initiator->handshake_hash()), ToHex(*v.handshake_hash));
    outcome.hash_checked = true;
  }
  auto ti = initiator->Split();
  auto tr = responder->Split();
  if (!ti.ok() || !tr.ok()) {
    ADD_FAILURE() << "split failed";
    return outcome;
  }
  EXPECT_EQ(ti->handshake_hash, tr->handshake_hash);
  for (size_t i = n; i < v.messages.size(); ++i) {
    SCOPED_TRACE("transport message " + std::to_string(i + 1));
    bool from_initiator =
        pattern->one_way || (v.transport_restarts ? (i - n) % 2 == 0 : i % 2 == 0);
    if (v.transport_restarts && pattern->one_way && (i - n) % 2 == 1) {
      // flynn encrypts every other transport message of a one-way pattern with c2, which the
      // spec discards (7.4): neither side holds it here.
      ++outcome.transport_skipped;
      continue;
    }
    TransportCiphers& sender = from_initiator ? *ti : *tr;
    TransportCiphers& receiver = from_initiator ? *tr : *ti;
    if (!sender.send || !receiver.receive) {
      ADD_FAILURE() << "no cipher for this direction";
      return outcome;
    }
    Bytes ciphertext;
    EXPECT_TRUE(sender.send->EncryptWithAd({}, v.messages[i].first, ciphertext).ok());
    EXPECT_EQ(ToHex(ciphertext), ToHex(v.messages[i].second));
    Bytes plaintext;
    EXPECT_TRUE(receiver.receive->DecryptWithAd({}, ciphertext, plaintext).ok());
    EXPECT_EQ(ToHex(plaintext), ToHex(v.messages[i].first));
    ++outcome.transport_messages;
  }
  return outcome;
}

// The pattern with its modifiers: the part between "Noise_" and the suite ("XXpsk0").
std::string PatternOf(const std::string& protocol_name) {
  std::string p = protocol_name;
  if (p.starts_with("Noise_")) p = p.substr(6);
  if (p.ends_with(kSuiteSuffix)) p = p.substr(0, p.size() - kSuiteSuffix.size());
  return p;
}

struct FileTally {
  size_t run = 0, skipped = 0, handshake_messages = 0, transport_messages = 0,
         transport_skipped = 0, hashes = 0;
  std::map<std::string, size_t> per_pattern;
  std::vector<std::string> skipped_list;
};

TEST(NoiseVectors, EveryFileEveryProtocolOfTheSuite) {
  const std::filesystem::path dir = NANSE_NOISE_VECTORS;
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (ext == ".json" || entry.path().filename().string().ends_with("BLAKE2b.txt")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 5u) << "expected the four JSON files and flynn's .txt";

  std::map<std::string, FileTally> tallies;
  std::map<std::string, size_t> xx_runs;  // "XX" and "XXpsk0", over all files
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    std::vector<Vector> vectors =
        path.extension() == ".json" ? LoadJson(path) : LoadFlynnText(path);
    EXPECT_FALSE(vectors.empty()) << name;
    FileTally& tally = tallies[name];
    for (const Vector& v : vectors) {
      if (!v.protocol_name.ends_with(kSuiteSuffix)) {
        ++tally.skipped;
        tally.skipped_list.push_back(v.where + " " + v.protocol_name + ": another suite");
        continue;
      }
      SCOPED_TRACE(v.where + " " + v.protocol_name);
      Outcome outcome = RunVector(v);
      if (outcome.skipped) {
        ++tally.skipped;
        tally.skipped_list.push_back(v.where + " " + v.protocol_name + ": " + outcome.skip_reason);
        continue;
      }
      ++tally.run;
      ++tally.per_pattern[PatternOf(v.protocol_name)];
      tally.handshake_messages += outcome.handshake_messages;
      tally.transport_messages += outcome.transport_messages;
      tally.transport_skipped += outcome.transport_skipped;
      tally.hashes += outcome.hash_checked ? 1 : 0;
      const std::string pattern = PatternOf(v.protocol_name);
      if (pattern == "XX" || pattern == "XXpsk0") ++xx_runs[pattern];
    }
  }

  std::ostringstream report;
  for (const auto& [name, t] : tallies) {
    report << name << ": " << t.run << " run, " << t.skipped << " skipped; " << t.handshake_messages
           << " handshake and " << t.transport_messages << " transport messages compared, "
           << t.hashes << " handshake hashes";
    if (t.transport_skipped > 0) {
      report << ", " << t.transport_skipped << " one-way c2 transport messages not replayable";
    }
    report << "\n  ";
    for (const auto& [pattern, count] : t.per_pattern) report << pattern << "=" << count << " ";
    report << "\n";
    for (const auto& s : t.skipped_list) report << "  skipped " << s << "\n";
  }
  std::cout << report.str();
  ::testing::Test::RecordProperty("noise_vectors", report.str());

  EXPECT_GT(xx_runs["XX"], 0u) << "no Noise_XX vector ran";
  EXPECT_GT(xx_runs["XXpsk0"], 0u) << "no Noise_XXpsk0 vector ran";
  // SOURCE.md: XX has 1 + 1 + 1 + 4 entries in the JSON files (and 4 more in flynn's .txt),
  // XXpsk0 has 4 in flynn's JSON (and 4 in its .txt).
  EXPECT_EQ(xx_runs["XX"], 11u);
  EXPECT_EQ(xx_runs["XXpsk0"], 8u);
  for (const auto& [name, t] : tallies) EXPECT_EQ(t.skipped, 0u) << name;
}

// The flynn .txt and .json hold the same vectors: the harness reads both the same way.
TEST(NoiseVectors, FlynnTextAndJsonAgree) {
  const std::filesystem::path dir = NANSE_NOISE_VECTORS;
  auto text = LoadFlynnText(dir / "flynn-noise_25519_ChaChaPoly_BLAKE2b.txt");
  auto json = LoadJson(dir / "flynn-noise_25519_ChaChaPoly_BLAKE2b.json");
  ASSERT_EQ(text.size(), json.size());
  for (size_t i = 0; i < text.size(); ++i) {
    EXPECT_EQ(text[i].protocol_name, json[i].protocol_name) << i;
    EXPECT_EQ(text[i].messages, json[i].messages) << i;
    EXPECT_EQ(text[i].init_psks, json[i].init_psks) << i;
    EXPECT_EQ(text[i].init_prologue, json[i].init_prologue) << i;
  }
}

// Every pattern of the spec's tables (one-way, fundamental, deferred) completes between two
// fresh parties with random keys, with and without psk0, and both sides agree on h.
TEST(NoiseVectors, EveryKnownPatternRunsWithRandomKeys) {
  SeededRandom random(7);
  for (std::string_view base : KnownPatterns()) {
    for (std::string suffix : {"", "psk0", "psk1"}) {
      const std::string name = "Noise_" + std::string(base) + suffix + std::string(kSuiteSuffix);
      SCOPED_TRACE(name);
      auto pattern = ParseProtocolName(name);
      ASSERT_TRUE(pattern.ok()) << pattern.status().ToString();
      DhKeyPair is = DhKeyPair::Generate(random), rs = DhKeyPair::Generate(random);
      Psk psk;
      random.Fill({psk.data(), psk.size()});
      HandshakeConfig ic, rc;
      ic.protocol_name = rc.protocol_name = name;
      ic.role = Role::kInitiator;
      rc.role = Role::kResponder;
      ic.prologue = rc.prologue = Bytes{1, 2, 3};
      ic.local_static = is.Clone();
      rc.local_static = rs.Clone();
      ic.remote_static = rs.public_key;
      rc.remote_static = is.public_key;
      for (size_t i = 0; i < pattern->psk_count; ++i) {
        ic.psks.push_back(psk.Clone());
        rc.psks.push_back(psk.Clone());
      }
      ic.random = rc.random = &random;
      auto a = HandshakeState::Create(std::move(ic));
      auto b = HandshakeState::Create(std::move(rc));
      ASSERT_TRUE(a.ok() && b.ok());
      for (size_t i = 0; i < pattern->messages.size(); ++i) {
        const bool from_a = pattern->Sender(i) == Role::kInitiator;
        HandshakeState& w = from_a ? *a : *b;
        HandshakeState& r = from_a ? *b : *a;
        Bytes payload(5, 0x61);
        auto m = w.WriteMessage(payload);
        ASSERT_TRUE(m.ok()) << m.status().ToString();
        EXPECT_EQ(m->size(), payload.size() + pattern->Overhead(i));
        auto p = r.ReadMessage(*m);
        ASSERT_TRUE(p.ok()) << p.status().ToString();
        EXPECT_EQ(*p, payload);
        EXPECT_EQ(a->handshake_hash(), b->handshake_hash());
      }
      ASSERT_EQ(a->next(), HandshakeState::Next::kSplit);
      auto ta = a->Split();
      auto tb = b->Split();
      ASSERT_TRUE(ta.ok() && tb.ok());
      // Each side ends knowing the peer's static key exactly when the peer has one.
      EXPECT_EQ(ta->remote_static.has_value(), pattern->NeedsLocalStatic(Role::kResponder));
      EXPECT_EQ(tb->remote_static.has_value(), pattern->NeedsLocalStatic(Role::kInitiator));
      if (ta->remote_static) {
        EXPECT_EQ(*ta->remote_static, rs.public_key);
      }
      if (tb->remote_static) {
        EXPECT_EQ(*tb->remote_static, is.public_key);
      }
      EXPECT_EQ(ta->handshake_hash, tb->handshake_hash);
      EXPECT_EQ(ta->receive.has_value(), !pattern->one_way);
      EXPECT_EQ(tb->send.has_value(), !pattern->one_way);
    }
  }
}

}  // namespace
}  // namespace nanse::noise
