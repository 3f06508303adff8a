#!/usr/bin/env bash
# Projects from the command line: add (the lead joins), set, show with participants, list with
# every filter and format, join and leave, and bad input that is refused and changes nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
H=$WORK/home
SAMPLE=${NANSE_SOURCE:?set NANSE_SOURCE to the source directory}/examples/sample
projects() { nanse --home "$H" --format json project list; }
STATE=projects
show() { nanse --home "$H" --format json project show "$@"; }

expect_exit 0 "init" -- nanse --home "$H" init --network "Projets" --name p
load_sample "$H"
new_member() { nanse --home "$H" --format json member add "$@" | pyj "j['id']"; }
LEAD=$(new_member --kind organization --name-fr "Coopérative Le Ruisseau" --joined-on 2020-01-01 \
       --country CA --subdivision CA-NB --language fr)
PARTNER=$(new_member --kind organization --name-es "Cooperativa El Arroyo" --joined-on 2020-01-01 \
          --country MX --subdivision MX-YUC --language es)
OBSERVER=$(new_member --kind associate --name "Zoë Tremblay" --joined-on 2022-01-01 --country CA \
           --subdivision CA-ON --language en)
OUTSIDER=$(new_member --kind associate --name "Never Joined" --joined-on 2022-01-01 --country US \
           --subdivision US-TX --language en)

# --- add: the lead joins --------------------------------------------------------------------
expect_exit 0 "project add" -- nanse --home "$H" --format json project add --kind business \
  --status in_planning --lead "$LEAD" --title-en "Creek-to-Coast Seafood Exchange" \
  --title-fr "Échange de fruits de mer Ruisseau-Côte" --title-es "Intercambio de mariscos" \
  --summary-en "Fishers' co-ops trade directly." --start 2026-01-10 --country CA --country MX \
  --language fr --language es
P=$(uuid_of "$WORK/out")
show "$P" >"$WORK/p.json"
same "$(json_get "$WORK/p.json" "[(x['member'], x['role'], x['joined_on']) for x in j['participants']]")" \
  "[('$LEAD', 'lead', '2026-01-10')]" "the lead joined as lead on the start date"
same "$(json_get "$WORK/p.json" "(j['kind'], j['status'], j['lead'], j['start_date'], j['countries'], j['languages'])")" \
  "('business', 'in_planning', '$LEAD', '2026-01-10', ['CA', 'MX'], ['fr', 'es'])" "the fields are stored"
same "$(json_get "$WORK/p.json" "j['title']['fr']")" "Échange de fruits de mer Ruisseau-Côte" "the French title, accents kept"
same "$(nanse --home "$H" --format json member show "$LEAD" | pyj "j['projects']")" \
  "[{'id': '$P', 'role': 'lead'}]" "member show lists the lead's project"
expect_exit 0 "add with a short lead id" -- nanse --home "$H" --format json project add --kind educational \
  --status in_planning --lead "${PARTNER:0:8}" --title "Escuela de pesca" --language es
P2=$(uuid_of "$WORK/out")
same "$(show "$P2" | pyj "(j['lead'], [x['role'] for x in j['participants']])")" "('$PARTNER', ['lead'])" \
  "the short id was resolved and the lead joined"

# --- set ------------------------------------------------------------------------------------
expect_exit 0 "set the status" -- nanse --home "$H" project set "${P:0:8}" --status active
same "$(show "$P" | pyj "j['status']")" "active" "the status changed"
expect_exit 0 "set a localized title" -- nanse --home "$H" project set "$P" --title-es "Intercambio de mariscos Arroyo-Costa"
same "$(show "$P" | pyj "(j['title']['es'], j['title']['en'])")" "('Intercambio de mariscos Arroyo-Costa', 'Creek-to-Coast Seafood Exchange')" \
  "only the es title changed"
expect_exit 2 "set with nothing to set" -- nanse --home "$H" project set "$P"

# --- join, show, leave ----------------------------------------------------------------------
expect_exit 0 "a partner joins" -- nanse --home "$H" project join "$P" "$PARTNER" --role partner --on 2026-02-01
expect_exit 0 "an observer joins (short ids)" -- nanse --home "$H" project join "${P:0:8}" "${OBSERVER:0:8}" --role observer --on 2026-02-15
same "$(show "$P" | pyj "sorted((x['member'], x['role'], x['joined_on']) for x in j['participants'])")" \
  "$(python3 -c "print(sorted([('$LEAD', 'lead', '2026-01-10'), ('$PARTNER', 'partner', '2026-02-01'), ('$OBSERVER', 'observer', '2026-02-15')]))")" \
  "show: three participants with roles and dates"
expect_exit 0 "show as a table" -- nanse --home "$H" project show "$P"
grep -qE '^participant: +Zoë Tremblay \(observer, 2026-02-15\)$' "$WORK/out" \
  && pass "table: participant by name, role and date" || fail "table: $(cat "$WORK/out")"
