#include "node/home.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "crdt/text_codec.h"

namespace nanse {
namespace {

constexpr std::string_view kKeyPrefix = "nanse-node-key-v1 ";

std::string Errno() { return std::strerror(errno); }

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// A secret key file's 32 bytes: one line "<prefix><base64url>" (node.key, noise.key). Every
// copy of the secret but the returned one is wiped; the caller wipes that one.
Result<Bytes> ReadSecretLine(const std::string& path, std::string_view prefix,
                             const std::string& expected) {
  auto raw = ReadWholeFile(path, 4096);
  if (!raw.ok()) return raw.status();
  std::string text = Trim(std::string(raw->begin(), raw->end()));
  Wipe(raw->data(), raw->size());
  if (text.compare(0, prefix.size(), prefix) != 0) {
    Wipe(text.data(), text.size());
    return Status::Malformed(path, "expected '" + std::string(prefix) + expected + "'");
  }
  auto secret = Base64UrlDecode(std::string_view(text).substr(prefix.size()));
  Wipe(text.data(), text.size());
  if (!secret.ok() || secret->size() != 32) {
    if (secret.ok()) Wipe(secret->data(), secret->size());
    return Status::Malformed(path, "expected " + expected + " (32 bytes)");
  }
  return secret;
}

}  // namespace

Status WriteFileAtomically(const std::string& path, ByteView content, int mode) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::Io(tmp, Errno());
  ::fchmod(fd, static_cast<mode_t>(mode));  // the umask must not widen or narrow it
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = Errno();
      ::close(fd);
      return Status::Io(tmp, err);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return Status::Io(tmp, Errno());
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Status::Io(path, Errno());
  // Make the rename itself durable.
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Result<Bytes> ReadWholeFile(const std::string& path, size_t max_size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path, "no such file");
    return Status::Io(path, Errno());
  }
  Bytes out;
  uint8_t buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = Errno();
      ::close(fd);
      return Status::Io(path, err);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_size) {
      ::close(fd);
      return Status::Malformed(path, "file larger than " + std::to_string(max_size) + " bytes");
    }
    out.insert(out.end(), buffer, buffer + n);
  }
  ::close(fd);
  return out;
}

Status HomeDir::CheckNew() const {
  for (const std::string& p : {KeyPath(), NetworkPath(), DatabasePath()}) {
    if (Exists(p)) {
      return Status::AlreadyExists("home " + path_,
                                   "already holds a node (" + p + "); refusing to overwrite it");
    }
  }
  return Status::Ok();
}

Status HomeDir::Create() const {
  NANSE_RETURN_IF_ERROR(CheckNew());
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);
  if (ec) return Status::Io("home " + path_, ec.message());
  if (::chmod(path_.c_str(), 0700) != 0) return Status::Io("home " + path_, Errno());
  return Status::Ok();
}

Status HomeDir::CheckComplete() const {
  if (!Exists(path_) || (!Exists(KeyPath()) && !Exists(NetworkPath()))) {
    return Status::NotFound("home " + path_,
                            "no node here: run 'nanse init --network NAME' or 'nanse join CODE' "
                            "(or pass --home DIR)");
  }
  if (!Exists(NetworkPath()) || !Exists(KeyPath()) || !Exists(DatabasePath())) {
    return Status::Io("home " + path_,
                      "incomplete (an init or join was interrupted): remove it and start again");
  }
  return Status::Ok();
}

Status HomeDir::WriteKey(const Seed& seed) const {
  std::string text = std::string(kKeyPrefix) + Base64UrlEncode(seed) + "\n";
  Status s = WriteFileAtomically(KeyPath(), AsBytes(text), 0600);
  Wipe(text.data(), text.size());
  return s;
}

Result<SigningKey> HomeDir::ReadKey() const {
  auto seed = ReadSecretLine(KeyPath(), kKeyPrefix, "<base64url seed>");
  if (!seed.ok()) return seed.status();
  Seed s = ToArray<32>(*seed);
  Wipe(seed->data(), seed->size());
  SigningKey key = SigningKey::FromSeed(s);
  Wipe(s.data(), s.size());
  return key;
}

Status HomeDir::WriteNetwork(const NetworkInfo& info) const {
  std::string text = "id " + Base32Encode(info.id) + "\nname " + info.name + "\nkey " +
                     Base64UrlEncode(info.key) + "\n";
  Status s = WriteFileAtomically(NetworkPath(), AsBytes(text), 0600);
  Wipe(text.data(), text.size());
  return s;
}

