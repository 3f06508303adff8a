#!/usr/bin/env bash
# Three nodes in a line, A - B - C, as real `nanse serve` processes on 127.0.0.1: B dials A and
# C; A and C never connect, so whatever goes between them hops through B. While all three are
# apart each makes its own edits, A and C both write the same field of the same member; once
# the servers run, all three end with the same member list, dues status and conflicts, and the
# concurrent write shows as a conflict with both values.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
source "$(dirname "$0")/sync_helpers.sh"
A=$WORK/a B=$WORK/b C=$WORK/c

# A server publishes its address in its node record and the others dial published addresses,
# so A and C would find each other through B. A and C therefore advertise 127.0.0.1:9 (the
# discard port; nothing listens there): a node never dials its own advertised address, and
# both advertise the same one, so neither dials the other. B, the hub, dials them by the
# addresses configured with `nanse peer add`.
NOWHERE=127.0.0.1:9

# --- A makes the network (the sample directory), B and C join as admins --------------------------
expect_exit 0 "A makes the network" -- nanse --home "$A" init --network "Línea" --name a
load_sample "$A"
code=$(nanse --home "$A" invite --role admin 2>/dev/null)
expect_exit 0 "B joins as an admin" -- nanse --home "$B" join "$code" --name b
code=$(nanse --home "$A" invite --role admin 2>/dev/null)
expect_exit 0 "C joins as an admin" -- nanse --home "$C" join "$code" --name c
id_a=$(node_id "$A") id_b=$(node_id "$B") id_c=$(node_id "$C")

# Before going apart, each gets the others' ops along the line, by one-shot syncs: B with A,
# C with B, then B with A again (C's claim), so that all three know they are admins.
start_server a "$A" --advertise "$NOWHERE"
expect_exit 0 "B syncs once with A" -- nanse --home "$B" sync "$(address a)"
start_server b "$B"
expect_exit 0 "C syncs once with B" -- nanse --home "$C" sync "$(address b)"
stop_server b
expect_exit 0 "B syncs once with A again" -- nanse --home "$B" sync "$(address a)"
stop_server a
same "$(heads "$A")" "$(heads "$C")" "A and C hold the same ops"
same "$(heads "$B")" "$(heads "$C")" "and so does B"
for n in A B C; do
  same "$(nanse --home "$WORK/${n,,}" --format json status | pyj "j['role']")" admin "$n is an admin"
done

# --- apart: each edits, A and C the same field of the same member -------------------------------
M1=$(nanse --home "$A" --format json member list | pyj "j[0]['id']")
M2=$(nanse --home "$A" --format json member list | pyj "j[1]['id']")
M3=$(nanse --home "$A" --format json member list | pyj "j[2]['id']")
expect_exit 0 "A (apart) sets M1's locality" -- nanse --home "$A" member set "$M1" --locality "Written on A"
expect_exit 0 "C (apart) sets M1's locality too" -- nanse --home "$C" member set "$M1" --locality "Written on C"
expect_exit 0 "A (apart) sets M2's website" -- nanse --home "$A" member set "$M2" --website https://a.example.org
expect_exit 0 "B (apart) records a payment of M3" -- nanse --home "$B" dues record --member "$M3" --amount 4321 \
  --reference "from B"
expect_exit 0 "B (apart) sets M2's locality" -- nanse --home "$B" member set "$M2" --locality "Written on B"
expect_exit 0 "C (apart) adds a member" -- nanse --home "$C" --format json member add --kind organization \
  --name-en "Far End Co-op" --joined-on 2025-03-01 --country MX --subdivision MX-OAX --locality Oaxaca --language es
M4=$(uuid_of "$WORK/out")
expect_exit 0 "C (apart) records a payment of M4" -- nanse --home "$C" dues record --member "$M4" --amount 1500 \
  --currency MXN --credited 90 --reference "from C"

