#!/usr/bin/env bash
# nanse doctor: silent on a healthy node; names a node whose clock runs far ahead (faketime);
# reports ops held pending and ops of revoked nodes, and lists unused invites for information.
# Along the way: nanse node list|show|role|revoke, and the effect and author role in the log.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
H=$WORK/home

expect_exit 0 "init" -- nanse --home "$H" init --network Net --name pi
expect_exit 0 "a healthy node has nothing to report" -- nanse --home "$H" doctor
grep -q "nothing to report" "$WORK/out" && pass "it says so" || fail "doctor output: $(cat "$WORK/out")"

if command -v faketime >/dev/null; then
  # faketime works by LD_PRELOAD; an ASan build must be told the preload is fine.
  expect_exit 0 "an edit made with the clock in 2040" -- env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    faketime '2040-01-01 00:00:00' "$NANSE_BIN" --home "$H" node set --name "from the future"
  expect_exit 1 "doctor finds something (exit 1)" -- nanse --home "$H" --format json doctor
  [ "$(json_get "$WORK/out" "[f['code'] for f in j]")" = "['clock_ahead']" ] \
    && pass "it names the clock running ahead" || fail "findings: $(cat "$WORK/out")"
  [ "$(json_get "$WORK/out" "len(j[0]['op_ids'][0])")" = 52 ] && pass "with the op id" || fail "op id"
  # The node's own clock moved past 2040 (HLC): its next edit, made at today's time, comes after.
  expect_exit 0 "a later edit" -- nanse --home "$H" node set --name "back to today"
  nanse --home "$H" --format json log --limit 2 >"$WORK/log"
  [ "$(json_get "$WORK/log" "j[0]['body']['name']")" = "back to today" ] \
    && pass "is ordered after the 2040 one" || fail "log order: $(cat "$WORK/log")"
else
  fail "faketime is missing (scripts/setup installs it)"
fi

# --- Membership: invites, pending ops, roles, revocation ----------------------------------
A=$WORK/a
B=$WORK/b
expect_exit 0 "A makes a network" -- nanse --home "$A" init --network Members --name alpha
expect_exit 0 "A adds a member" -- nanse --home "$A" --format json member add --kind organization \
  --name-en "Shared Co-op" --joined-on 2020-01-01 --country CA --subdivision CA-ON \
  --locality Toronto --language en
M=$(json_get "$WORK/out" "j['id']")
A_ID=$(nanse --home "$A" --format json node show | python3 -c "import json,sys; print(json.load(sys.stdin)['node_id'])")
code=$(nanse --home "$A" invite --role observer 2>/dev/null)
expect_exit 0 "an unused invite alone is no problem (exit 0)" -- nanse --home "$A" --format json doctor
same "$(json_get "$WORK/out" "[(f['code'], f['severity'], f['role'], f['inviter']) for f in j]")" \
  "[('unused_invite', 'info', 'observer', '$A_ID')]" "doctor lists the unused invite as information"
expect_exit 0 "doctor as a table" -- nanse --home "$A" doctor
grep -q "Invites not used yet" "$WORK/out" && pass "the table lists it under its own heading" \
  || fail "doctor table: $(cat "$WORK/out")"

expect_exit 0 "B joins" -- nanse --home "$B" join "$code" --name beta
B_ID=$(nanse --home "$B" --format json node show | python3 -c "import json,sys; print(json.load(sys.stdin)['node_id'])")
expect_exit 1 "B's doctor: its ops wait for its invite (exit 1)" -- nanse --home "$B" --format json doctor
same "$(json_get "$WORK/out" "[(f['code'], f['subject'], f['count'], 'its invite has not arrived' in f['reasons']) for f in j]")" \
  "[('pending_ops', '$B_ID', 2, True)]" "doctor counts B's pending ops and says why"
same "$(nanse --home "$B" --format json node list | python3 -c "import json,sys; print([(n['node'], n['role'], n['pending']) for n in json.load(sys.stdin)])")" \
  "[('$B_ID', 'pending', 2)]" "B's node list: itself, pending"

