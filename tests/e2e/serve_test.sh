#!/usr/bin/env bash
# nanse serve and nanse ping, as real processes on 127.0.0.1: a node of the network completes
# the handshake and learns the server's node id; a node of another network is refused; SIGTERM
# stops the server cleanly with its counters; the listen address is stored in the home.
source "$(dirname "$0")/lib.sh"
A=$WORK/a B=$WORK/b C=$WORK/c

expect_exit 0 "A makes the network" -- nanse --home "$A" init --network "Red" --name a
code=$(nanse --home "$A" invite --role observer 2>/dev/null)
expect_exit 0 "B joins it" -- nanse --home "$B" join "$code" --name b
expect_exit 0 "C makes another network" -- nanse --home "$C" init --network "Other" --name c
id_a=$(nanse --home "$A" --format json status | python3 -c "import json,sys; print(json.load(sys.stdin)['node_id'])")
nanse --home "$A" bundle export -o "$WORK/a.bundle" >/dev/null
nanse --home "$B" bundle import "$WORK/a.bundle" >/dev/null

# The server picks a free port and says which.
# The binary itself, not the nanse() function: $! must be its pid for the SIGTERM below.
"$NANSE_BIN" --home "$A" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
server=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] && pass "serve prints the address it listens on (port $port)" || fail "no listening line: $(cat "$WORK/serve.out" "$WORK/serve.err")"

expect_exit 0 "B pings A" -- nanse --home "$B" --format json ping "127.0.0.1:$port"
[ "$(json_get "$WORK/out" "j['peer']")" = "$id_a" ] && pass "ping learns A's node id" || fail "peer: $(cat "$WORK/out")"
[ "$(json_get "$WORK/out" "j['role']")" = "admin" ] && pass "and its role" || fail "role: $(cat "$WORK/out")"
[ "$(json_get "$WORK/out" "j['network_name']")" = "Red" ] && pass "and the network" || fail "network"
json_get "$WORK/out" "j['handshake_ms'] > 0" | grep -qx True && pass "and the time it took" || fail "time"
json_get "$WORK/out" "0 < j['round_trip_ms'] <= j['handshake_ms']" | grep -qx True \
  && pass "and one round trip (message 1 to message 2), within it" || fail "round trip: $(cat "$WORK/out")"
expect_exit 0 "ping as a table" -- nanse --home "$B" ping "127.0.0.1:$port"
grep -q "^peer: *$id_a" "$WORK/out" && pass "the table names the peer" || fail "table: $(cat "$WORK/out")"

expect_exit 1 "C (another network) pings A" -- nanse --home "$C" ping "127.0.0.1:$port"
expect_stderr_has "connect 127.0.0.1:$port" "the error names the address"
expect_exit 1 "pinging a closed port" -- nanse --home "$B" ping "127.0.0.1:1"
expect_exit 2 "pinging a bad address" -- nanse --home "$B" ping "not an address"

kill -TERM "$server"
set +e
for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
wait "$server"
rc=$?
set -e
[ "$rc" -eq 0 ] && pass "SIGTERM stops the server with exit 0" || fail "serve exited $rc: $(cat "$WORK/serve.err")"
grep -q "stopping on SIGTERM" "$WORK/serve.err" && pass "it logs why it stops" || fail "serve.err: $(cat "$WORK/serve.err")"
grep -qE "stopped: [0-9]+ connections accepted, 2 handshakes, 1 failed" "$WORK/serve.err" \
  && pass "and its counters: 2 handshakes, 1 failed (C)" || fail "counters: $(tail -3 "$WORK/serve.err")"
grep -q "127.0.0.1:0" "$A/listen" && pass "the listen address is stored in the home" || fail "no $A/listen"

finish
