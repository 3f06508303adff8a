// Translation of user-facing text (English, French, Spanish) through GNU gettext.
//
// Every message a person reads goes through Tr("..."); JSON keys, CSV headers, codes and exit
// codes never do, so scripts work in any language. Catalogs: po/<lang>.po, compiled by the build
// into <build>/locale/<lang>/LC_MESSAGES/nanse.mo.
#pragma once

#include <string>

namespace nanse::cli {

// Chooses the language: `lang` ("en", "fr", "es") if given, else the environment's LC_ALL,
// LC_MESSAGES or LANG. Call once, before any Tr().
void SetUpTranslation(const std::string& lang);

// The translation of `msgid` in the chosen language (itself when there is none).
const char* Tr(const char* msgid);

// The chosen language's code: "en", "fr" or "es".
const std::string& UiLanguage();

}  // namespace nanse::cli
