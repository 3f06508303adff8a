#!/usr/bin/env bash
# A large sync cut by SIGKILL, as real processes on 127.0.0.1: A holds a large history
# (bench/gen_members.py organizations, imported), and serves. C, joined and empty, syncs it all
# in one session (the time is printed). B, joined and empty, starts the same sync and is killed
# with SIGKILL once it has stored some of A's ops but not all; its database is intact, and the
# next `nanse sync` sends only what B lacks and finishes. B then lists the same members as A,
# `PRAGMA integrity_check` says ok and `nanse doctor` finds no problem (exit 0).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
source "$(dirname "$0")/sync_helpers.sh"
A=$WORK/a B=$WORK/b C=$WORK/c
# Enough that a Debug build takes seconds to sync it: time to see B's ops arrive and to kill it.
COUNT=3000

# integrity HOME: SQLite's own check of HOME's database (the sqlite3 CLI, else Python's module).
integrity() {
  if command -v sqlite3 >/dev/null; then
    sqlite3 "$1/nanse.db" 'PRAGMA integrity_check'
  else
    python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$1/nanse.db"
  fi
}

# lacking FROM TO: how many ops FROM holds that TO lacks, by their heads (author, seq).
lacking() {
  python3 -c '
import json, subprocess, sys
def heads(home):
    out = subprocess.run([sys.argv[1], "--home", home, "--format", "json", "status"], check=True,
                         capture_output=True, text=True).stdout
    return {h["author"]: h["seq"] for h in json.loads(out)["heads"]}
have, want = heads(sys.argv[3]), heads(sys.argv[2])
print(sum(max(0, seq - have.get(author, 0)) for author, seq in want.items()))' "$NANSE_BIN" "$1" "$2"
}

# --- A makes the network and imports COUNT organizations; B and C join -----------------------
expect_exit 0 "A makes the network" -- nanse --home "$A" init --network "Grande" --name a
python3 "$NANSE_SOURCE/bench/gen_members.py" --seed 7 --count "$COUNT" >"$WORK/members.csv"
start=$(now)
expect_exit 0 "A imports $COUNT organizations" -- nanse --home "$A" member import "$WORK/members.csv"
echo "# import: $(cat "$WORK/out") ($(since "$start") s)"
for n in B C; do
  code=$(nanse --home "$A" invite --role observer 2>/dev/null)
  expect_exit 0 "$n joins" -- nanse --home "$WORK/${n,,}" join "$code" --name "${n,,}"
done
start_server a "$A"
total=$(ops_of "$A")
log_bytes=$(nanse --home "$A" --format json status | pyj "j['log_bytes']")
echo "# A holds $total ops, $log_bytes bytes of log"

# --- C syncs it all in one session -------------------------------------------------------------
expect_exit 0 "C (empty) syncs everything in one session" -- nanse --home "$C" --format json sync "$(address a)"
same "$(json_get "$WORK/out" "(j['ops_in'], j['ops_added'])")" "($total, $total)" "C received all $total ops"
echo "# large sync: $(json_get "$WORK/out" "'%d ops, %d bytes in, %d messages, %.0f ms' % (j['ops_in'], j['bytes_in'], j['messages_in'], j['ms'])") ($COUNT organizations, this build)"
same "$(nanse --home "$C" --format json member list | pyj "len(j)")" "$COUNT" "C lists $COUNT members"

# --- B starts the same sync and is killed partway ------------------------------------------------
before=$(ops_of "$B")  # its own: its claim and its node record
"$NANSE_BIN" --home "$B" --format json sync "$(address a)" >"$WORK/b_sync1.out" 2>"$WORK/b_sync1.err" &
syncer=$!
SERVER_PID[b_sync]=$syncer  # so that the exit trap kills it too, should the test stop here
# Kill once B has stored a few of A's ops (each Ops message is one transaction).
deadline=$((SECONDS + 60))
got=$before
while [ $SECONDS -lt $deadline ] && kill -0 "$syncer" 2>/dev/null; do
  got=$(ops_of "$B")
  [ "$got" -ge $((before + 3)) ] && break
  sleep 0.05
done
kill -KILL "$syncer" 2>/dev/null || true
set +e
{ wait "$syncer"; } 2>/dev/null  # (without bash's "Killed" notice)
rc=$?
set -e
unset "SERVER_PID[b_sync]"
same "$rc" 137 "B's sync was killed by SIGKILL (exit 137), not finished"
got=$(ops_of "$B")
echo "# killed with $((got - before)) of A's $total ops stored"
[ "$got" -gt $((before + 2)) ] && [ "$got" -lt $((before + total)) ] \
  && pass "B got some of A's ops but not all ($((got - before)) of $total)" \
  || fail "B holds $got ops (it held $before; A holds $total): not a partial sync"
same "$(integrity "$B")" ok "B's database is intact after SIGKILL (PRAGMA integrity_check)"
kill -0 "${SERVER_PID[a]}" && pass "A's server still runs" || fail "A's server died"

# --- the next sync finishes, sending only what B lacks -------------------------------------------
lacking=$(lacking "$A" "$B")
expect_exit 0 "B syncs again" -- nanse --home "$B" --format json sync "$(address a)"
same "$(json_get "$WORK/out" "(j['ops_in'], j['ops_added'])")" "($lacking, $lacking)" \
  "the second session sends only the $lacking ops B still lacked, all new"
echo "# resumed sync: $(json_get "$WORK/out" "'%d ops, %d bytes in, %.0f ms' % (j['ops_in'], j['bytes_in'], j['ms'])")"
same "$(heads "$B")" "$(heads "$A")" "B and A hold the same ops"
nanse --home "$A" --format json member list >"$WORK/members_a"
nanse --home "$B" --format json member list >"$WORK/members_b"
cmp -s "$WORK/members_a" "$WORK/members_b" && pass "B's member list is identical to A's" \
  || fail "B's member list differs from A's ($(json_get "$WORK/members_b" "len(j)") members, A $(json_get "$WORK/members_a" "len(j)"))"
same "$(integrity "$B")" ok "B's database is intact (PRAGMA integrity_check)"
expect_exit 0 "nanse doctor on B finds no problem" -- nanse --home "$B" doctor
grep -q "peer .* gone" "$WORK/a.serve.err" && pass "A's server logged the cut link" || fail "A's log: $(tail -n 5 "$WORK/a.serve.err")"
stop_server a
finish
