#!/usr/bin/env python3
"""Generates nanse's ISO code tables (crdt/codes_data.h) from Debian's iso-codes package.

Reads, at build time (CMake runs this; nothing reads iso-codes at run time):
  <json-dir>/iso_3166-1.json   countries          (alpha_2, name, common_name)
  <json-dir>/iso_3166-2.json   subdivisions       (code, name)
  <json-dir>/iso_4217.json     currencies         (alpha_3; iso-codes has no minor units)
  <json-dir>/iso_639-2.json    languages          (alpha_2, alpha_3, name)
  <json-dir>/iso_639-3.json    languages          (alpha_2, alpha_3, name)
  <json-dir>/iso_15924.json    scripts            (alpha_4)
  <locale-dir>/{fr,es}/LC_MESSAGES/iso_3166-1.mo, iso_3166-2.mo, iso_639-2.mo, iso_639-3.mo
                               French and Spanish names (gettext catalogues keyed by English name)
and writes one C++ source: a pool of NUL-terminated strings and tables of offsets into it, each
sorted by code for binary search. The output depends only on the inputs (reproducible).

Python 3 standard library only.
"""

import argparse
import gettext
import json
import os
import re
import sys

# ISO 4217 minor units ("exponent") that are not 2. iso_4217.json carries no minor units, so
# this table is ours, from the ISO 4217 list (SIX, "List one"). Every other currency in
# iso_4217.json has exponent 2, except the codes in NO_MINOR_UNIT.
EXPONENTS = {
    # 0: no minor unit in use
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    # 3
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    # 4
    "CLF": 4, "UYW": 4,
}

# Codes in iso_4217.json that ISO 4217 lists with minor unit "N.A.": precious metals, bond-market
# units, the SDR, the SUCRE, the ADB unit, the testing code and "no currency". Nobody pays dues
# in them, so they are left out (CurrencyExponent gives nullopt).
NO_MINOR_UNIT = {
    "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX",
}

# French subdivision names where iso-codes' catalogue is wrong. Canada's provinces and
# territories have official French names (Natural Resources Canada, Canadian Geographical
# Names); iso-codes 4.15 misspells three of them. "Virginia occidentale" is not French.
FRENCH_SUBDIVISION_FIXES = {
    "CA-NB": "Nouveau-Brunswick",
    "CA-NT": "Territoires du Nord-Ouest",
    "CA-PE": "Île-du-Prince-Édouard",
    "US-WV": "Virginie-Occidentale",
}

LANGS = ("fr", "es")


class _Missing(gettext.NullTranslations):
    """A fallback catalogue that answers None, so a missing translation is told apart."""

    def gettext(self, message):
        return None


class Catalogue:
    def __init__(self, locale_dir, domain, lang):
        path = os.path.join(locale_dir, lang, "LC_MESSAGES", domain + ".mo")
        try:
            with open(path, "rb") as f:
                self._t = gettext.GNUTranslations(f)
        except OSError as e:
            sys.exit(f"gen_codes.py: cannot read {path}: {e.strerror} (is iso-codes installed, "
                     "with its translations? see scripts/setup)")
        self._t.add_fallback(_Missing())

    def get(self, msgid):
        """The translation of msgid, or None when the catalogue has none."""
        if not msgid:
            return None
        text = self._t.gettext(msgid)
        return text.strip() if text and text.strip() else None


