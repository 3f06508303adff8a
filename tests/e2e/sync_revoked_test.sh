#!/usr/bin/env bash
# A revoked node over the network, as real processes on 127.0.0.1. A admits B and C (admins);
# A and B serve, linked. A revokes C while C is apart; C, not knowing, edits. C still holds
# the network key, so it connects and syncs with A and with B, and its late ops are stored and
# forwarded, but they change nothing on A or B: their member lists stay as they were, their
# logs show the ops invalid and `nanse doctor` reports them. Once C has the revocation, its own
# directory drops its late edits too, it may not author, and its server still links with A.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
source "$(dirname "$0")/sync_helpers.sh"
A=$WORK/a B=$WORK/b C=$WORK/c

# effects HOME AUTHOR AFTER: the effects HOME's log gives AUTHOR's ops with seq > AFTER.
effects() {
  nanse --home "$1" --format json log --author "$2" --limit 1000 |
    pyj "sorted((o['seq'], o['type'], o['effect']) for o in j if o['seq'] > $3)"
}
# revoked_after HOME NODE: the seq after which HOME holds NODE revoked ("None": not revoked).
revoked_after() { nanse --home "$1" --format json node show "$2" | pyj "j['revoked_after_seq']"; }
revoked_is() { [ "$(revoked_after "$1" "$2")" = "$3" ]; }
# linked_with HOME NODE: HOME's status shows NODE connected and caught up.
linked_with() {
  [ "$(nanse --home "$1" --format json status | pyj "[(p['connected'], p['caught_up']) for p in j['peers'] if p['node_id'] == '$2']")" = "[(True, True)]" ]
}
last_seq() { nanse --home "$1" --format json status | pyj "max(h['seq'] for h in j['heads'] if h['author'] == '$2')"; }

# --- A makes the network; B and C join as admins and learn it all -------------------------------
expect_exit 0 "A makes the network" -- nanse --home "$A" init --network "Red" --name a
for name in "Org One" "Org Two"; do
  expect_exit 0 "A adds $name" -- nanse --home "$A" --format json member add --kind organization --name-en "$name" \
    --joined-on 2020-01-01 --country CA --subdivision CA-ON --locality Toronto --language en
done
M1=$(nanse --home "$A" --format json member list | pyj "[m['id'] for m in j if m['name']['en'] == 'Org One'][0]")
for n in B C; do
  code=$(nanse --home "$A" invite --role admin 2>/dev/null)
  expect_exit 0 "$n joins as an admin" -- nanse --home "$WORK/${n,,}" join "$code" --name "${n,,}"
done
id_a=$(node_id "$A") id_b=$(node_id "$B") id_c=$(node_id "$C")
start_server a "$A"
expect_exit 0 "B syncs once with A" -- nanse --home "$B" sync "$(address a)"
expect_exit 0 "C syncs once with A" -- nanse --home "$C" sync "$(address a)"
expect_exit 0 "B syncs once with A again (C's claim)" -- nanse --home "$B" sync "$(address a)"
same "$(heads "$B") $(heads "$C")" "$(heads "$A") $(heads "$A")" "A, B and C hold the same ops"
same "$(nanse --home "$C" --format json status | pyj "j['role']")" admin "C knows it is an admin"

# B serves, linked with A, so that what A authors reaches B live.
expect_exit 0 "B adds A as a peer" -- nanse --home "$B" peer add "$(address a)"
start_server b "$B"
wait_until 20 "B holds the same ops as A, live" -- all_hold_the_same "$A" "$B"

# --- A revokes C while C is apart; C, not knowing, edits --------------------------------------
last_c=$(last_seq "$A" "$id_c")
expect_exit 0 "A revokes C" -- nanse --home "$A" node revoke "${id_c:0:8}"
wait_until 10 "the revocation reaches B" -- revoked_is "$B" "$id_c" "$last_c"
nanse --home "$A" --format json member list >"$WORK/members_a_before"
nanse --home "$B" --format json member list >"$WORK/members_b_before"
expect_exit 0 "C, not knowing, edits Org One" -- nanse --home "$C" member set "$M1" --locality "Revoked C was here"
expect_exit 0 "C, not knowing, adds a member" -- nanse --home "$C" --format json member add --kind organization \
  --name-en "Org of a revoked node" --joined-on 2024-01-01 --country CA --subdivision CA-QC --language fr
M3=$(uuid_of "$WORK/out")
same "$(nanse --home "$C" --format json member show "$M1" | pyj "j['locality']")" "Revoked C was here" \
  "until it learns of its revocation, C applies its own edit"
