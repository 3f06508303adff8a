#!/usr/bin/env bash
# LAN discovery (issue 7) on a real, if emulated, LAN: the network lab (netlab, see
# docs in /work/shared/tools/netlab.md) gives each node a host of its own on one /24, so the
# beacons go to a real broadcast address (10.231.0.255, UDP port 7411) and are heard by
# every other host, as on an office or a co-op's Wi-Fi.
#
#   host 1  A  network "Alfa", serves
#   host 2  B  joined A's network with an invite that names no peer, nothing synced, no peer
#              configured: only A's beacons can tell B where A is (and B's tell A)
#   host 3  C  another network ("Ceta"): hears A's and B's beacons and must ignore them, as A
#              and B must ignore C's
#   host 4  D  a third network, serving with --no-discovery
#   host 5  E  joined D's network, --no-discovery: D and E never learn of each other
#
# Checks: within 30 s A and B link and hold the same ops (each holds the other's); C never
# connects to A or B nor they to C (no peer with C's node id in A's or B's `nanse status`, no
# handshake in C's server log, C's server accepted no connection); D and E log no discovery and
# do not link in 10 s. The two halves run at once, so the test takes about 15 s.
#
# The lab needs root and /dev/net/tun (network namespaces and a TAP switch). Without them the
# test cannot run: it prints "SKIP: ..." and exits 0 (CTest runs it as root or not at all; the
# e2e tests have no skip return code set), so an unprivileged `ctest` still passes.
set -euo pipefail
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
  echo "SKIP: the network lab needs root and /dev/net/tun"
  exit 0
fi
NETLAB=${NETLAB:-}
if [ -z "$NETLAB" ]; then
  for candidate in "${NANSE_SOURCE:-.}/../shared/tools/netlab" "${NANSE_SOURCE:-.}/tools/netlab"; do
    [ -x "$candidate" ] && { NETLAB=$candidate; break; }
  done
fi
if [ -z "$NETLAB" ] || [ ! -x "$NETLAB" ]; then
  echo "SKIP: netlab not found (set NETLAB to the netlab script)"
  exit 0
fi
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
source "$(dirname "$0")/sync_helpers.sh"

# A private lab (tests may run in parallel), brought down whatever happens: `down` also kills
# every process left in the hosts. The servers are stopped first, so their logs are complete.
export NETLAB_PREFIX=ld$$
trap 'cleanup_servers; "$NETLAB" down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"$NETLAB" up 5 >/dev/null
lab_addr() { echo "10.231.0.$1"; }

# serve_on NAME HOST HOME [OPTIONS...]: `nanse serve --listen 10.231.0.HOST:7410` inside lab
# host HOST, in the background (logs in $WORK/NAME.serve.{out,err}); waits (10 s at most) for
# its "listening on" line. `netlab exec` ends in `exec ip netns exec`, which execs nanse in
# place, so $! is the server itself and cleanup_servers can stop it.
serve_on() {
  local name=$1 host=$2 home=$3 deadline=$((SECONDS + 10))
  shift 3
  : >"$WORK/$name.serve.out"
  "$NETLAB" exec "$host" "$NANSE_BIN" --home "$home" serve --listen "$(lab_addr "$host"):7410" "$@" \
    >"$WORK/$name.serve.out" 2>"$WORK/$name.serve.err" &
  SERVER_PID[$name]=$!
  while [ $SECONDS -lt $deadline ]; do
    grep -q "listening on $(lab_addr "$host"):7410" "$WORK/$name.serve.out" && break
    kill -0 "${SERVER_PID[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q "listening on" "$WORK/$name.serve.out"; then
    pass "$name serves on $(lab_addr "$host"):7410 in lab host $host"
  else
    fail "$name's server did not start"; sed 's/^/    /' "$WORK/$name.serve.out" "$WORK/$name.serve.err"
  fi
}

# peer_ids HOME: the node ids in HOME's `nanse status` peers, sorted, one line.
peer_ids() { nanse --home "$1" --format json status | pyj "' '.join(sorted(str(p['node_id']) for p in j['peers']))"; }
# connected_peer_ids HOME: the same, connected peers only.
connected_peer_ids() { nanse --home "$1" --format json status | pyj "' '.join(sorted(str(p['node_id']) for p in j['peers'] if p['connected']))"; }
# linked HOME ID: HOME shows node ID as a connected peer.
linked() { [[ " $(connected_peer_ids "$1") " == *" $2 "* ]]; }

A=$WORK/a B=$WORK/b C=$WORK/c D=$WORK/d E=$WORK/e

# --- the homes: two networks that discover, one that must stay apart, one that must not look -----
expect_exit 0 "A makes network Alfa" -- nanse --home "$A" init --network Alfa --name a
expect_exit 0 "A adds a member" -- nanse --home "$A" --format json member add --kind organization \
  --name-en "Beacon Co-op" --joined-on 2025-01-15 --country CA --subdivision CA-QC --locality Montréal --language fr
