#!/usr/bin/env bash
# The member directory from the command line: add, set, show, list with every filter and format,
# search with accents folded, history, imports (CSV, JSON, bad rows, --skip-bad), and bad input
# that is refused, names its field and changes nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
H=$WORK/home
SAMPLE=${NANSE_SOURCE:?set NANSE_SOURCE to the source directory}/examples/sample
members() { nanse --home "$H" --format json member list; }
STATE=members
count() { members | pyj "len(j)"; }

expect_exit 0 "init" -- nanse --home "$H" init --network "Réseau des membres" --name "Nœud Montréal"
node_id=$(nanse --home "$H" --format json status | pyj "j['node_id']")

# --- add ------------------------------------------------------------------------------------
expect_exit 0 "add an organization with en/fr/es names and accents" -- \
  nanse --home "$H" --format json member add --kind organization \
  --name-en "Montréal Bakers' Co-operative" --name-fr "Coopérative des boulangères de Montréal" \
  --name-es "Cooperativa de panaderas de Montreal" \
  --legal-name "Les Boulangères de Montréal, coopérative de travail" --joined-on 2020-01-15 \
  --country CA --subdivision CA-QC --locality "Montréal" --postal-code "H2T 1S6" \
  --language fr-CA --language en --email boulange@example.org --phone +15145550100 \
  --website https://boulange.example.org --sector a07 --tag "pain" --tag "économie sociale"
