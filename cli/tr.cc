#include "cli/tr.h"

#include <libintl.h>
#include <unistd.h>

#include <algorithm>
#include <clocale>
#include <cstdlib>
#include <filesystem>

namespace nanse::cli {
namespace {

// The one piece of process-wide state, set once at start-up: gettext itself is process-wide.
std::string& ChosenLanguage() {
  static std::string lang = "en";
  return lang;
}

std::string LanguageFromEnvironment() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) {
      std::string s(v);
      if (s == "C" || s == "POSIX" || s.rfind("C.", 0) == 0) return "en";
      return s.substr(0, 2);
    }
  }
  return "en";
}

// The catalogs sit beside the binary (<dir>/locale), or where NANSE_LOCALEDIR says.
std::string LocaleDir() {
  if (const char* dir = std::getenv("NANSE_LOCALEDIR"); dir && *dir) return dir;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "/usr/share/locale";
  return (exe.parent_path() / "locale").string();
}

}  // namespace

void SetUpTranslation(const std::string& lang) {
  std::string chosen = lang.empty() ? LanguageFromEnvironment() : lang;
  if (chosen != "fr" && chosen != "es") chosen = "en";
  ChosenLanguage() = chosen;
  // gettext ignores LANGUAGE under the "C" locale, and the user's own locale (fr_CA.UTF-8)
  // may not be installed on a Pi: C.UTF-8 always is, and keeps UTF-8 output.
  if (!std::setlocale(LC_ALL, "")) std::setlocale(LC_ALL, "C.UTF-8");
  const char* current = std::setlocale(LC_MESSAGES, nullptr);
  if (!current || std::string(current) == "C" || std::string(current) == "POSIX") {
    std::setlocale(LC_MESSAGES, "C.UTF-8");
  }
  std::setlocale(LC_NUMERIC, "C");  // numbers in output are never localized
  setenv("LANGUAGE", chosen.c_str(), 1);
  bindtextdomain("nanse", LocaleDir().c_str());
  bind_textdomain_codeset("nanse", "UTF-8");
  textdomain("nanse");
}

const char* Tr(const char* msgid) { return ChosenLanguage() == "en" ? msgid : gettext(msgid); }

std::string Fill(std::string_view text,
                 std::initializer_list<std::pair<std::string_view, std::string>> values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('}', open + 1);
    if (close == std::string_view::npos) break;
    const std::string_view name = text.substr(open + 1, close - open - 1);
    out.append(text.substr(i, open - i));
    const auto* it =
        std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    if (it != values.end()) {
      out += it->second;
    } else {
      out.append(text.substr(open, close - open + 1));
    }
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

const std::string& UiLanguage() { return ChosenLanguage(); }

}  // namespace nanse::cli