MEMBER=$(uuid_of "$WORK/out")
# No --peer: the code names no address, so nothing but discovery can link B to A.
code=$(nanse --home "$A" invite --role admin 2>/dev/null)
expect_exit 0 "B joins Alfa (an invite naming no peer)" -- nanse --home "$B" join "$code" --name b
expect_exit 0 "C makes network Ceta" -- nanse --home "$C" init --network Ceta --name c
expect_exit 0 "D makes network Delta" -- nanse --home "$D" init --network Delta --name d
code=$(nanse --home "$D" invite --role admin 2>/dev/null)
expect_exit 0 "E joins Delta" -- nanse --home "$E" join "$code" --name e
declare -A ID
for n in a b c d e; do ID[$n]=$(node_id "$WORK/$n"); done
same "$(nanse --home "$B" --format json member list | pyj "len(j)")" 0 "B holds none of A's members yet"
same "$(peer_ids "$B")" "" "B has no peer configured or known"

# --- all five serve at once on their lab addresses ------------------------------------------------
start=$(now)
serve_on a 1 "$A"
serve_on b 2 "$B"
serve_on c 3 "$C"
serve_on d 4 "$D" --no-discovery
serve_on e 5 "$E" --no-discovery
for n in a b c; do
  grep -q "LAN discovery: beacons on UDP port 7411 to 10.231.0.255" "$WORK/$n.serve.err" \
    && pass "${n^^} beacons to the lab's broadcast address" \
    || fail "${n^^} does not say it beacons to 10.231.0.255: $(grep -i discovery "$WORK/$n.serve.err" || true)"
done

# --- A and B find each other and sync -------------------------------------------------------------
wait_until 30 "A and B come to hold the same ops, found by beacons alone" -- all_hold_the_same "$A" "$B"
echo "# A and B in sync $(since "$start") s after the servers started"
same "$(nanse --home "$B" --format json member show "$MEMBER" | pyj "j['locality']")" "Montréal" "B holds A's member"
wait_until 5 "A shows B as a connected peer" -- linked "$A" "${ID[b]}"
wait_until 5 "B shows A as a connected peer" -- linked "$B" "${ID[a]}"
# Only the node with the lower id dials, so the link may come before the other side has heard a
# beacon; it hears one within 7.5 s of the first (beacons go every 2.5 to 7.5 s).
wait_until 10 "A logs discovering B at 10.231.0.2:7410" -- \
  grep -q "discovered node ${ID[b]:0:8} at 10.231.0.2:7410 on the local network" "$WORK/a.serve.err"
wait_until 10 "B logs discovering A at 10.231.0.1:7410" -- \
  grep -q "discovered node ${ID[a]:0:8} at 10.231.0.1:7410 on the local network" "$WORK/b.serve.err"

# --- D and E, with --no-discovery, stay apart for 10 s (counted from their start) -----------------
while [ "$(since "$start" | cut -d. -f1)" -lt 10 ]; do sleep 0.5; done
for n in d e; do
  grep -q "LAN discovery\|discovered" "$WORK/$n.serve.err" \
    && fail "${n^^} (--no-discovery) logged discovery: $(grep "LAN discovery\|discovered" "$WORK/$n.serve.err")" \
    || pass "${n^^} (--no-discovery) logged no discovery in 10 s"
done
same "$(peer_ids "$D")" "" "D (--no-discovery) has no peer after 10 s"
same "$(peer_ids "$E")" "" "E (--no-discovery) has no peer after 10 s"
all_hold_the_same "$D" "$E" && fail "D and E hold the same ops: they synced" \
  || pass "D and E did not sync"

# --- C, of another network, never linked with A or B ----------------------------------------------
for n in a b; do
  [[ " $(peer_ids "$WORK/$n") " == *" ${ID[c]} "* ]] && fail "${n^^} shows C's node id as a peer" \
    || pass "${n^^}'s peers do not include C"
  grep -q "${ID[c]:0:8}\|10\.231\.0\.3" "$WORK/$n.serve.err" \
    && fail "${n^^}'s log mentions C: $(grep "${ID[c]:0:8}\|10\.231\.0\.3" "$WORK/$n.serve.err" | head -3)" \
    || pass "${n^^}'s log never mentions C (its address or node id)"
done
same "$(peer_ids "$C")" "" "C has no peer"
grep -q "connected\|handshake failed\|refused" "$WORK/c.serve.err" \
  && fail "C's server log shows connections: $(grep "connected\|handshake failed\|refused" "$WORK/c.serve.err" | head -3)" \
  || pass "C's server log shows no handshake, failed or not"
# The beacons did reach C (so "nothing connected" is not "nothing arrived"): C's host received
# broadcast frames from A and B. netlab status: rx frames per host.
rx_c=$("$NETLAB" status | awk '$1 == "'"$NETLAB_PREFIX"'3" { sub("rx=", "", $6); print $6 }')
[ "${rx_c:-0}" -gt 0 ] && pass "C's host received frames ($rx_c): A's and B's beacons reached it" \
  || fail "C's host received no frame at all (lab status: $("$NETLAB" status))"

# --- the servers stop cleanly; C's own count: no connection accepted --------------------------------
for n in a b c d e; do stop_server "$n"; done
grep -q "stopped: 0 connections accepted, 0 handshakes, 0 failed" "$WORK/c.serve.err" \
  && pass "C accepted no connection and saw no handshake" \
  || fail "C's server: $(grep stopped: "$WORK/c.serve.err" || tail -n 3 "$WORK/c.serve.err")"
echo "# whole test: $(since "$start") s after the servers started"
finish