grep -qE '^title \[fr\]: +Échange de fruits de mer Ruisseau-Côte$' "$WORK/out" && pass "table: localized title" || fail "table title"
grep -qE '^status: +active$' "$WORK/out" && pass "table: status" || fail "table status"
# `project show --format csv` prints the table format (member show honours csv: field,value).
expect_exit 0 "show as CSV" -- nanse --home "$H" --format csv project show "$P"
same "$(head -1 "$WORK/out" | tr -d '\r')" "field,value" "CSV show header"
participants() { projects | pyj "[p['participants'] for p in j if p['id'] == '$1'][0]"; }
same "$(participants "$P")" 3 "list counts 3 participants"
same "$(nanse --home "$H" --format json project list --member "$OBSERVER" | pyj "[p['id'] for p in j]")" "['$P']" \
  "list --member finds the observer's project"
same "$(nanse --home "$H" --format json member list --project "$P" | pyj "sorted(m['id'] for m in j)")" \
  "$(python3 -c "print(sorted(['$LEAD', '$PARTNER', '$OBSERVER']))")" "member list --project lists the three"

expect_exit 0 "the observer leaves" -- nanse --home "$H" project leave "$P" "$OBSERVER" --on 2026-03-01
same "$(show "$P" | pyj "[(x['role'], x['joined_on'], x.get('left_on')) for x in j['participants'] if x['member'] == '$OBSERVER']")" \
  "[('observer', '2026-02-15', '2026-03-01')]" "show keeps the left member with its leaving date"
same "$(participants "$P")" 2 "list no longer counts the left member"
same "$(nanse --home "$H" --format json project list --member "$OBSERVER")" "[]" "list --member no longer finds it"
same "$(nanse --home "$H" --format json member show "$OBSERVER" | pyj "j['projects']")" "[]" "member show: no project any more"
# `member list --project` still lists members who left (it only checks that a participant
# register exists, not that it holds a join).
same "$(nanse --home "$H" --format json member list --project "$P" | pyj "sorted(m['id'] for m in j)")" \
  "$(python3 -c "print(sorted(['$LEAD', '$PARTNER']))")" "member list --project leaves it out"
nanse --home "$H" project show "$P" | grep -qE '^participant: +Zoë Tremblay \(observer, 2026-02-15 - 2026-03-01\)$' \
  && pass "table: the left member shows both dates" || fail "table left member"
expect_refused "leave again" "MEMBER" -- nanse --home "$H" project leave "$P" "$OBSERVER"
expect_stderr_has "does not take part" "the error says it does not take part"
expect_refused "leave of a member that never joined" "does not take part" -- nanse --home "$H" project leave "$P" "$OUTSIDER"
expect_refused "leave before joining (--on)" "--on" -- nanse --home "$H" project leave "$P" "$PARTNER" --on 2026-01-01
expect_exit 0 "the observer joins again" -- nanse --home "$H" project join "$P" "$OBSERVER" --role partner --on 2026-04-01
same "$(participants "$P")" 3 "a rejoined member counts again"
same "$(show "$P" | pyj "[(x['role'], x['joined_on'], 'left_on' in x) for x in j['participants'] if x['member'] == '$OBSERVER']")" \
  "[('partner', '2026-04-01', False)]" "the rejoin replaces the leave"

# --- list: filters and formats over the sample and ours -------------------------------------
sample_ids() {
  python3 - "$SAMPLE/projects.csv" "$1" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
print(sorted(r["id"] for r in rows if eval(sys.argv[2])))
PY
}
list_ids() { nanse --home "$H" --format json project list "$@" | pyj "sorted(p['id'] for p in j)"; }
same "$(list_ids --kind policy)" "$(sample_ids "r['kind'] == 'policy'")" "--kind policy: the sample's policy projects"
same "$(list_ids --kind educational)" "$(python3 -c "print(sorted($(sample_ids "r['kind'] == 'educational'") + ['$P2']))")" \
  "--kind educational: the sample's and ours"
same "$(list_ids --status completed)" "$(sample_ids "r['status'] == 'completed'")" "--status completed"
same "$(list_ids --status active)" "$(python3 -c "print(sorted($(sample_ids "r['status'] == 'active'") + ['$P']))")" \
  "--status active: the sample's and ours (after set)"
same "$(list_ids --status in_planning --kind educational)" \
  "$(python3 -c "print(sorted($(sample_ids "r['status'] == 'in_planning' and r['kind'] == 'educational'") + ['$P2']))")" \
  "--status and --kind combine"
same "$(list_ids --member 635fd89a)" "$(sample_ids "'635fd89a-d67e-44fe-9be2-04d6dab076e0:' in r['participants']")" \
  "--member (by id prefix): the sample member's projects"
