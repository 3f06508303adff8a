#!/usr/bin/env bash
# Two nodes of one network write the same field while apart: after exchanging bundles both show
# the same winner and list the conflict with both values and authors, until someone writes the
# field again. Concurrent reversals of one ledger entry count once. `nanse rebuild` recomputes the
# same directory from the log, byte for byte.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
A=$WORK/a B=$WORK/b

expect_exit 0 "A makes the network" -- nanse --home "$A" init --network "Réseau partagé" --name a
expect_exit 0 "A adds a member" -- nanse --home "$A" --format json member add --kind organization \
  --name-en "Shared Co-op" --name-fr "Coop partagée" --joined-on 2020-01-01 --country CA \
  --subdivision CA-ON --locality Toronto --language en --language fr
M=$(uuid_of "$WORK/out")
# B edits M's record and reverses a payment: a treasurer node acting for M may do both.
code=$(nanse --home "$A" invite --role treasurer --member "$M" 2>/dev/null)
expect_exit 0 "B joins it" -- nanse --home "$B" join "$code" --name b
id_a=$(nanse --home "$A" --format json status | pyj "j['node_id']")
id_b=$(nanse --home "$B" --format json status | pyj "j['node_id']")
E=$(nanse --home "$A" --format json dues record --member "$M" --year 2024 --amount 10000 --on 2024-02-01 | pyj "j['id']")
expect_exit 0 "A exports a bundle" -- nanse --home "$A" bundle export -o "$WORK/a1.bundle"
expect_exit 0 "B imports it" -- nanse --home "$B" bundle import "$WORK/a1.bundle"
same "$(nanse --home "$B" --format json member show "$M" | pyj "(j['locality'], j['name'])")" \
  "('Toronto', {'en': 'Shared Co-op', 'fr': 'Coop partagée'})" "B shows A's member"
same "$(nanse --home "$B" --format json conflicts)" "[]" "no conflict yet"

# --- apart: both write the same fields --------------------------------------------------------
expect_exit 0 "A sets the locality" -- nanse --home "$A" member set "$M" --locality Ottawa
expect_exit 0 "A sets the French name" -- nanse --home "$A" member set "$M" --name-fr "Coopérative partagée"
expect_exit 0 "B sets the locality" -- nanse --home "$B" member set "$M" --locality Kingston
expect_exit 0 "B sets the French name" -- nanse --home "$B" member set "$M" --name-fr "La Coop commune"
expect_exit 0 "A reverses the payment" -- nanse --home "$A" dues reverse "$E" --reason "cheque returned"
expect_exit 0 "B reverses it too" -- nanse --home "$B" dues reverse "$E" --reason "bank says: returned"
expect_exit 0 "B exports what A lacks" -- nanse --home "$B" bundle export --since "$WORK/a1.bundle" -o "$WORK/b1.bundle"
expect_exit 0 "A exports what B lacks" -- nanse --home "$A" bundle export --since "$WORK/b1.bundle" -o "$WORK/a2.bundle"
expect_exit 0 "A imports B's bundle" -- nanse --home "$A" bundle import "$WORK/b1.bundle"
expect_exit 0 "B imports A's bundle" -- nanse --home "$B" bundle import "$WORK/a2.bundle"

for n in A B; do
  home=$WORK/${n,,}
  nanse --home "$home" --format json member show "$M" >"$WORK/show_$n"
  nanse --home "$home" --format json conflicts >"$WORK/conflicts_$n"
done
same "$(json_get "$WORK/show_A" "(j['locality'], j['name']['fr'])")" "$(json_get "$WORK/show_B" "(j['locality'], j['name']['fr'])")" \
  "A and B show the same winners"
cmp -s "$WORK/show_A" "$WORK/show_B" && pass "member show JSON is identical on A and B" || fail "member show differs"
json_get "$WORK/show_A" "j['locality']" | grep -qxE 'Ottawa|Kingston' && pass "the winner is one of the two writes" || fail "winner"
cmp -s "$WORK/conflicts_A" "$WORK/conflicts_B" && pass "conflicts JSON is identical on A and B" || fail "conflicts differ"
for n in A B; do
  same "$(json_get "$WORK/conflicts_$n" "sorted((c['table'], c['record'], c['field'], c['key']) for c in j)")" \
    "[('member', '$M', 'locality', ''), ('member', '$M', 'name', 'fr')]" "$n: two conflicts, locality and name [fr]"
  same "$(json_get "$WORK/conflicts_$n" "[sorted((w['value'], w['author']) for w in c['writes']) for c in j if c['field'] == 'locality'][0]")" \
    "$(python3 -c "print(sorted([('Ottawa', '$id_a'), ('Kingston', '$id_b')]))")" "$n: both localities with their authors"
  same "$(json_get "$WORK/conflicts_$n" "[sorted((w['value'], w['author']) for w in c['writes']) for c in j if c['field'] == 'name'][0]")" \
    "$(python3 -c "print(sorted([('Coopérative partagée', '$id_a'), ('La Coop commune', '$id_b')]))")" "$n: both French names with their authors"
  same "$(json_get "$WORK/conflicts_$n" "[[w['value'] for w in c['writes'] if w['shown']] for c in j if c['field'] == 'locality'][0]")" \
    "['$(json_get "$WORK/show_$n" "j['locality']")']" "$n: the write marked shown is the value shown"
