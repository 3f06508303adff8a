#include "cli/passphrase.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>

#include "cli/tr.h"
#include "crdt/crypto.h"
#include "node/key_backup.h"

namespace nanse::cli {
namespace {

// The terminal's settings while echo is off, so a signal handler can put them back.
int g_tty = -1;
struct termios g_saved_tty;

void RestoreTerminalAndReraise(int sig) {
  if (g_tty >= 0) tcsetattr(g_tty, TCSAFLUSH, &g_saved_tty);  // async-signal-safe
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

// One line from the terminal `fd`, typed without echo.
Status AskOnce(int fd, const std::string& prompt, Passphrase& out) {
  struct termios saved;
  if (tcgetattr(fd, &saved) != 0) {
    return Status::Io("passphrase", Tr("no terminal to ask for it: set NANSE_PASSPHRASE"));
  }
  WriteAll(fd, prompt);
  struct termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;  // the Enter key still moves to the next line
  g_saved_tty = saved;
  g_tty = fd;
  const int signals[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP};
  void (*previous[4])(int);
  for (int i = 0; i < 4; ++i) previous[i] = std::signal(signals[i], RestoreTerminalAndReraise);
  tcsetattr(fd, TCSAFLUSH, &quiet);

  std::string& text = out.text();
  text.clear();
  bool too_long = false;
  Status status;
  for (;;) {
    char c;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = Status::Io("passphrase", Tr("could not read it from the terminal"));
      break;
    }
    if (n == 0 || c == '\n') break;
    if (text.size() < Passphrase::kMaxBytes) {
      text.push_back(c);
    } else {
      too_long = true;
    }
    c = 0;
  }
  tcsetattr(fd, TCSAFLUSH, &saved);
  for (int i = 0; i < 4; ++i) std::signal(signals[i], previous[i]);
  g_tty = -1;
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (status.ok() && too_long) {
    status = Status::Malformed(
        "passphrase",
        Fill(Tr("longer than {count} bytes"), {{"count", std::to_string(Passphrase::kMaxBytes)}}));
  }
  return status;
}

Status CheckLength(const Passphrase& p) {
  if (PassphraseChars(p.view()) >= kMinPassphraseChars) return Status::Ok();
  return Status::Malformed("passphrase", Fill(Tr("expected at least {count} characters"),
                                              {{"count", std::to_string(kMinPassphraseChars)}}));
}

}  // namespace

Passphrase::~Passphrase() { Wipe(text_.data(), text_.capacity()); }

Result<Passphrase> ReadPassphrase(const std::string& prompt, bool confirm) {
  Passphrase first;
  if (const char* env = std::getenv("NANSE_PASSPHRASE")) {
    first.text().append(env);
    if (confirm) NANSE_RETURN_IF_ERROR(CheckLength(first));
    return first;
  }
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return Status::Io("passphrase", Tr("no terminal to ask for it: set NANSE_PASSPHRASE"));
  }
  Status asked = AskOnce(fd, prompt, first);
  if (asked.ok() && confirm) asked = CheckLength(first);
  if (asked.ok() && confirm) {
    Passphrase again;
    asked = AskOnce(fd, Tr("Repeat the passphrase: "), again);
    if (asked.ok() && again.view() != first.view()) {
      asked = Status::Malformed("passphrase", Tr("the two passphrases differ"));
    }
  }
  ::close(fd);
  if (!asked.ok()) return asked;
  return first;
}

}  // namespace nanse::cli
