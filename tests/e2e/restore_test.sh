#!/usr/bin/env bash
# A node restored from a key backup waits to learn its own latest op before it authors, so it
# never forks its own chain.
source "$(dirname "$0")/lib.sh"
A=$WORK/a B=$WORK/b C=$WORK/c
export NANSE_PASSPHRASE="a passphrase for the tests"

expect_exit 0 "init A" -- nanse --home "$A" init --network "Réseau test" --name "Pi Montréal"
expect_exit 0 "A authors an op" -- nanse --home "$A" node set --address 127.0.0.1:7410
expect_exit 0 "key export" -- nanse --home "$A" --format json key export -o "$WORK/a.key"
[ "$(json_get "$WORK/out" "j['head_seq']")" = 3 ] && pass "the backup records A's seq 3" \
  || fail "export: $(cat "$WORK/out")"
mode=$(stat -c %a "$WORK/a.key")
[ "$mode" = 600 ] && pass "the backup is mode 0600" || fail "backup mode $mode"
[ "$(head -c 10 "$WORK/a.key")" = "NANSEKEY1" ] && pass "the backup starts with NANSEKEY1" \
  || fail "magic: $(head -c 10 "$WORK/a.key" | od -c)"
grep -qF "Réseau" "$WORK/a.key" && fail "the network name is in clear" || pass "nothing in clear"
expect_exit 1 "key export refuses to overwrite" -- nanse --home "$A" key export -o "$WORK/a.key"
expect_stderr_has "refusing to overwrite" "the refusal says why"
NANSE_PASSPHRASE=short expect_exit 1 "a short passphrase is refused" -- nanse --home "$A" key export -o "$WORK/short.key"
expect_stderr_has "at least 10 characters" "the error says how long"
[ ! -e "$WORK/short.key" ] && pass "no file for a refused passphrase" || fail "short.key written"

# A goes on after the backup; its bundle carries everything.
expect_exit 0 "A authors after the backup" -- nanse --home "$A" node set --name "Pi Montréal 2"
expect_exit 0 "A exports a bundle" -- nanse --home "$A" bundle export -o "$WORK/a.bundle"

# Mistakes first: nothing is made.
NANSE_PASSPHRASE="not the passphrase" expect_exit 1 "a wrong passphrase" -- nanse --home "$B" init --restore "$WORK/a.key"
expect_stderr_has "wrong passphrase" "the error says wrong passphrase"
grep -qF "not the passphrase" "$WORK/err" && fail "the error repeats the passphrase" || pass "the error holds no passphrase"
[ ! -e "$B" ] && pass "a failed restore leaves no home behind" || fail "a failed restore made $B"
expect_exit 1 "restoring into an existing home" -- nanse --home "$A" init --restore "$WORK/a.key"
expect_stderr_has "refusing to overwrite" "the refusal says why"
expect_exit 1 "restoring a bundle file" -- nanse --home "$B" init --restore "$WORK/a.bundle"
expect_stderr_has "not a nanse key backup" "the error names the kind of file"
head -c 100 "$WORK/a.key" >"$WORK/short.key"
expect_exit 1 "restoring a truncated backup" -- nanse --home "$B" init --restore "$WORK/short.key"
expect_stderr_has "truncated" "the error says truncated"
expect_exit 2 "--restore with --network" -- nanse --home "$B" init --restore "$WORK/a.key" --network X
expect_exit 2 "init with neither" -- nanse --home "$B" init
expect_stderr_has "--restore" "the usage error offers --restore"
[ ! -e "$B" ] && pass "still no home" || fail "$B was made"

# The restore.
expect_exit 0 "init --restore" -- nanse --home "$B" --format json init --restore "$WORK/a.key"
[ "$(json_get "$WORK/out" "j['awaiting_seq']")" = 3 ] && pass "B waits for seq 3" || fail "restore: $(cat "$WORK/out")"
[ "$(nanse --home "$A" --format json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["node_id"])')" \
  = "$(json_get "$WORK/out" "j['node_id']")" ] && pass "B has A's node id" || fail "node ids differ"
expect_exit 1 "B may not author yet" -- nanse --home "$B" node set --name "Laptop"
expect_stderr_has "import a bundle or sync" "the refusal says to import a bundle or sync"
nanse --home "$B" status | grep -q "restored" && pass "status shows the wait" || fail "status: no wait"

# The bundle teaches B its own chain.
expect_exit 0 "B imports A's bundle" -- nanse --home "$B" --format json bundle import "$WORK/a.bundle"
[ "$(json_get "$WORK/out" "j['added']")" = 4 ] && pass "B added A's 4 ops" || fail "import: $(cat "$WORK/out")"
expect_exit 0 "B may author now" -- nanse --home "$B" --format json node set --name "Laptop"
[ "$(json_get "$WORK/out" "j['seq']")" = 5 ] && pass "B's op continues the chain at seq 5" || fail "seq: $(cat "$WORK/out")"
nanse --home "$B" --format json status >"$WORK/st_b"
[ "$(json_get "$WORK/st_b" "j['restore_wait_seq']")" = None ] && pass "the wait is over" || fail "still waiting"

# A learns of B's op: one chain, no equivocation.
expect_exit 0 "B exports a bundle" -- nanse --home "$B" bundle export -o "$WORK/b.bundle"
expect_exit 0 "A imports B's bundle" -- nanse --home "$A" --format json bundle import "$WORK/b.bundle"
[ "$(json_get "$WORK/out" "j['equivocations']")" = 0 ] && pass "no equivocation" || fail "import: $(cat "$WORK/out")"
nanse --home "$A" status >"$WORK/st_a_text"
# The rows of the heads table: from its header to the blank line before the peers.
awk '/FORKED AT/ {on = 1; next} on && NF == 0 {on = 0} on && $NF != "-"' "$WORK/st_a_text" | grep -q . \
  && fail "A's status shows a fork: $(cat "$WORK/st_a_text")" || pass "A's status shows no FORKED AT"
nanse --home "$A" --format json status >"$WORK/st_a"
[ "$(json_get "$WORK/st_a" "[h['fork_seq'] for h in j['heads']]")" = "[None]" ] \
  && pass "no fork_seq in A's heads" || fail "heads: $(cat "$WORK/st_a")"
[ "$(json_get "$WORK/st_a" "j['heads']")" = "$(json_get "$WORK/st_b" "j['heads']")" ] \
  && pass "A and B show the same heads" || fail "heads differ"

# --force: authors at once, with a warning, and forks (which is why it is not the default).
expect_exit 0 "restore into C" -- nanse --home "$C" init --restore "$WORK/a.key"
expect_exit 0 "C authors with --force" -- nanse --home "$C" --force node set --name "Forced"
expect_stderr_has "warning: --force" "a warning on stderr"
expect_exit 0 "C authors again without --force" -- nanse --home "$C" node set --name "Forced 2"

# In another language, the new messages are translated.
NANSE_PASSPHRASE="not the passphrase" expect_exit 1 "a wrong passphrase in French" -- nanse --lang fr --home "$WORK/d" init --restore "$WORK/a.key"
expect_stderr_has "erreur" "the error frame is French"
expect_exit 0 "key export --help in Spanish" -- nanse --lang es key export --help
grep -q "NANSE_PASSPHRASE" "$WORK/out" && pass "the help names NANSE_PASSPHRASE" || fail "help: $(cat "$WORK/out")"

finish