nanse --home "$A" bundle export -o "$WORK/a.bundle" >/dev/null
nanse --home "$B" bundle import "$WORK/a.bundle" >/dev/null
nanse --home "$B" bundle export -o "$WORK/b.bundle" >/dev/null
nanse --home "$A" bundle import "$WORK/b.bundle" >/dev/null
for h in "$A" "$B"; do
  expect_exit 0 "after the exchange, doctor on $(basename "$h") is quiet" -- nanse --home "$h" doctor
  grep -q "nothing to report" "$WORK/out" && pass "it says so" || fail "doctor: $(cat "$WORK/out")"
done
expect_exit 0 "node list as JSON" -- nanse --home "$A" --format json node list
same "$(json_get "$WORK/out" "[(n['node'], n['role'], n['admitted_by'], n['applied']) for n in j]")" \
  "[('$A_ID', 'admin', 'genesis', 4), ('$B_ID', 'observer', '$A_ID', 2)]" "node list: both nodes, roles, who admitted them"
expect_exit 0 "node list as a table" -- nanse --home "$A" node list
grep -E "^${B_ID:0:8} +beta +observer " "$WORK/out" >/dev/null && pass "the table shows B's name and role" \
  || fail "node list: $(cat "$WORK/out")"

expect_exit 1 "an observer may not change roles" -- nanse --home "$B" node role "${A_ID:0:6}" observer
expect_stderr_has "needs the admin role" "the refusal names the role needed"
expect_exit 2 "node role needs a role" -- nanse --home "$A" node role "${B_ID:0:6}"
expect_exit 0 "A makes B a member node of the co-op" -- nanse --home "$A" node role "${B_ID:0:6}" member --member "${M:0:8}"
grep -q "saved as op" "$WORK/out" && pass "it names the op" || fail "node role: $(cat "$WORK/out")"
expect_exit 0 "node show B" -- nanse --home "$A" --format json node show "${B_ID:0:6}"
same "$(json_get "$WORK/out" "(j['node_id'], j['name'], j['role'], j['member'], j['member_name'], j['self'], j['revoked_after_seq'])")" \
  "('$B_ID', 'beta', 'member', '$M', 'Shared Co-op', False, None)" "node show: B's name, role and member"

expect_exit 0 "A revokes B" -- nanse --home "$A" --format json node revoke "${B_ID:0:6}"
expect_exit 0 "B, unaware, renames itself" -- nanse --home "$B" node set --name "beta again"
nanse --home "$B" bundle export -o "$WORK/b2.bundle" >/dev/null
nanse --home "$A" bundle import "$WORK/b2.bundle" >/dev/null
expect_exit 1 "doctor reports the revoked node's later op (exit 1)" -- nanse --home "$A" --format json doctor
same "$(json_get "$WORK/out" "[(f['code'], f['subject'], f['count'], f['revoked_after_seq']) for f in j]")" \
  "[('revoked_ops', '$B_ID', 1, 2)]" "one op of B past its revocation after seq 2"
expect_exit 0 "log as JSON" -- nanse --home "$A" --format json log --limit 3
same "$(json_get "$WORK/out" "[(o['type'], o['effect'], 'revoked' in o['why'], o['author_role']) for o in j]")" \
  "[('node', 'invalid', True, ''), ('revoke', 'applied', False, 'admin'), ('role', 'applied', False, 'admin')]" \
  "log: each op's effect, why, and its author's role at that op"
expect_exit 0 "log as a table" -- nanse --home "$A" log --limit 1
grep -q "invalid" "$WORK/out" && pass "the table shows the effect" || fail "log: $(cat "$WORK/out")"
same "$(nanse --home "$A" --format json member history "$M" | python3 -c "import json,sys; print(sorted({(h['author_role'], h['author_member']) for h in json.load(sys.stdin)}))")" \
  "[('admin', '')]" "member history: the author's role and member at each change"

finish