same "$(effects "$C" "$id_c" "$last_c")" "[($((last_c + 1)), 'member.set', 'applied'), ($((last_c + 2)), 'member.add', 'applied')]" \
  "C's log: its two late ops applied at home"

# --- C connects: its late ops travel but change nothing -----------------------------------------
expect_exit 0 "C (revoked, holding the network key) syncs with A" -- nanse --home "$C" --format json sync "$(address a)"
same "$(json_get "$WORK/out" "(j['peer'], j['ops_out'] >= 2, j['ops_added'] >= 1)")" "('$id_a', True, True)" \
  "the session ran: C sent its late ops and received the revocation"
expect_exit 0 "C syncs with B" -- nanse --home "$C" --format json sync "$(address b)"
same "$(json_get "$WORK/out" "j['peer']")" "$id_b" "the session with B ran"
wait_until 10 "A and B hold the same ops (C's late ops included)" -- all_hold_the_same "$A" "$B"
same "$(heads "$C")" "$(heads "$A")" "C holds the same ops as A"
for n in A B; do
  home=$WORK/${n,,}
  same "$(last_seq "$home" "$id_c")" "$((last_c + 2))" "$n stores C's late ops (seq $((last_c + 1)) and $((last_c + 2)))"
  nanse --home "$home" --format json member list >"$WORK/members_${n}_after"
  cmp -s "$WORK/members_${n,,}_before" "$WORK/members_${n}_after" && pass "$n's member list is unchanged by C's late ops" \
    || { fail "$n's member list changed"; diff "$WORK/members_${n,,}_before" "$WORK/members_${n}_after" | head -10 | sed 's/^/    /' || true; }
  same "$(effects "$home" "$id_c" "$last_c")" "[($((last_c + 1)), 'member.set', 'invalid'), ($((last_c + 2)), 'member.add', 'invalid')]" \
    "$n's log shows C's late ops invalid"
  expect_exit 1 "nanse doctor on $n reports a problem" -- nanse --home "$home" --format json doctor
  same "$(json_get "$WORK/out" "[(f['code'], f['count'], f['revoked_after_seq']) for f in j if f['subject'] == '$id_c']")" \
    "[('revoked_ops', 2, $last_c)]" "$n's doctor: C's 2 ops after its revocation (after seq $last_c)"
done
nanse --home "$A" log --limit 1000 | grep -qE "^${id_c:0:8} .* $((last_c + 1)) .* member.set +invalid " \
  && pass "A's log table marks C's late edit invalid" || fail "log table: $(nanse --home "$A" log --limit 1000 | grep "${id_c:0:8}")"

# --- C, knowing now ------------------------------------------------------------------------------
nanse --home "$C" --format json member list >"$WORK/members_c"
cmp -s "$WORK/members_a_before" "$WORK/members_c" && pass "C's own member list drops its late edits" \
  || fail "C's member list differs from A's"
same "$(revoked_after "$C" "$id_c")" "$last_c" "C knows it is revoked after seq $last_c"
expect_exit 1 "C, revoked and aware, editing Org One is refused" -- nanse --home "$C" member set "$M1" --locality Again
expect_stderr_has "revoked" "the refusal says C is revoked"
# Its server still serves and links (it cannot publish its address: that would be an op).
expect_exit 0 "C adds A as a peer" -- nanse --home "$C" peer add "$(address a)"
start_server c "$C"
# (Its status, not its log: the log's "caught up" line is missing when the peer's CaughtUp
# arrives before this side sends its own; the PeerBook is refreshed every 2 s regardless.)
wait_until 20 "C's status shows A connected and caught up" -- linked_with "$C" "$id_a"
wait_until 20 "A's status shows C (revoked) connected and caught up" -- linked_with "$A" "$id_c"
grep -q "could not publish address" "$WORK/c.serve.err" && pass "C's server says it could not publish its address" \
  || fail "C's log: $(head -n 5 "$WORK/c.serve.err")"
same "$(heads "$C")" "$(heads "$A")" "C still holds the same ops as A"
for n in a b c; do stop_server "$n"; done
same "$(nanse --home "$A" --format json member list)" "$(cat "$WORK/members_a_before")" "A's member list is still unchanged"
[ "$M3" != "" ] && same "$(nanse --home "$B" --format json member list | pyj "[m for m in j if m['id'] == '$M3']")" "[]" \
  "B does not list the member C added after its revocation"

finish
