#!/usr/bin/env bash
# --lang en|fr|es and the locale choose the language of messages, table headers and help; JSON,
# CSV headers, codes and exit codes are the same in every language.
source "$(dirname "$0")/lib.sh"
: "${NANSE_SOURCE:?set NANSE_SOURCE to the source directory}"
H=$WORK/home
# Only what a test sets chooses the language: not the environment ctest runs in.
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8

expect_exit 0 "init" -- nanse --home "$H" init --network N --name pi
expect_exit 0 "import the sample members" -- \
  nanse --home "$H" member import "$NANSE_SOURCE/examples/sample/members.csv"
member=$(nanse --home "$H" --format json member list | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")

# has FILE TEXT DESCRIPTION: FILE contains TEXT
has() {
  if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3: no '$2' in:"; sed 's/^/    /' "$1"; fi
}
# lacks FILE TEXT DESCRIPTION: FILE does not contain TEXT
lacks() {
  if grep -qF -- "$2" "$1"; then fail "$3: '$2' found in:"; sed 's/^/    /' "$1"; else pass "$3"; fi
}
# header FILE: the first line of FILE, the table's header
header() { head -n 1 "$1"; }

# Table headers.
nanse --home "$H" --lang en member list >"$WORK/list.en"
nanse --home "$H" --lang fr member list >"$WORK/list.fr"
nanse --home "$H" --lang es member list >"$WORK/list.es"
[[ $(header "$WORK/list.en") == ID*KIND*NAME*COUNTRY*STATUS* ]] && pass "English headers" \
  || fail "English headers: $(header "$WORK/list.en")"
[[ $(header "$WORK/list.fr") == ID*TYPE*NOM*PAYS*LOCALITÉ*STATUT* ]] && pass "French headers" \
  || fail "French headers: $(header "$WORK/list.fr")"
[[ $(header "$WORK/list.es") == ID*TIPO*NOMBRE*PAÍS*LOCALIDAD*ESTADO* ]] && pass "Spanish headers" \
  || fail "Spanish headers: $(header "$WORK/list.es")"
[ "$(wc -l <"$WORK/list.en")" = "$(wc -l <"$WORK/list.fr")" ] \
  && [ "$(wc -l <"$WORK/list.en")" = "$(wc -l <"$WORK/list.es")" ] \
  && pass "the same rows in every language" || fail "row counts differ"
# Codes in the cells stay codes.
has "$WORK/list.fr" "organization" "French keeps the kind code"
has "$WORK/list.es" "lapsed" "Spanish keeps the standing code"
nanse --home "$H" --lang=fr status >"$WORK/status.fr"
has "$WORK/status.fr" "nœud:" "--lang=fr: French field labels in status"
has "$WORK/status.fr" "(ce nœud)" "--lang=fr: French in the heads table"
nanse --home "$H" status --lang es >"$WORK/status.es"
has "$WORK/status.es" "ÚLTIMA OP" "--lang after the subcommand: Spanish headers"

# The locale, when there is no --lang (env, so that bash itself does not try the locales).
env LANG=fr_CA.UTF-8 "$NANSE_BIN" --home "$H" member list >"$WORK/list.locale_fr"
cmp -s "$WORK/list.locale_fr" "$WORK/list.fr" && pass "LANG=fr_CA.UTF-8 picks French" \
  || fail "LANG=fr_CA.UTF-8: $(header "$WORK/list.locale_fr")"
env LANG=es_MX.UTF-8 "$NANSE_BIN" --home "$H" member list >"$WORK/list.locale_es"
cmp -s "$WORK/list.locale_es" "$WORK/list.es" && pass "LANG=es_MX.UTF-8 picks Spanish" \
  || fail "LANG=es_MX.UTF-8: $(header "$WORK/list.locale_es")"
env LC_ALL=es_MX.UTF-8 LANG=fr_CA.UTF-8 "$NANSE_BIN" --home "$H" member list >"$WORK/list.lc_all"
cmp -s "$WORK/list.lc_all" "$WORK/list.es" && pass "LC_ALL comes before LANG" \
  || fail "LC_ALL: $(header "$WORK/list.lc_all")"
env LANG=C "$NANSE_BIN" --home "$H" member list >"$WORK/list.c"
cmp -s "$WORK/list.c" "$WORK/list.en" && pass "LANG=C gives English" \
  || fail "LANG=C: $(header "$WORK/list.c")"
env LANG=fr_CA.UTF-8 "$NANSE_BIN" --home "$H" --lang en member list >"$WORK/list.override"
cmp -s "$WORK/list.override" "$WORK/list.en" && pass "--lang en wins over LANG=fr_CA.UTF-8" \
  || fail "--lang en with LANG=fr: $(header "$WORK/list.override")"
env LANG=de_DE.UTF-8 "$NANSE_BIN" --home "$H" member list >"$WORK/list.de"
cmp -s "$WORK/list.de" "$WORK/list.en" && pass "an unsupported locale gives English" \
  || fail "LANG=de_DE.UTF-8: $(header "$WORK/list.de")"

# Messages.
nanse --home "$H" --lang fr project add --title "Projet" --kind business --status active \
  --lead "$member" --language fr >"$WORK/msg.fr"
has "$WORK/msg.fr" "projet " "French message for project add"
has "$WORK/msg.fr" " ajouté" "French message in French word order"
nanse --home "$H" --lang es member set "$member" --locality "Oaxaca" >"$WORK/msg.es"
has "$WORK/msg.es" "guardado (1 campos)" "Spanish message for member set"
nanse --home "$H" --lang en member set "$member" --locality "Montréal" >"$WORK/msg.en"
has "$WORK/msg.en" "saved (1 fields)" "English message for member set"

# What scripts read never changes: JSON and CSV headers.
for cmd in "member list" "status" "project list" "log"; do
  name=${cmd// /_}
  # shellcheck disable=SC2086
  for l in en fr es; do nanse --home "$H" --lang $l --format json $cmd >"$WORK/$name.$l.json"; done
  cmp -s "$WORK/$name.en.json" "$WORK/$name.fr.json" && cmp -s "$WORK/$name.en.json" "$WORK/$name.es.json" \
    && pass "$cmd --format json is byte-identical in en, fr, es" || fail "$cmd JSON differs by language"
done
# dues status names each member in the interface language: the same keys, not the same bytes.
for l in en fr es; do
  nanse --home "$H" --lang $l --format json dues status \
    | python3 -c "import json,sys; print(sorted({k for row in json.load(sys.stdin) for k in row}))" \
    >"$WORK/dues_keys.$l"
done
cmp -s "$WORK/dues_keys.en" "$WORK/dues_keys.fr" && cmp -s "$WORK/dues_keys.en" "$WORK/dues_keys.es" \
  && pass "dues status --format json has the same keys in en, fr, es" || fail "dues status JSON keys differ"
for cmd in "member list" "dues status" "dues schedule" "project list" "member history $member"; do
  name=${cmd// /_}
  # shellcheck disable=SC2086
  for l in en fr es; do
    nanse --home "$H" --lang $l --format csv $cmd >"$WORK/csv"
    head -n 1 "$WORK/csv" >"$WORK/$name.$l.csv"
  done
  cmp -s "$WORK/$name.en.csv" "$WORK/$name.fr.csv" && cmp -s "$WORK/$name.en.csv" "$WORK/$name.es.csv" \
    && pass "$cmd --format csv has the same header in en, fr, es" || fail "$cmd CSV header differs"
done
for l in en fr es; do nanse --home "$H" --lang $l --format csv member show "$member" >"$WORK/show.$l.csv"; done
cmp -s "$WORK/show.en.csv" "$WORK/show.fr.csv" && cmp -s "$WORK/show.en.csv" "$WORK/show.es.csv" \
  && pass "member show --format csv (field keys, codes) is byte-identical in en, fr, es" \
  || fail "member show CSV differs by language"
nanse --home "$H" --lang es member show "$member" >"$WORK/show.es"
has "$WORK/show.es" "fecha de ingreso:" "member show labels fields in Spanish"
has "$WORK/show.es" "CA (Canadá)" "member show names codes in Spanish"

# Errors: the same exit code in every language; the message translated where cli/ makes it.
for l in en fr es; do
  expect_exit 1 "$l: an unknown member id" -- nanse --home "$H" --lang $l member show 00000000
  expect_stderr_has "00000000" "$l: the error names the id"
done
expect_exit 1 "fr: a bad --country" -- nanse --home "$H" --lang fr member list --country ZZ
expect_stderr_has "nanse : erreur : --country : code ISO 3166-1 alpha-2 attendu, reçu « ZZ »" \
  "the French error, made in cli/"
expect_exit 1 "es: a bad --country" -- nanse --home "$H" --lang es member list --country ZZ
expect_stderr_has "--country: se esperaba un código ISO 3166-1 alfa-2" "the Spanish error"
expect_exit 1 "en: a bad --country" -- nanse --home "$H" --lang en member list --country ZZ
expect_stderr_has "nanse: error: --country: expected an ISO 3166-1 alpha-2 code, got 'ZZ'" \
  "the English error"
for l in en fr es; do
  expect_exit 2 "$l: node set with nothing to set" -- nanse --home "$H" --lang $l node set
done
expect_stderr_has "indique --name, --address o --no-addresses" "the Spanish usage error"
expect_exit 2 "fr: member set with nothing to set" -- nanse --home "$H" --lang fr member set "$member"
expect_stderr_has "indiquez au moins un champ à modifier" "the French usage error"

# Languages there are no catalogs for are refused.
expect_exit 2 "--lang de is refused" -- nanse --home "$H" --lang de status
expect_stderr_has "--lang" "the refusal names --lang"
expect_exit 2 "--lang=pt is refused" -- nanse --home "$H" --lang=pt status

# Help in every language.
for l in en fr es; do
  expect_exit 0 "$l: --help" -- nanse --lang $l --help
  cp "$WORK/out" "$WORK/help.$l"
  expect_exit 0 "$l: member list --help" -- nanse --lang $l member list --help
  cp "$WORK/out" "$WORK/help_list.$l"
done
has "$WORK/help.en" "Print this help message and exit" "English help"
has "$WORK/help.fr" "Afficher ce message d'aide et quitter" "French help"
has "$WORK/help.fr" "Sous-commandes:" "French help titles"
has "$WORK/help.es" "Mostrar este mensaje de ayuda y salir" "Spanish help"
has "$WORK/help_list.fr" "Code de pays ISO" "French option help"
has "$WORK/help_list.es" "Código de país ISO" "Spanish option help"
lacks "$WORK/help_list.es" "ISO country code" "no English left in the Spanish option help"
for l in fr es; do
  # Option names and codes are never translated.
  has "$WORK/help_list.$l" "--country" "$l help keeps the option names"
  has "$WORK/help_list.$l" "organization,associate" "$l help keeps the codes"
done

finish