same "$(list_ids --member "$PARTNER")" "$(python3 -c "print(sorted(['$P', '$P2']))")" "--member: a partner's and a lead's projects"
python3 - "$SAMPLE/projects.csv" <(projects) <<'PY' && pass "every sample project counts its CSV participants" || fail "sample participant counts"
import csv, json, sys
want = {r["id"]: len(r["participants"].split(";")) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
got = {p["id"]: p["participants"] for p in json.load(open(sys.argv[2]))}
bad = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
assert not bad, bad
PY
expect_exit 0 "list as CSV" -- nanse --home "$H" --format csv project list --status active
same "$(head -1 "$WORK/out" | tr -d '\r')" "id,kind,status,title,lead,participants" "CSV header row"
python3 - "$WORK/out" "$P" <<'PY' && pass "CSV parses: full ids, lead by name, participant count" || fail "CSV rows: $(cat "$WORK/out")"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert all(len(r) == 6 for r in rows) and len(rows) == 5, rows
mine = [r for r in rows if r[0] == sys.argv[2]]
assert mine == [[sys.argv[2], "business", "active", "Creek-to-Coast Seafood Exchange", "Coopérative Le Ruisseau", "3"]], mine
PY
expect_exit 0 "list as JSON" -- nanse --home "$H" --format json project list
python3 -c "
import json; j = json.load(open('$WORK/out'))
assert len(j) == 10 and all({'id', 'kind', 'status', 'title', 'lead', 'participants'} <= set(p) for p in j)
" && pass "JSON parses: 10 projects with their keys" || fail "JSON list"
expect_exit 0 "list as a table" -- nanse --home "$H" project list --kind business
head -1 "$WORK/out" | grep -qE '^ID +KIND +STATUS +TITLE +LEAD +PARTICIPANTS$' && pass "table header" || fail "table header"
grep -qE "^${P:0:8} +business +active +Creek-to-Coast Seafood Exchange +Coopérative Le Ruisseau +3$" "$WORK/out" \
  && pass "table row" || fail "table rows: $(cat "$WORK/out")"
expect_exit 2 "list --kind unknown" -- nanse --home "$H" project list --kind research
expect_exit 2 "list --status unknown" -- nanse --home "$H" project list --status paused
expect_exit 1 "list --member unknown" -- nanse --home "$H" project list --member 00000000
expect_stderr_has "--member" "the error names --member"

# --- bad input: refused, named, nothing changed ---------------------------------------------
add() { nanse --home "$H" project add --title "Bad one" --language en "$@"; }
expect_refused "an unknown lead (full UUID)" "--lead" -- add --kind policy --status active --lead 00000000-0000-4000-8000-000000000000
expect_refused "an unknown lead (prefix)" "--lead" -- add --kind policy --status active --lead 0000000
expect_refused "a lead that is not an id" "--lead" -- add --kind policy --status active --lead "Le Ruisseau"
expect_refused "no lead" "lead" -- add --kind policy --status active
expect_refused "a bad kind" "--kind" -- add --kind research --status active --lead "$LEAD"
expect_refused "a bad status" "--status" -- add --kind policy --status paused --lead "$LEAD"
expect_refused "an end date as YYYY/MM/DD" "--end" -- add --kind policy --status completed --lead "$LEAD" --end 2025/12/31
expect_refused "an end date as DD-MM-YYYY" "--end" -- add --kind policy --status completed --lead "$LEAD" --end 31-12-2025
expect_refused "an impossible end date" "--end" -- add --kind policy --status completed --lead "$LEAD" --end 2025-02-29
expect_refused "a bad start date" "--start" -- add --kind policy --status active --lead "$LEAD" --start 2025-1-5
# docs/directory.md says end_date >= start_date; add and set accept an end before the start.
expect_refused "add with an end before the start" "end" -- \
  add --kind policy --status completed --lead "$LEAD" --start 2025-06-01 --end 2025-01-31
expect_refused "set an end before the start" "end" -- \
  nanse --home "$H" project set "$P" --end 2025-12-31
expect_refused "a bad country" "countries" -- add --kind policy --status active --lead "$LEAD" --country XX
expect_refused "a bad language tag" "--language" -- add --kind policy --status active --lead "$LEAD" --language "en_US!"
expect_refused "set a bad status" "--status" -- nanse --home "$H" project set "$P" --status finished
expect_refused "set of an unknown project" "ID" -- nanse --home "$H" project set 00000000 --status active
expect_refused "show of an unknown project" "ID" -- nanse --home "$H" project show ffffffff
expect_refused "join of an unknown project" "PROJECT" -- nanse --home "$H" project join 00000000 "$OUTSIDER"
expect_refused "join of an unknown member" "MEMBER" -- nanse --home "$H" project join "$P" 00000000
expect_refused "join with a bad role" "--role" -- nanse --home "$H" project join "$P" "$OUTSIDER" --role boss
expect_refused "join with a bad date" "--on" -- nanse --home "$H" project join "$P" "$OUTSIDER" --on 2026-13-01

finish