ORG=$(uuid_of "$WORK/out")
[[ $ORG =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] \
  && pass "add prints a UUID v4" || fail "add id: $ORG"

expect_exit 0 "add an associate (--name writes the interface language)" -- \
  nanse --home "$H" --format json member add --kind associate --name "José Núñez Peña" \
  --given-name "José" --family-name "Núñez Peña" --joined-on 2021-03-01 --country MX \
  --subdivision MX-CMX --locality "Ciudad de México" --languages "es;en" --publish-consent true
ASSOC=$(uuid_of "$WORK/out")

ORG2=0b8a2f6e-5c1d-4e2a-9b3c-7d4e5f6a7b8c
expect_exit 0 "add with a chosen --id and a French name only" -- \
  nanse --home "$H" member add --kind organization --id "$ORG2" \
  --name-fr "Épicerie solidaire de Trois-Rivières" --joined-on 2023-06-01 --country CA \
  --subdivision CA-QC --locality "Trois-Rivières" --language fr
grep -qF "$ORG2" "$WORK/out" && pass "add says which id it used" || fail "add output: $(cat "$WORK/out")"
expect_exit 1 "the same --id twice" -- nanse --home "$H" member add --kind organization --id "$ORG2" \
  --name X --joined-on 2023-06-01 --country FR --language fr
expect_stderr_has "already exists" "the error says the id exists"
same "$(count)" 3 "three members"

# --- show -----------------------------------------------------------------------------------
expect_exit 0 "show --format json" -- nanse --home "$H" --format json member show "$ORG"
same "$(json_get "$WORK/out" "j['name']['fr']")" "Coopérative des boulangères de Montréal" "show: name.fr kept with accents"
same "$(json_get "$WORK/out" "j['name']['es']")" "Cooperativa de panaderas de Montreal" "show: name.es"
same "$(json_get "$WORK/out" "j['name']['en']")" "Montréal Bakers' Co-operative" "show: name.en"
same "$(json_get "$WORK/out" "(j['kind'], j['country'], j['subdivision'], j['locality'])")" \
  "('organization', 'CA', 'CA-QC', 'Montréal')" "show: kind, country, subdivision, locality"
same "$(json_get "$WORK/out" "j['languages']")" "['fr-CA', 'en']" "show: languages in order"
same "$(json_get "$WORK/out" "j['tags']")" "['pain', 'économie sociale']" "show: repeated --tag makes a list"
same "$(json_get "$WORK/out" "j['projects']")" "[]" "show: no projects yet"
json_get "$WORK/out" "j['status']" | grep -qxE 'current|grace|lapsed' \
  && pass "show: a standing is given" || fail "show: status missing"
expect_exit 0 "show the associate" -- nanse --home "$H" --format json member show "${ASSOC:0:8}"
same "$(json_get "$WORK/out" "(j['name'], j['given_name'], j['family_name'], j['publish_consent'])")" \
  "({'en': 'José Núñez Peña'}, 'José', 'Núñez Peña', True)" "show by id prefix: --name went to en"
expect_exit 0 "show as a table" -- nanse --home "$H" member show "$ORG"
grep -qE '^name \[fr\]: +Coopérative des boulangères de Montréal$' "$WORK/out" \
  && pass "table: localized name line" || fail "table: $(cat "$WORK/out")"
grep -qE '^country: +CA \(Canada\)$' "$WORK/out" && pass "table: country with its label" || fail "table country"
grep -qE "^id: +$ORG$" "$WORK/out" && pass "table: full id" || fail "table id"
expect_exit 0 "show as CSV" -- nanse --home "$H" --format csv member show "$ORG"
same "$(head -1 "$WORK/out" | tr -d '\r')" "field,value" "CSV show header"
grep -q '^locality,Montréal' "$WORK/out" && pass "CSV show: locality row" || fail "CSV show: $(cat "$WORK/out")"

# --- search (accents and case folded) -------------------------------------------------------
search_ids() { nanse --home "$H" --format json member search "$1" | pyj "' '.join(m['id'] for m in j)"; }
check "'montreal' finds Montréal" grep -q "$ORG" <<<"$(search_ids montreal)"
check "'MONTRÉAL' finds Montréal" grep -q "$ORG" <<<"$(search_ids MONTRÉAL)"
check "'mexico' finds Ciudad de México" grep -q "$ASSOC" <<<"$(search_ids mexico)"
check "'ciudad de mexico' finds it (every word)" grep -q "$ASSOC" <<<"$(search_ids "ciudad de mexico")"
check "'nunez' finds Núñez" grep -q "$ASSOC" <<<"$(search_ids nunez)"
check "'epicerie trois rivieres' finds Épicerie … Trois-Rivières" grep -q "$ORG2" <<<"$(search_ids "epicerie trois rivieres")"
check "'boulangeres' finds a French name" grep -q "$ORG" <<<"$(search_ids boulangeres)"
same "$(search_ids "montreal zzzz")" "" "a word found nowhere finds nothing"
same "$(search_ids 'quebec')" "$(printf '%s\n%s' "$ORG" "$ORG2" | tr '\n' ' ' | sed 's/ $//')" \
  "'quebec' finds the two CA-QC members, in order"

# --- set ------------------------------------------------------------------------------------
expect_exit 0 "set one field" -- nanse --home "$H" member set "$ORG2" --locality "Shawinigan"
grep -q "1 fields" "$WORK/out" && pass "set says how many fields" || fail "set output: $(cat "$WORK/out")"
same "$(nanse --home "$H" --format json member show "$ORG2" | pyj "j['locality']")" "Shawinigan" "the new locality is shown"
expect_exit 0 "set a localized field (es)" -- nanse --home "$H" member set "$ORG" --name-es "Panaderas de Montréal"
same "$(nanse --home "$H" --format json member show "$ORG" | pyj "sorted(j['name'].items())")" \
  "[('en', \"Montréal Bakers' Co-operative\"), ('es', 'Panaderas de Montréal'), ('fr', 'Coopérative des boulangères de Montréal')]" \
  "only the es name changed"
expect_exit 0 "set two fields at once" -- nanse --home "$H" member set "$ASSOC" --subdivision MX-JAL --locality "Guadalajara"
same "$(nanse --home "$H" --format json member show "$ASSOC" | pyj "(j['subdivision'], j['locality'])")" \
  "('MX-JAL', 'Guadalajara')" "both fields changed"
check "search follows the change: 'guadalajara' finds it" grep -q "$ASSOC" <<<"$(search_ids guadalajara)"
same "$(search_ids "ciudad mexico")" "" "search follows the change: the old locality finds nothing"
expect_exit 0 "set --admin-status suspended" -- nanse --home "$H" member set "$ORG2" --admin-status suspended
same "$(nanse --home "$H" --format json member list --status suspended | pyj "[m['id'] for m in j]")" "['$ORG2']" \
  "the suspended member is listed as suspended"
expect_exit 0 "--clear admin_status" -- nanse --home "$H" member set "$ORG2" --clear admin_status
same "$(nanse --home "$H" --format json member list --status suspended)" "[]" "no member is suspended any more"
expect_exit 0 "set --clear an optional field" -- nanse --home "$H" member set "$ORG" --clear legal_name
same "$(nanse --home "$H" --format json member show "$ORG" | pyj "'legal_name' in j")" "False" "the cleared field is gone"
expect_exit 2 "--clear of a required field" -- nanse --home "$H" member set "$ORG" --clear name
expect_stderr_has "required" "the error says it is required"
expect_exit 2 "--clear of an unknown field" -- nanse --home "$H" member set "$ORG" --clear colour
expect_exit 2 "set with nothing to set" -- nanse --home "$H" member set "$ORG"

# --- history --------------------------------------------------------------------------------
expect_exit 0 "history as a table" -- nanse --home "$H" member history "$ORG2"
grep -E " locality +Trois-Rivières +Shawinigan *$" "$WORK/out" | grep -qF "${node_id:0:8}" \
  && pass "history: old value, new value and author on one line" || fail "history: $(cat "$WORK/out")"
expect_exit 0 "history as JSON" -- nanse --home "$H" --format json member history "$ORG"
same "$(json_get "$WORK/out" "[(h['old'], h['new'], h['author']) for h in j if h['field']=='name' and h['lang']=='es']")" \
  "[('', 'Cooperativa de panaderas de Montreal', '$node_id'), ('Cooperativa de panaderas de Montreal', 'Panaderas de Montréal', '$node_id')]" \
  "history JSON: the es name's two writes, old and new, with the author"
same "$(json_get "$WORK/out" "[(h['old'], h['new']) for h in j if h['field']=='legal_name'][-1]")" \
  "('Les Boulangères de Montréal, coopérative de travail', '')" "history JSON: the clear"
expect_exit 0 "history as CSV" -- nanse --home "$H" --format csv member history "$ORG2"
same "$(head -1 "$WORK/out" | tr -d "\r")" "time,author,op_id,field,lang,old,new,author_role,author_member,author_member_name" \
  "history CSV header (the author's role and organization after the original columns)"

# --- import ---------------------------------------------------------------------------------
expect_exit 0 "import the sample members.csv" -- nanse --home "$H" --format json member import "$SAMPLE/members.csv"
same "$(json_get "$WORK/out" "(j['imported'], j['skipped'])")" "(58, 0)" "58 imported, none skipped"
same "$(count)" 61 "61 members now"
expect_refused "importing the sample again" "already exists" -- nanse --home "$H" member import "$SAMPLE/members.csv"

cat >"$WORK/new.json" <<'EOF'
[
  {"kind": "organization", "name_es": "Cooperativa Tierra y Libertad", "name_fr": "Coopérative Terre et Liberté",
   "joined_on": "2019-07-07", "country": "MX", "subdivision": "MX-OAX", "locality": "Oaxaca de Juárez",
   "languages": ["es", "zap"], "tags": ["café", "tierra"], "latitude": 17.06, "longitude": -96.72,
   "is_network": false, "number_of_members": 42},
  {"kind": "associate", "name_en": "Ana Pérez", "given_name": "Ana", "family_name": "Pérez",
   "joined_on": "2022-02-02", "country": "DO", "languages": "es", "email": "ana@example.net",
   "publish_consent": true}
]
EOF
expect_exit 0 "import a JSON file" -- nanse --home "$H" --format json member import "$WORK/new.json"
same "$(json_get "$WORK/out" "(j['imported'], j['skipped'], j['ops'])")" "(2, 0, 1)" "2 imported in one op"
same "$(count)" 63 "63 members now"
nanse --home "$H" --format json member search "tierra libertad" >"$WORK/found"
same "$(json_get "$WORK/found" "[(m['name']['fr'], m['geo'], m['languages'], m['number_of_members']) for m in j]")" \
  "[('Coopérative Terre et Liberté', [17.06, -96.72], ['es', 'zap'], 42)]" "the JSON member's fields are stored"
same "$(nanse --home "$H" --format json member search "ana perez" | pyj "[(m['kind'], m['emails']) for m in j]")" \
  "[('associate', ['ana@example.net'])]" "the JSON associate is stored"

printf '%s\r\n' "kind,name_en,name_fr,joined_on,country,subdivision,locality,languages,email" \
  "organization,Good Row One,Première bonne ligne,2020-01-01,CA,CA-NB,Moncton,fr;en,one@example.org" \
  "organization,Bad Country,,2020-01-01,ZZ,,Nowhere,en,two@example.org" \
  "associate,Good Row Two,,2021-05-05,US,US-NY,Albany,en," \
  "associate,Bad Email,,2021-05-05,US,US-NY,Albany,en,not-an-email" >"$WORK/bad.csv"
expect_refused "an import with bad rows" "bad.csv:3: country" -- nanse --home "$H" member import "$WORK/bad.csv"
expect_stderr_has "bad.csv:5: email" "the second bad row is named by line and field"
expect_stderr_has "nothing imported" "the error says nothing was imported"
same "$(count)" 63 "the member count is unchanged"
expect_exit 0 "the same import with --skip-bad" -- nanse --home "$H" --format json member import --skip-bad "$WORK/bad.csv"
same "$(json_get "$WORK/out" "(j['imported'], j['skipped'])")" "(2, 2)" "2 imported, 2 skipped"
expect_stderr_has "bad.csv:3: country" "--skip-bad still reports line 3"
expect_stderr_has "bad.csv:5: email" "--skip-bad still reports line 5"
same "$(count)" 65 "the 2 good rows were added"
same "$(nanse --home "$H" --format json member search "good row" | pyj "sorted(m['name']['en'] for m in j)")" \
  "['Good Row One', 'Good Row Two']" "the good rows are the ones imported"
printf '[{"kind": "associate", "name_en": "Bad Date", "joined_on": "2022-02-30", "country": "DO", "languages": ["es"]}]' >"$WORK/bad.json"
printf '%s\r\n' "kind,name_en,joined_on,country,languages,colour" "organization,A,2020-01-01,FR,fr,blue" >"$WORK/col.csv"
expect_refused "an import with an unknown column" "column colour" -- nanse --home "$H" member import "$WORK/col.csv"
expect_refused "a JSON import with a bad item" "bad.json:1: joined_on" -- nanse --home "$H" member import "$WORK/bad.json"

# --- list: every filter, every format -------------------------------------------------------
P=$(nanse --home "$H" --format json project add --kind business --status active --lead "$ORG" \
    --title-en "Bread for All" --language en | pyj "j['id']")
nanse --home "$H" project join "$P" "$ASSOC" --role observer >/dev/null
list_ids() { nanse --home "$H" --format json member list "$@" | pyj "' '.join(sorted(m['id'] for m in j))"; }
list_col() { nanse --home "$H" --format json member list "${@:2}" | pyj "sorted(set(str(m.get('$1')) for m in j))"; }
csv_ids() {
  python3 - "$SAMPLE/members.csv" "$1" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
print(" ".join(sorted(r["id"] for r in rows if eval(sys.argv[2]))))
PY
}
same "$(list_col kind --kind associate)" "['associate']" "--kind associate: only associates"
same "$(list_ids --kind associate | wc -w)" 18 "--kind associate: 15 from the sample + 3 added"
same "$(list_col country --country HT)" "['HT']" "--country HT: only Haiti"
same "$(list_ids --country HT)" "$(csv_ids "r['country'] == 'HT'")" "--country HT: the sample's Haitian members"
same "$(list_ids --subdivision CA-QC)" "$(echo "$(csv_ids "r['subdivision'] == 'CA-QC'") $ORG $ORG2" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
  "--subdivision CA-QC: the sample's and ours"
same "$(list_ids --language ht)" "$(csv_ids "'ht' in r['languages'].split(';')")" "--language ht"
same "$(list_ids --language zap)" "$(echo "$(csv_ids "'zap' in r['languages'].split(';')") $(nanse --home "$H" --format json member search "tierra libertad" | pyj "j[0]['id']")" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
  "--language zap (an Indigenous language)"
same "$(list_ids --sector a07)" "$(echo "$(csv_ids "r['primary_activity'] == 'a07' or 'a07' in r['activities'].split(';')") $ORG" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
  "--sector a07: primary activity or activities"
same "$(list_ids --status suspended)" "2a034731-448e-4d7a-811e-238b83b0c28c" "--status suspended: the suspended organization"
same "$(list_ids --status withdrawn)" "7bf34635-f0ac-4962-8a8f-71709e0e532c" "--status withdrawn: the withdrawn associate"
total=0
for s in current grace lapsed withdrawn suspended cancelled deceased; do
  n=$(nanse --home "$H" --format json member list --status "$s" | pyj "len(j) if all(m['status'] == '$s' for m in j) else -1000")
  total=$((total + n))
done
same "$total" "$(count)" "--status: each row has the asked standing and every member has one"
same "$(list_ids --project "${P:0:8}")" "$(printf '%s\n' "$ORG" "$ASSOC" | sort | tr '\n' ' ' | sed 's/ $//')" \
  "--project: the lead and the observer"
same "$(list_ids --country CA --kind associate)" "$(csv_ids "r['country'] == 'CA' and r['kind'] == 'associate'")" \
  "filters combine (--country CA --kind associate)"
same "$(list_ids --country CA --subdivision MX-OAX)" "" "filters that exclude each other find nothing"
expect_exit 1 "list --country XX" -- nanse --home "$H" member list --country XX
expect_stderr_has "--country" "the error names --country"
expect_exit 2 "list --kind person" -- nanse --home "$H" member list --kind person
expect_exit 2 "list --status sleeping" -- nanse --home "$H" member list --status sleeping
expect_exit 1 "list --project of an unknown project" -- nanse --home "$H" member list --project 00000000
expect_stderr_has "--project" "the error names --project"

expect_exit 0 "list as CSV" -- nanse --home "$H" --format csv member list --country CA
same "$(head -1 "$WORK/out" | tr -d '\r')" "id,kind,name,country,subdivision,locality,status" "CSV header row"
python3 - "$WORK/out" "$ORG" <<'PY' && pass "CSV parses: 7 cells a row, full ids, accents kept" || fail "CSV rows"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert all(len(r) == 7 for r in rows), rows
body = {r[0]: r for r in rows[1:]}
assert len(body) == len(rows) - 1 == 20, len(rows)
assert body[sys.argv[2]][1:6] == ["organization", "Montréal Bakers' Co-operative", "CA", "CA-QC", "Montréal"], body[sys.argv[2]]
PY
expect_exit 0 "list as JSON" -- nanse --home "$H" --format json member list --country CA
python3 -c "
import json; j = json.load(open('$WORK/out'))
assert isinstance(j, list) and len(j) == 20
assert all({'id', 'kind', 'name', 'country', 'status'} <= set(m) for m in j)
" && pass "JSON parses: 20 members with id, kind, name, country, status" || fail "JSON list"
expect_exit 0 "list as a table" -- nanse --home "$H" member list --subdivision CA-QC
head -1 "$WORK/out" | grep -qE '^ID +KIND +NAME +COUNTRY +SUBDIVISION +LOCALITY +STATUS$' \
  && pass "table header" || fail "table header: $(head -1 "$WORK/out")"
same "$(($(wc -l <"$WORK/out") - 1))" 7 "table: one line per member"
grep -qE "^${ORG:0:8} +organization +Montréal Bakers' Co-operative +CA +CA-QC +Montréal " "$WORK/out" \
  && pass "table: short id and aligned columns" || fail "table rows: $(cat "$WORK/out")"

# --- bad input: refused, the field named, nothing changed -----------------------------------
add() { nanse --home "$H" member add --kind organization --name "Nouvelle coop" --joined-on 2024-01-01 "$@"; }
expect_refused "an unknown country (--country XX)" "--country" -- add --country XX --language fr
expect_refused "a lowercase country (--country ca)" "--country" -- add --country ca --subdivision CA-QC --language fr
expect_refused "MX without a subdivision" "subdivision" -- add --country MX --language es
expect_refused "a subdivision of another country (CA, US-NY)" "subdivision" -- add --country CA --subdivision US-NY --language en
expect_stderr_has "US-NY" "the error quotes US-NY"
expect_refused "an unknown subdivision (MX-ZZZ)" "subdivision" -- add --country MX --subdivision MX-ZZZ --language es
expect_refused "a bad date (2024-02-30)" "--joined-on" -- \
  nanse --home "$H" member add --kind organization --name X --joined-on 2024-02-30 --country FR --language fr
expect_refused "a date in another format (01/02/2024)" "--joined-on" -- \
  nanse --home "$H" member add --kind organization --name X --joined-on 01/02/2024 --country FR --language fr
expect_refused "a bad e-mail" "--email" -- add --country FR --language fr --email "boulange.example.org"
expect_refused "an e-mail with a space" "--email" -- add --country FR --language fr --email "a b@example.org"
expect_refused "a bad language tag" "--language" -- add --country FR --language "fr_FR!"
expect_refused "no language" "languages" -- add --country FR
expect_refused "a field of the wrong kind at add (given_name on an organization)" "given_name" -- \
  add --country FR --language fr --given-name Marie
expect_refused "set of an unknown member id" "ID" -- nanse --home "$H" member set 00000000 --locality X
expect_refused "set of a full but unknown UUID" "ID" -- \
  nanse --home "$H" member set 00000000-0000-4000-8000-000000000000 --locality X
expect_refused "show of an unknown member id" "ID" -- nanse --home "$H" member show 00000000
expect_refused "history of an unknown member id" "ID" -- nanse --home "$H" member history ffffffff
expect_refused "legal_name on an associate" "legal_name" -- nanse --home "$H" member set "$ASSOC" --legal-name "José SA"
expect_refused "set --country XX" "--country" -- nanse --home "$H" member set "$ORG" --country XX
expect_refused "set --subdivision US-NY on a CA member" "subdivision" -- nanse --home "$H" member set "$ORG" --subdivision US-NY
expect_refused "set --country US leaving a CA subdivision" "subdivision" -- nanse --home "$H" member set "$ORG" --country US
expect_refused "set --clear subdivision of a CA member" "subdivision" -- nanse --home "$H" member set "$ORG" --clear subdivision
expect_refused "set a bad date" "--joined-on" -- nanse --home "$H" member set "$ORG" --joined-on 2021-13-01
expect_refused "set a bad e-mail" "--email" -- nanse --home "$H" member set "$ORG" --email nobody
expect_refused "set a bad language tag" "--language" -- nanse --home "$H" member set "$ORG" --language "!!"
expect_refused "set a bad phone" "--phone" -- nanse --home "$H" member set "$ORG" --phone 5145550100
expect_refused "set a bad website" "--website" -- nanse --home "$H" member set "$ORG" --website boulange.example.org
expect_exit 0 "set --country US --subdivision US-NY together is fine" -- \
  nanse --home "$H" member set "$ORG" --country US --subdivision US-NY
same "$(nanse --home "$H" --format json member show "$ORG" | pyj "(j['country'], j['subdivision'])")" "('US', 'US-NY')" "both moved"

# DOMAIN.md section 7.4 column names: "name" in the member's first language, member_since.
printf 'kind,name,member_since,country,subdivision,languages,logo_url\r\norganization,Cooperativa Tequio,2024-01-01,MX,MX-OAX,es-MX;en,https://logo.example.org/t.png\r\n' >"$WORK/domain.csv"
expect_exit 0 "import with DOMAIN.md column names" -- nanse --home "$H" member import "$WORK/domain.csv"
same "$(nanse --home "$H" --format json member search tequio | pyj "[(m['name'], m['joined_on'], m['logo_url']) for m in j]")" \
  "[({'es': 'Cooperativa Tequio'}, '2024-01-01', 'https://logo.example.org/t.png')]" "name goes to the first language; member_since is joined_on"

finish
