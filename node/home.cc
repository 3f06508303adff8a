#include "node/home.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
  auto raw = ReadWholeFile(KeyPath(), 4096);
  if (!raw.ok()) return raw.status();
  std::string text = Trim(std::string(raw->begin(), raw->end()));
  Wipe(raw->data(), raw->size());
  if (text.compare(0, kKeyPrefix.size(), kKeyPrefix) != 0) {
    Wipe(text.data(), text.size());
    return Status::Malformed(KeyPath(), "expected 'nanse-node-key-v1 <base64url seed>'");
  }
  auto seed = Base64UrlDecode(std::string_view(text).substr(kKeyPrefix.size()));
  Wipe(text.data(), text.size());
  if (!seed.ok() || seed->size() != 32) {
    return Status::Malformed(KeyPath(), "expected a 32-byte seed in base64url");
  }
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
