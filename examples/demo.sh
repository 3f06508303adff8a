#!/usr/bin/env bash
# The demo: three nodes of one network, on this machine, sync over TCP. Montréal (A) makes the
# network and invites a co-op's treasurer in Oaxaca (B) and a land trust in Jackson (C). Apart,
# they make different edits, two of them to the same field; then they connect in a line,
# A - B - C, and end up showing the same directory, dues and conflicts: A's changes reach C, and
# C's reach A, only through B.
set -euo pipefail
nanse_bin=${NANSE_BIN:-nanse}
here=$(cd "$(dirname "$0")" && pwd)
case $nanse_bin in */*) nanse_bin=$(cd "$(dirname "$nanse_bin")" && pwd)/$(basename "$nanse_bin") ;; esac
work=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/nanse-demo-XXXXXX")" && pwd)
cd "$work"   # the homes are ./montreal, ./oaxaca and ./jackson; each server logs to ./NAME.log

declare -A pid=() port=()
# Stops node $1's server with SIGTERM and waits for it (SIGKILL after 10 s).
stop() {
  local p=${pid[$1]:-}
  [ -n "$p" ] || return 0
  unset "pid[$1]"
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}
cleanup() {
  for name in "${!pid[@]}"; do stop "$name"; done
  cd /
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Prints "$ nanse ARGS...", quoting the arguments that hold a space.
show() {
  local line='$ nanse' arg
  for arg; do
    case $arg in *' '*) line+=" '$arg'" ;; *) line+=" $arg" ;; esac
  done
  echo "$line"
}
run() { show "$@"; "$nanse_bin" "$@"; }
# Runs a command, showing only its lines that match the extended regex $1.
run_grep() {
  local re=$1
  shift
  show "$@"
  "$nanse_bin" "$@" >out
  grep -E "$re" out || true
}
# Starts `nanse serve --listen 127.0.0.1:0 ARGS...` for node $1 (the binary itself, so that $! is
# its pid) and reads the port it bound from its "listening on" line, within 10 s.
serve() {
  local name=$1
  shift
  show --home "$name" serve --listen 127.0.0.1:0 "$@" | sed 's/$/ \&/'
  "$nanse_bin" --home "$name" serve --listen 127.0.0.1:0 "$@" >"$name.out" 2>>"$name.log" &
  pid[$name]=$!
  for _ in $(seq 100); do
    port[$name]=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$name.out")
    if [ -n "${port[$name]}" ]; then sed 's/^/  /' "$name.out"; return; fi
    kill -0 "${pid[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "nanse serve did not start for $name:" >&2
  cat "$name.out" "$name.log" >&2
  exit 1
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

coop=2cc298d2-94af-4941-862e-c5a831a62a47   # Valle de Etla Solidarity Savings Co-operative
trust=4d3b9573-84c1-4734-8f6e-d63a131f339e  # Magnolia Commons Community Land Trust, Jackson

say "Montréal's node (A, the steering committee) makes the network, loads the sample, serves"
run_grep '^made' --home montreal init --network "NANSE" --name "Comité — Montréal"
NANSE_BIN=$nanse_bin "$here/load-sample.sh" montreal >/dev/null
echo "(examples/load-sample.sh: 58 members, 8 projects, 3 years of dues)"
# A and C publish, in their node records, an address where nobody listens (port 9, discard):
# otherwise each would learn the other's real address from the records B relays and dial it,
# and the line A - B - C would become a triangle. B publishes its real address.
serve montreal --advertise 127.0.0.1:9
a=127.0.0.1:${port[montreal]}

say "A invites the Oaxaca co-op's treasurer (B) and the Jackson land trust (C), by e-mailed codes"
# invite CODE_VARIABLE ARGS...: prints the command as `VAR=$(nanse ARGS...)` and sets VAR.
invite() {
  local var=$1
  shift
  show --home montreal invite "$@" | sed "s/^\$ \(.*\)/\$ $var=\$(\1)/"
  local code
  code=$("$nanse_bin" --home montreal invite "$@" 2>/dev/null)
  printf -v "$var" '%s' "$code"
}
# B's code tells it where A is; C's names no peer, as C is not to dial A.
invite code_b --role treasurer --member "$coop" --peer "$a"
invite code_c --role member --member "$trust"
# shellcheck disable=SC2154  # code_b is set by invite
echo "(codes of ${#code_b} characters; they carry the network key: keep them secret)"
# join HOME CODE_VARIABLE NAME: prints the code as its variable, not its 200-odd characters.
join() {
  show --home "$1" join "\"\$$2\"" --name "$3"
  "$nanse_bin" --home "$1" join "${!2}" --name "$3" | grep '^joined'
}
join oaxaca code_b "Cooperativa Oaxaca"
join jackson code_c "Magnolia Commons — Jackson"

say "Each gets its first copy from A in one sync session"
run_grep '^ops in' --home oaxaca sync "$a"
run_grep '^ops in' --home jackson sync "$a"

say "Apart (B and C are not serving), they make different edits"
echo "(A and C both change the land trust's phone number: a concurrent edit of one field)"
run --home montreal member set "$trust" --phone +16015550150
run --home jackson member set "$trust" --phone +16015550177 --number-of-members 152
echo "(B, the co-op's treasurer, edits the co-op and records the second half of its 2026 dues)"
run --home oaxaca member set "$coop" --locality "San Pablo Etla" --name-es "Caja Solidaria del Valle de Etla"
run --home oaxaca dues record --member "$coop" --year 2026 --amount 92500 --currency MXN \
  --credited 5000 --method bank_transfer --reference "SPEI 2026-118"

say "They connect in a line, A - B - C: B dials A and C, A and C never meet"
serve jackson --advertise 127.0.0.1:9
c=127.0.0.1:${port[jackson]}
run --home oaxaca peer add "$a"
run --home oaxaca peer add "$c"
serve oaxaca

say "Waiting until the three hold the same ops (at most 30 s)"
vector() { "$nanse_bin" --home "$1" bundle vector; }
start=$(date +%s%N) deadline=$((SECONDS + 30))
until [ "$(vector montreal)" = "$(vector oaxaca)" ] && [ "$(vector oaxaca)" = "$(vector jackson)" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "NOT IN SYNC after 30 s. The servers' logs:"
    for name in montreal oaxaca jackson; do echo "--- $name"; tail -n 15 "$name.log"; done
    exit 1
  fi
  sleep 0.1
done
ops=$("$nanse_bin" --home montreal --format json status | json "['ops']")
ms=$((($(date +%s%N) - start) / 1000000))
echo "all three hold the same $ops ops, $((ms / 1000)).$((ms % 1000 / 100)) s after B started"

say "C shows what B wrote, in Spanish, and A the land trust as C left it: C's edits went through B"
run_grep '^(nombre \[es\]|localidad)' --home jackson --lang es member show "$coop"
run_grep '^(phone|number of members)' --home montreal member show "$trust"
say "The concurrent edit: one value wins everywhere; both stay listed until someone settles it"
run --home montreal conflicts
say "The treasurer's payment, in A's dues for 2026"
run_grep '^MEMBER|Valle de Etla' --home montreal dues status --year 2026
say "B's peers: A and C, caught up (127.0.0.1:9, published by A and C, answers nobody)"
run_grep '^(Peers|PEER)|127\.0\.0\.1' --home oaxaca status

say "Same directory, dues, conflicts and node roles on all three?"
ok=true
for view in "member list" "project list" "dues status --year 2026" "conflicts" "node list"; do
  # shellcheck disable=SC2086
  mine=$("$nanse_bin" --home montreal --format json $view)
  same=true
  for other in oaxaca jackson; do
    # shellcheck disable=SC2086
    [ "$mine" = "$("$nanse_bin" --home "$other" --format json $view)" ] || same=false
  done
  if $same; then echo "  same: nanse $view"; else echo "  DIFFERENT: nanse $view"; ok=false; fi
done
# A link between A and C would show in C's log (C only served in this second part), as B's does.
short() { sed -n 's/^node \([a-z2-7]*\) .*/\1/p' "$1.out"; }
if grep -q "peer $(short oaxaca) .* connected" jackson.log &&
  ! grep -q "peer $(short montreal) .* connected" jackson.log; then
  echo "  A and C never linked: all that passed between them went through B"
else
  echo "  NOT A LINE: C's log shows no link with B, or one with A"
  ok=false
fi

say "Stopping the three nodes (SIGTERM)"
for name in montreal oaxaca jackson; do stop "$name"; done
for name in montreal oaxaca jackson; do
  printf '%-9s %s\n' "$name:" "$(grep -o '^stopped: .* handshakes' "$name.log")"
done
$ok