Result<NetworkInfo> HomeDir::ReadNetwork() const {
  auto raw = ReadWholeFile(NetworkPath(), 4096);
  if (!raw.ok()) return raw.status();
  std::string text(raw->begin(), raw->end());
  Wipe(raw->data(), raw->size());
  NetworkInfo info;
  bool has_id = false, has_name = false, has_key = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("id ", 0) == 0) {
      auto id = DecodeId32(line.substr(3), NetworkPath() + " id");
      if (!id.ok()) return id.status();
      info.id = *id;
      has_id = true;
    } else if (line.rfind("name ", 0) == 0) {
      info.name = line.substr(5);
      has_name = true;
    } else if (line.rfind("key ", 0) == 0) {
      auto key = Base64UrlDecode(line.substr(4));
      if (!key.ok() || key->size() != 32) {
        return Status::Malformed(NetworkPath() + " key", "expected 32 bytes in base64url");
      }
      info.key = ToArray<32>(*key);
      Wipe(key->data(), key->size());
      has_key = true;
    }
    Wipe(line.data(), line.size());
  }
  Wipe(text.data(), text.size());
  if (!has_id || !has_name || !has_key) {
    return Status::Malformed(NetworkPath(), "expected lines 'id ...', 'name ...' and 'key ...'");
  }
  return info;
}

}  // namespace nanse

namespace nanse {
namespace {

constexpr std::string_view kNoiseKeyPrefix = "nanse-noise-key-v1 ";

// Writes `content` to a temporary file beside `path` (fsync), then links it to `path` only if
// nothing is there yet: AlreadyExists when another writer was first. Never replaces a file.
Status CreateFileExclusively(const std::string& path, ByteView content, int mode, Random& random) {
  std::array<uint8_t, 8> tag{};
  random.Fill(tag);
  std::string tmp = path + ".tmp-";
  for (uint8_t b : tag) {
    static constexpr char kHex[] = "0123456789abcdef";
    tmp += kHex[b >> 4];
    tmp += kHex[b & 15];
  }
  NANSE_RETURN_IF_ERROR(WriteFileAtomically(tmp, content, mode));
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) return Status::AlreadyExists(path);
    return Status::Io(path, std::strerror(link_errno));
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace

Result<noise::DhKeyPair> HomeDir::ReadNoiseKey() const {
  auto secret = ReadSecretLine(NoiseKeyPath(), kNoiseKeyPrefix, "<base64url key>");
  if (!secret.ok()) return secret.status();
  auto key = noise::DhKeyPair::FromPrivate(*secret);
  Wipe(secret->data(), secret->size());
  if (!key.ok()) return Status::Malformed(NoiseKeyPath(), key.status().ToString());
  return key;
}

Result<noise::DhKeyPair> HomeDir::ReadOrCreateNoiseKey(Random& random) const {
  auto existing = ReadNoiseKey();
  if (existing.ok() || existing.status().code() != Status::Code::kNotFound) return existing;
  if (!Exists(path_)) return Status::NotFound("home " + path_, "no such directory");
  noise::DhKeyPair fresh = noise::DhKeyPair::Generate(random);
  std::string text =
      std::string(kNoiseKeyPrefix) + Base64UrlEncode(fresh.private_key.view()) + "\n";
  Status s = CreateFileExclusively(NoiseKeyPath(), AsBytes(text), 0600, random);
  Wipe(text.data(), text.size());
  if (s.ok()) return fresh;
  if (s.code() == Status::Code::kAlreadyExists) return ReadNoiseKey();  // another process won
  return s;
}

Result<std::optional<std::string>> HomeDir::ReadListenAddress() const {
  std::error_code ec;
  if (!std::filesystem::exists(ListenPath(), ec)) return std::optional<std::string>();
  auto raw = ReadWholeFile(ListenPath(), 1024);
  if (!raw.ok()) return raw.status();
  std::string text(raw->begin(), raw->end());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  // Checked where it is used (ParseHostPort, which also allows port 0: any free port).
  return std::optional<std::string>(text);
}

Status HomeDir::WriteListenAddress(const std::string& address) const {
  if (address.empty() || address.size() > 260 || address.find('\n') != std::string::npos) {
    return Status::Malformed("--listen", "expected HOST:PORT");
  }
  const std::string line = address + "\n";
  return WriteFileAtomically(ListenPath(), AsBytes(std::string_view(line)), 0644);
}

}  // namespace nanse
