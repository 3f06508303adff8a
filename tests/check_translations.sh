#!/usr/bin/env bash
# Fails when a message of cli/ is left untranslated: re-extracts the Tr("...") strings, and checks
# that po/fr.po and po/es.po translate every one (not fuzzy, not empty), keep each {placeholder},
# pass `msgfmt --check`, and that po/nanse.pot is up to date.
#
# After changing messages: regenerate the template, merge, then translate what is new:
#   xgettext --keyword=Tr --from-code=UTF-8 -o po/nanse.pot cli/*.cc
#   msgmerge --update --no-fuzzy-matching po/fr.po po/nanse.pot   (and po/es.po)
set -u -o pipefail
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
for tool in xgettext msgfmt msgcmp msgattrib msgcat python3; do
  command -v "$tool" >/dev/null || { echo "check_translations: $tool is missing (scripts/setup)"; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nanse-po-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if ! xgettext --keyword=Tr --from-code=UTF-8 -o "$tmp/extracted.pot" cli/*.cc; then
  echo "xgettext failed on cli/*.cc"
  exit 1
fi
bad=0

# msgids of a catalog, one per line (escapes kept), without the header.
msgids() { msgcat --no-wrap --no-location --sort-output "$1" | sed -n 's/^msgid "\(.\+\)"$/\1/p'; }

msgids "$tmp/extracted.pot" >"$tmp/extracted.ids"
msgids po/nanse.pot >"$tmp/template.ids"
if ! diff -q "$tmp/extracted.ids" "$tmp/template.ids" >/dev/null; then
  echo "po/nanse.pot is out of date (< in cli/, > only in po/nanse.pot):"
  diff "$tmp/extracted.ids" "$tmp/template.ids" | grep '^[<>]'
  echo "  regenerate it: xgettext --keyword=Tr --from-code=UTF-8 -o po/nanse.pot cli/*.cc"
  bad=1
fi

for lang in fr es; do
  po=po/$lang.po
  if [ ! -f "$po" ]; then
    echo "$po is missing"
    bad=1
    continue
  fi
  if ! msgfmt --check --output-file=/dev/null "$po"; then
    echo "$po: msgfmt --check fails"
    bad=1
  fi
  # Every extracted message, translated (msgcmp counts fuzzy and empty entries as missing).
  if ! msgcmp --no-fuzzy-matching "$po" "$tmp/extracted.pot" 2>"$tmp/msgcmp.err"; then
    echo "$po: messages of cli/ missing, fuzzy or untranslated:"
    sed 's/^/  /' "$tmp/msgcmp.err"
    bad=1
  fi
  # The same, also for entries that are no longer extracted (msgid "" is the header).
  msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | grep '^msgid ' | grep -v '^msgid ""$' \
    >"$tmp/fuzzy"
  msgattrib --untranslated --no-obsolete --no-wrap "$po" | grep '^msgid ' | grep -v '^msgid ""$' \
    >"$tmp/untranslated"
  if [ -s "$tmp/fuzzy" ] || [ -s "$tmp/untranslated" ]; then
    echo "$po: $(wc -l <"$tmp/fuzzy") fuzzy and $(wc -l <"$tmp/untranslated") untranslated entries:"
    sed 's/^/  fuzzy: /' "$tmp/fuzzy"
    sed 's/^/  untranslated: /' "$tmp/untranslated"
    bad=1
  fi
  # Fill() placeholders: a translation has exactly the {names} of its msgid.
  if ! msgattrib --no-wrap --no-obsolete "$po" | python3 -c '
import re, sys
po, entries, key, cur = sys.argv[1], [], None, {}
for line in sys.stdin.read().splitlines():
    m = re.match(r"^(msgid|msgstr) \"(.*)\"$", line)
    if m:
        key = m.group(1)
        cur[key] = m.group(2)
        if key == "msgstr":
            entries.append(cur)
            cur = {}
    elif line.startswith("\"") and key:
        (entries[-1] if key == "msgstr" else cur)[key] += line[1:-1]
    elif not line.strip():
        key = None
if len(entries) < 2:
    print("%s: no messages read" % po)
    sys.exit(1)
bad = 0
for e in entries:
    if not e["msgid"]:
        continue
    want, got = sorted(re.findall(r"\{\w+\}", e["msgid"])), sorted(re.findall(r"\{\w+\}", e["msgstr"]))
    if want != got:
        print("%s: placeholders %s of \"%s\" became %s" % (po, want, e["msgid"], got))
        bad = 1
sys.exit(bad)
' "$po"; then
    bad=1
  fi
  obsolete=$(grep -c '^#~ msgid' "$po" || true)
  [ "$obsolete" -gt 0 ] && echo "$po: note: $obsolete obsolete entries (#~) could be removed"
done

[ $bad -eq 0 ] && echo "translations ok: $(wc -l <"$tmp/extracted.ids") messages of cli/, all in po/fr.po and po/es.po"
exit $bad