# --- the line: B dials A and C ------------------------------------------------------------------
start_server a "$A" --advertise "$NOWHERE"
start_server c "$C" --advertise "$NOWHERE"
expect_exit 0 "B adds A as a peer" -- nanse --home "$B" peer add "$(address a)"
expect_exit 0 "B adds C as a peer" -- nanse --home "$B" peer add "$(address c)"
start_server b "$B"
wait_until 30 "A, B and C come to hold the same ops" -- all_hold_the_same "$A" "$B" "$C"
wait_until 10 "A shows C's new member (two hops)" -- locality_is "$A" "$M4" Oaxaca
same_views A="$A" B="$B" C="$C"

# The concurrent write is a conflict, the same on all three, with both values and authors.
for n in A B C; do
  same "$(nanse --home "$WORK/${n,,}" --format json conflicts | pyj "[sorted((w['value'], w['author']) for w in c['writes']) for c in j if c['record'] == '$M1' and c['field'] == 'locality']")" \
    "$(python3 -c "print([sorted([('Written on A', '$id_a'), ('Written on C', '$id_c')])])")" \
    "$n lists the conflict on M1's locality with A's and C's values"
done
nanse --home "$A" conflicts >"$WORK/conflicts_a"
grep -qE "^member +${M1:0:8} .* locality " "$WORK/conflicts_a" && pass "the conflicts table shows it" \
  || fail "conflicts table: $(cat "$WORK/conflicts_a")"
same "$(nanse --home "$B" --format json member show "$M2" | pyj "(j['locality'], j['website'])")" \
  "('Written on B', 'https://a.example.org')" "B shows A's and its own edits of M2"

# --- a live edit at one end reaches the other end through B --------------------------------------
expect_exit 0 "A edits M1 again" -- nanse --home "$A" member set "$M1" --locality "Settled on A"
wait_until 10 "A's edit reaches C through B" -- locality_is "$C" "$M1" "Settled on A"
expect_exit 0 "C edits M3" -- nanse --home "$C" member set "$M3" --locality "Settled on C"
wait_until 10 "C's edit reaches A through B" -- locality_is "$A" "$M3" "Settled on C"
wait_until 10 "all three hold the same ops again" -- all_hold_the_same "$A" "$B" "$C"
same_views A="$A" B="$B" C="$C"

# --- A and C never connected ----------------------------------------------------------------------
for pair in "A $id_a" "C $id_c"; do
  read -r name id <<<"$pair"
  same "$(nanse --home "$B" --format json node show "$id" | pyj "j['addresses']")" "['$NOWHERE']" \
    "B knows $NOWHERE as $name's published address"
done
for pair in "a $id_c C" "c $id_a A"; do
  read -r log other name <<<"$pair"
  if grep -q "peer ${other:0:8} " "$WORK/$log.serve.err"; then
    fail "${log^^}'s server linked with $name: $(grep "peer ${other:0:8} " "$WORK/$log.serve.err" | head -3)"
  else
    pass "${log^^}'s server never linked with $name"
  fi
  same "$(nanse --home "$WORK/$log" --format json peer list | pyj "[p['node_id'] for p in j if p['node_id'] == '$other']")" \
    "[]" "${log^^}'s peer list does not know $name's node"
  # Polled, like B's below: a link just replaced by the one B opened is recorded anew.
  only_b() {
    [ "$(nanse --home "$WORK/$1" --format json status | pyj "[(p['node_id'], p['connected']) for p in j['peers'] if p['node_id']]")" \
      = "[('$id_b', True)]" ]
  }
  wait_until 15 "${log^^}'s status lists one peer, B, connected" -- only_b "$log"
done
# Polled: a link may just have been replaced by the one the other side opened (both dialled at
# once), and the new one needs a moment to catch up.
b_peers() {
  [ "$(nanse --home "$B" --format json status | pyj "sorted((p['node_id'], p['connected'], p['caught_up']) for p in j['peers'] if p['node_id'])")" \
    = "$(python3 -c "print(sorted([('$id_a', True, True), ('$id_c', True, True)]))")" ]
}
wait_until 15 "B's status lists A and C, connected and caught up" -- b_peers

stop_server b
stop_server a
stop_server c
finish