def load(json_dir, name, key):
    path = os.path.join(json_dir, name + ".json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)[key]
    except (OSError, KeyError, ValueError) as e:
        sys.exit(f"gen_codes.py: cannot read {path}: {e}")


def first(*candidates):
    for c in candidates:
        if c:
            return c
    return None


def iso_codes_version(json_dir):
    pc = os.path.join(json_dir, "..", "..", "pkgconfig", "iso-codes.pc")
    try:
        with open(pc, encoding="utf-8") as f:
            for line in f:
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def countries(json_dir, cats):
    rows = {}
    for e in load(json_dir, "iso_3166-1", "3166-1"):
        code = e["alpha_2"]
        if not re.fullmatch(r"[A-Z]{2}", code):
            sys.exit(f"gen_codes.py: unexpected ISO 3166-1 code {code!r}")
        # The short common name ("Bolivia") reads better in a directory than the formal one
        # ("Bolivia, Plurinational State of"); each language takes the first it translates.
        common, name = e.get("common_name"), e["name"]
        en = first(common, name)
        names = [en]
        for lang in LANGS:
            cat = cats[("iso_3166-1", lang)]
            names.append(first(cat.get(common), cat.get(name), en))
        rows[code] = names
    return rows


def subdivisions(json_dir, cats, country_rows, country_entries):
    # English name of a country -> alpha-2, to borrow a country's translation for a
    # subdivision of the same name ("Martinique", FR-972) when iso_3166-2.mo has none.
    by_name = {}
    for e in country_entries:
        for k in ("name", "common_name", "official_name"):
            if k in e:
                by_name[e[k]] = e
    rows = {}
    for e in load(json_dir, "iso_3166-2", "3166-2"):
        code, name = e["code"], e["name"]
        if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code):
            sys.exit(f"gen_codes.py: unexpected ISO 3166-2 code {code!r}")
        if code[:2] not in country_rows:
            sys.exit(f"gen_codes.py: subdivision {code} of an unknown country")
        names = [name]
        for lang in LANGS:
            text = cats[("iso_3166-2", lang)].get(name)
            if text is None and name in by_name:
                text = cats[("iso_3166-1", lang)].get(name)
            if lang == "fr" and code in FRENCH_SUBDIVISION_FIXES:
                text = FRENCH_SUBDIVISION_FIXES[code]
            names.append(text or name)
        rows[code] = names
    for code in FRENCH_SUBDIVISION_FIXES:
        if code not in rows:
            sys.exit(f"gen_codes.py: FRENCH_SUBDIVISION_FIXES names {code}, not in iso-codes")
    return rows


def currencies(json_dir):
    rows = {}
    for e in load(json_dir, "iso_4217", "4217"):
        code = e["alpha_3"]
        if not re.fullmatch(r"[A-Z]{3}", code):
            sys.exit(f"gen_codes.py: unexpected ISO 4217 code {code!r}")
        if code in NO_MINOR_UNIT:
            continue
        rows[code] = EXPONENTS.get(code, 2)
    return rows


def languages(json_dir, cats):
    """Language subtags valid in BCP 47, with en/fr/es names.

    RFC 5646 section 2.2.1: a language with an ISO 639-1 code is written with it ("fr"); its
    three-letter codes ("fra", "fre") are not registered subtags. Every other ISO 639-3 code
    and the ISO 639-2 codes that ISO 639-3 lacks (collective codes such as "nah", "myn") are.
    ISO 639-2 bibliographic codes ("fre", "ger") are never subtags, nor is the local-use range
    "qaa-qtz" (iso-codes lists it as one entry).
    """
    part3 = load(json_dir, "iso_639-3", "639-3")
    part2 = load(json_dir, "iso_639-2", "639-2")
    names2 = {e["alpha_3"]: e["name"] for e in part2}
    entries = {}  # subtag -> (639-3 name or None, 639-2 name or None)
    for e in part3:
        subtag = e.get("alpha_2") or e["alpha_3"]
        entries[subtag] = (e["name"], names2.get(e["alpha_3"]))
    for e in part2:
        if not re.fullmatch(r"[a-z]{3}", e["alpha_3"]):
            continue  # "qaa-qtz"
        subtag = e.get("alpha_2") or e["alpha_3"]
        if subtag not in entries:
            entries[subtag] = (None, e["name"])
    rows = {}
    for subtag, (name3, name2) in entries.items():
        if not re.fullmatch(r"[a-z]{2,3}", subtag):
            sys.exit(f"gen_codes.py: unexpected ISO 639 code {subtag!r}")
        en = first(name3, name2)
        names = [en]
        for lang in LANGS:
            names.append(first(cats[("iso_639-3", lang)].get(name3),
                               cats[("iso_639-2", lang)].get(name2), en))
        rows[subtag] = names
    return rows


def scripts(json_dir):
    codes = []
    for e in load(json_dir, "iso_15924", "15924"):
        code = e["alpha_4"]
        if not re.fullmatch(r"[A-Z][a-z]{3}", code):
            sys.exit(f"gen_codes.py: unexpected ISO 15924 code {code!r}")
        codes.append(code)
    return sorted(codes)


