// Translation of user-facing text (English, French, Spanish) through GNU gettext.
//
// Every message a person reads goes through Tr("..."); JSON keys, CSV headers, codes and exit
// codes never do, so scripts work in any language. Catalogs: po/<lang>.po, compiled by the build
// into <build>/locale/<lang>/LC_MESSAGES/nanse.mo.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace nanse::cli {

// Chooses the language: `lang` ("en", "fr", "es") if given, else the environment's LC_ALL,
// LC_MESSAGES or LANG. Call once, before any Tr().
void SetUpTranslation(const std::string& lang);

// The translation of `msgid` in the chosen language (itself when there is none).
const char* Tr(const char* msgid);

// `text` with each {name} replaced by its value, so that a message stays one whole sentence
// whose word order each language chooses: Fill(Tr("wrote {ops} ops to {file}"), {{"ops", "3"},
// {"file", path}}). Values are inserted as they are (never scanned for placeholders); an
// unknown {name} is left as it is.
std::string Fill(std::string_view text,
                 std::initializer_list<std::pair<std::string_view, std::string>> values);

// The chosen language's code: "en", "fr" or "es".
const std::string& UiLanguage();

}  // namespace nanse::cli
