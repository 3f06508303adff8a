#!/usr/bin/env bash
# Two nodes exchange their logs by bundle files; hostile or mistaken files change nothing.
source "$(dirname "$0")/lib.sh"
A=$WORK/a B=$WORK/b S=$WORK/stranger

expect_exit 0 "init makes a network" -- nanse --home "$A" init --network "Réseau test" --name "Pi Montréal"
expect_exit 1 "init refuses an existing home" -- nanse --home "$A" init --network Other
expect_stderr_has "refusing to overwrite" "the refusal says why"

# An observer may describe itself (a `node` op), which is all B does here.
code=$(nanse --home "$A" invite --role observer --peer 127.0.0.1:7410 2>"$WORK/invite.err")
[[ $code == nanse1:* ]] && pass "invite prints a nanse1: code" || fail "invite code: $code"
grep -q "nanse invite cancel" "$WORK/invite.err" && pass "the ticket note goes to stderr" || fail "invite note: $(cat "$WORK/invite.err")"
expect_exit 0 "join makes a node from the code" -- nanse --home "$B" join "$code" --name "Laptop CDMX"
expect_exit 0 "the joined node authors a change" -- nanse --home "$B" node set --address 127.0.0.1:7411

# B -> A, then A -> B using B's bundle as the --since reference.
expect_exit 0 "export all of B" -- nanse --home "$B" bundle export -o "$WORK/b.bundle"
expect_exit 0 "import B into A" -- nanse --home "$A" --format json bundle import "$WORK/b.bundle"
[ "$(json_get "$WORK/out" "j['added']")" = 3 ] && pass "A added B's 3 ops (claim, node, node)" || fail "A added: $(cat "$WORK/out")"
expect_exit 0 "importing it again" -- nanse --home "$A" --format json bundle import "$WORK/b.bundle"
[ "$(json_get "$WORK/out" "j['added']")" = 0 ] && pass "a second import adds nothing" || fail "second import: $(cat "$WORK/out")"
expect_exit 0 "export what B lacks" -- nanse --home "$A" --format json bundle export --since "$WORK/b.bundle" -o "$WORK/a.bundle"
[ "$(json_get "$WORK/out" "j['ops']")" = 3 ] && pass "only A's 3 ops go back (genesis, node, invite)" || fail "export since: $(cat "$WORK/out")"
expect_exit 0 "import A into B" -- nanse --home "$B" bundle import "$WORK/a.bundle"

nanse --home "$A" --format json log >"$WORK/log_a"
nanse --home "$B" --format json log >"$WORK/log_b"
ids_a=$(json_get "$WORK/log_a" "sorted(o['id'] for o in j)")
ids_b=$(json_get "$WORK/log_b" "sorted(o['id'] for o in j)")
[ "$ids_a" = "$ids_b" ] && pass "both logs hold the same 6 ops" || fail "logs differ"
[ "$(json_get "$WORK/log_a" "len(j)")" = 6 ] && pass "6 ops in all" || fail "op count"
nanse --home "$A" --format json status >"$WORK/st_a"
nanse --home "$B" --format json status >"$WORK/st_b"
[ "$(json_get "$WORK/st_a" "j['heads']")" = "$(json_get "$WORK/st_b" "j['heads']")" ] \
  && pass "both nodes show the same heads" || fail "heads differ"
nanse --home "$A" log | grep -q "Laptop CDMX" && pass "A's log shows B's node op" || fail "log text"

# A vector exchanged as text works too.
nanse --home "$B" bundle vector -o "$WORK/b.vv"
expect_exit 0 "export since a vector file" -- nanse --home "$A" --format json bundle export --since "$WORK/b.vv" -o "$WORK/none.bundle"
[ "$(json_get "$WORK/out" "j['ops']")" = 0 ] && pass "nothing to send to an up-to-date node" || fail "since vector: $(cat "$WORK/out")"

# Hostile and mistaken input: clear errors, nothing changes.
before=$(nanse --home "$B" --format json status)
python3 - "$WORK/a.bundle" "$WORK/tampered.bundle" <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
data[len(data) // 2] ^= 0x01
open(sys.argv[2], 'wb').write(data)
PY
expect_exit 1 "a tampered bundle is refused" -- nanse --home "$B" bundle import "$WORK/tampered.bundle"
expect_stderr_has "tampered" "the error says it was tampered with"
head -c 100 "$WORK/a.bundle" >"$WORK/short.bundle"
expect_exit 1 "a truncated bundle is refused" -- nanse --home "$B" bundle import "$WORK/short.bundle"
expect_stderr_has "truncated" "the error says truncated"
nanse --home "$S" init --network "Another network" --name s >/dev/null
nanse --home "$S" bundle export -o "$WORK/s.bundle" >/dev/null
expect_exit 1 "another network's bundle is refused" -- nanse --home "$B" bundle import "$WORK/s.bundle"
expect_stderr_has "made for network" "the error names the networks"
expect_exit 1 "a missing file is refused" -- nanse --home "$B" bundle import "$WORK/nope.bundle"
[ "$before" = "$(nanse --home "$B" --format json status)" ] && pass "B is unchanged by all of that" || fail "B changed"

finish