class Pool:
    """NUL-terminated UTF-8 strings, each stored once; offset 0 is the empty string."""

    def __init__(self):
        self.data = bytearray(b"\0")
        self.offsets = {"": 0}
        self.order = []

    def add(self, text):
        if text not in self.offsets:
            if "\0" in text:
                sys.exit(f"gen_codes.py: NUL in {text!r}")
            self.offsets[text] = len(self.data)
            self.data += text.encode("utf-8") + b"\0"
            self.order.append(text)
        return self.offsets[text]


def c_literal(text):
    out = []
    for ch in text:
        if ch in '"\\?':  # '?' too: no trigraph-like sequences
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):03o}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '\\0"'


def render(version, country_rows, subdivision_rows, currency_rows, language_rows, script_codes):
    pool = Pool()

    def named(rows):
        lines = []
        for code in sorted(rows, key=lambda c: c.encode("ascii")):
            offs = [pool.add(code)] + [pool.add(n) for n in rows[code]]
            lines.append("    {%d, %d, %d, %d}," % tuple(offs))
        return lines

    countries_src = named(country_rows)
    subdivisions_src = named(subdivision_rows)
    languages_src = named(language_rows)
    currencies_src = ["    {%d, %d}," % (pool.add(c), currency_rows[c])
                      for c in sorted(currency_rows)]
    scripts_src = ["    {%d}," % pool.add(s) for s in script_codes]

    out = []
    out.append("// Generated by scripts/gen_codes.py from Debian's iso-codes %s. Do not edit:" % version)
    out.append("// change the script, or iso-codes, and rebuild.")
    out.append("// %d countries, %d subdivisions, %d currencies, %d languages, %d scripts." % (
        len(country_rows), len(subdivision_rows), len(currency_rows), len(language_rows),
        len(script_codes)))
    out.append("// clang-format off")
    out.append('#include "crdt/codes_data.h"')
    out.append("")
    out.append("namespace nanse::codes::data {")
    out.append("namespace {")
    out.append("")
    out.append("constexpr NamedRow kCountryRows[] = {")
    out += countries_src
    out.append("};")
    out.append("constexpr NamedRow kSubdivisionRows[] = {")
    out += subdivisions_src
    out.append("};")
    out.append("constexpr CurrencyRow kCurrencyRows[] = {")
    out += currencies_src
    out.append("};")
    out.append("constexpr NamedRow kLanguageRows[] = {")
    out += languages_src
    out.append("};")
    out.append("constexpr CodeRow kScriptRows[] = {")
    out += scripts_src
    out.append("};")
    out.append("")
    out.append("}  // namespace")
    out.append("")
    out.append("// %d bytes." % len(pool.data))
    out.append("const char kStringPool[] =")
    out.append('    "\\0"  // offset 0: the empty string')
    for text in pool.order:
        out.append("    " + c_literal(text))
    out.append("    ;")
    out.append("")
    out.append("const std::span<const NamedRow> kCountries{kCountryRows};")
    out.append("const std::span<const NamedRow> kSubdivisions{kSubdivisionRows};")
    out.append("const std::span<const CurrencyRow> kCurrencies{kCurrencyRows};")
    out.append("const std::span<const NamedRow> kLanguages{kLanguageRows};")
    out.append("const std::span<const CodeRow> kScripts{kScriptRows};")
    out.append('const std::string_view kIsoCodesVersion = "%s";' % version)
    out.append("")
    out.append("}  // namespace nanse::codes::data")
    out.append("// clang-format on")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json-dir", default="/usr/share/iso-codes/json")
    parser.add_argument("--locale-dir", default="/usr/share/locale")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    cats = {}
    for domain in ("iso_3166-1", "iso_3166-2", "iso_639-2", "iso_639-3"):
        for lang in LANGS:
            cats[(domain, lang)] = Catalogue(args.locale_dir, domain, lang)

    country_entries = load(args.json_dir, "iso_3166-1", "3166-1")
    country_rows = countries(args.json_dir, cats)
    subdivision_rows = subdivisions(args.json_dir, cats, country_rows, country_entries)
    text = render(iso_codes_version(args.json_dir), country_rows, subdivision_rows,
                  currencies(args.json_dir), languages(args.json_dir, cats), scripts(args.json_dir))

    # Write through a temporary file, so an interrupted build leaves no half table behind.
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