done
expect_exit 0 "conflicts as a table" -- nanse --home "$B" conflicts
grep -qE "^member +${M:0:8} +Shared Co-op +locality +Ottawa +${id_a:0:8} " "$WORK/out" \
  && grep -qE "^member +${M:0:8} +Shared Co-op +locality +Kingston +${id_b:0:8} " "$WORK/out" \
  && pass "table: one line per write, with value and author" || fail "conflicts table: $(cat "$WORK/out")"
nanse --home "$A" --format json member history "$M" >"$WORK/history"
same "$(json_get "$WORK/history" "sorted((h['new'], h['author']) for h in j if h['field'] == 'locality' and h['old'])")" \
  "$(python3 -c "print(sorted([('Ottawa', '$id_a'), ('Kingston', '$id_b')]))")" "history on A shows both writes and their authors"

# Two reversals of one entry: the first counts, the other is kept as a duplicate.
for n in A B; do
  home=$WORK/${n,,}
  same "$(nanse --home "$home" --format json dues status --year 2024 | pyj "[(r['credited_minor'], r['status']) for r in j]")" \
    "[(0, 'arrears')]" "$n: the payment is reversed once (credited 0, not -10000)"
  same "$(nanse --home "$home" --format json dues report --year 2024 | pyj "[d['reverses'] for d in j['duplicate_reversals']]")" \
    "['$E']" "$n: the second reversal is reported as a duplicate"
done

# --- someone writes again: the conflict is gone ---------------------------------------------
expect_exit 0 "B writes the locality again" -- nanse --home "$B" member set "$M" --locality "Montréal"
expect_exit 0 "A writes the French name again" -- nanse --home "$A" member set "$M" --name-fr "Coop partagée de Montréal"
expect_exit 0 "B exports" -- nanse --home "$B" bundle export --since "$WORK/a2.bundle" -o "$WORK/b2.bundle"
expect_exit 0 "A exports" -- nanse --home "$A" bundle export --since "$WORK/b2.bundle" -o "$WORK/a3.bundle"
expect_exit 0 "A imports" -- nanse --home "$A" bundle import "$WORK/b2.bundle"
expect_exit 0 "B imports" -- nanse --home "$B" bundle import "$WORK/a3.bundle"
for n in A B; do
  home=$WORK/${n,,}
  same "$(nanse --home "$home" --format json member show "$M" | pyj "(j['locality'], j['name']['fr'])")" \
    "('Montréal', 'Coop partagée de Montréal')" "$n: the new writes are shown"
  same "$(nanse --home "$home" --format json conflicts)" "[]" "$n: no conflict left"
  same "$(nanse --home "$home" conflicts)" "no conflicts" "$n: the table says so"
done

# --- rebuild: the same directory from the log, byte for byte --------------------------------
snapshot() {
  nanse --home "$1" --format json member list
  nanse --home "$1" --format json project list
  nanse --home "$1" --format json dues status --year 2025
}
S=$WORK/sample
expect_exit 0 "init a node for the sample" -- nanse --home "$S" init --network NANSE --name s
load_sample "$S"
nanse --home "$S" --format json member list >"$WORK/members.before"
nanse --home "$S" --format json project list >"$WORK/projects.before"
nanse --home "$S" --format json dues status --year 2025 >"$WORK/dues.before"
nanse --home "$S" --format json dues report --year 2025 >"$WORK/report.before"
expect_exit 0 "rebuild" -- nanse --home "$S" rebuild
nanse --home "$S" --format json member list >"$WORK/members.after"
nanse --home "$S" --format json project list >"$WORK/projects.after"
nanse --home "$S" --format json dues status --year 2025 >"$WORK/dues.after"
nanse --home "$S" --format json dues report --year 2025 >"$WORK/report.after"
same "$(json_get "$WORK/members.before" "len(j)") $(json_get "$WORK/projects.before" "len(j)")" "58 8" "the sample is loaded (58 members, 8 projects)"
for f in members projects dues report; do
  cmp -s "$WORK/$f.before" "$WORK/$f.after" && pass "rebuild: $f JSON is byte-identical" || fail "rebuild changed $f"
done
snapshot "$A" >"$WORK/a.before"
nanse --home "$A" --format json conflicts >>"$WORK/a.before"
nanse --home "$A" --format json member history "$M" >>"$WORK/a.before"
expect_exit 0 "rebuild A (concurrent writes and reversals in its log)" -- nanse --home "$A" rebuild
snapshot "$A" >"$WORK/a.after"
nanse --home "$A" --format json conflicts >>"$WORK/a.after"
nanse --home "$A" --format json member history "$M" >>"$WORK/a.after"
cmp -s "$WORK/a.before" "$WORK/a.after" && pass "rebuild of A: lists, conflicts and history unchanged" || fail "rebuild changed A"
snapshot "$B" >"$WORK/b.now"
cmp -s "$WORK/a.after" <(cat "$WORK/b.now"; nanse --home "$B" --format json conflicts; nanse --home "$B" --format json member history "$M") \
  && pass "A (rebuilt) and B show the same directory" || fail "A and B differ after rebuild"

finish
