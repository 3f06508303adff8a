#!/usr/bin/env bash
# The demo: two nodes of one network, apart, exchange their signed changes by bundle files (as
# they would on a USB stick) and end up showing the same directory, dues and conflicts. The second
# node is invited as the treasurer of one member co-op: it may edit that co-op and record dues,
# and is refused what only an admin may do.
set -euo pipefail
nanse_bin=${NANSE_BIN:-nanse}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/nanse-demo-XXXXXX")
trap 'rm -rf "$work"' EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ nanse %s\n' "$*"; "$nanse_bin" "$@"; }
# Shows the first N lines of a command's output (without cutting the command short).
run_head() {
  local n=$1
  shift
  printf '$ nanse %s\n' "$*"
  "$nanse_bin" "$@" >"$work/out"
  head -n "$n" "$work/out"
}

montreal=$work/montreal
oaxaca=$work/oaxaca

say "The steering committee's node in Montréal makes the network and loads the sample directory"
run --home "$montreal" init --network "NANSE" --name "Comité — Montréal"
NANSE_BIN=$nanse_bin "$here/load-sample.sh" "$montreal" >/dev/null
run_head 4 --home "$montreal" status

coop=2cc298d2-94af-4941-862e-c5a831a62a47   # Valle de Etla Solidarity Savings Co-operative

say "It invites a second node, the co-op's treasurer (the code travels by e-mail or phone)"
printf '$ nanse %s\n' "--home $montreal invite --role treasurer --member $coop --peer 192.0.2.10:7410"
code=$("$nanse_bin" --home "$montreal" invite --role treasurer --member "$coop" --peer 192.0.2.10:7410)
echo "$code"

say "The co-op's node in Oaxaca joins, offline, and receives everything on a USB stick"
run --home "$oaxaca" join "$code" --name "Cooperativa Oaxaca"
run --home "$montreal" bundle export -o "$work/montreal-1.bundle"
run --home "$oaxaca" bundle import "$work/montreal-1.bundle"

say "Apart again, both edit the co-op's record (a concurrent edit); Oaxaca records a payment"
run --home "$montreal" member set "$coop" --locality "Villa de Etla, Oaxaca"
run --home "$oaxaca" member set "$coop" --locality "San Pablo Etla" --name-es "Caja Solidaria del Valle de Etla"
run --home "$oaxaca" dues record --member "$coop" --year 2026 --amount 170000 --currency MXN --credited 10000 --method bank_transfer --reference "SPEI 2026-118"

say "They exchange bundles again, each sending only what the other lacks"
run --home "$oaxaca" bundle export --since "$work/montreal-1.bundle" -o "$work/oaxaca-1.bundle"
run --home "$montreal" bundle import "$work/oaxaca-1.bundle"
run --home "$montreal" bundle export --since "$work/oaxaca-1.bundle" -o "$work/montreal-2.bundle"
run --home "$oaxaca" bundle import "$work/montreal-2.bundle"

say "Both show the same member, in Spanish, with the concurrent edit resolved the same way"
run_head 12 --home "$montreal" --lang es member show "$coop"
say "... and list the conflict, with both values and their authors, until someone settles it"
run --home "$oaxaca" conflicts

say "Oaxaca's node is the co-op's treasurer: it may edit its own record and record dues, not add members"
run --home "$oaxaca" member add --kind organization --name "Cooperativa Nueva" --joined-on 2026-01-01 \
  --country MX --subdivision MX-OAX --language es || echo "(refused, as it should be: adding members is for admins)"
run --home "$montreal" node list

say "Dues for 2026 (Oaxaca's view)"
run_head 12 --home "$oaxaca" dues status --year 2026

say "Same directory, dues, conflicts and node roles on both nodes?"
ok=true
for view in "member list" "project list" "dues status --year 2026" "conflicts" "node list"; do
  # shellcheck disable=SC2086
  a=$("$nanse_bin" --home "$montreal" --format json $view)
  # shellcheck disable=SC2086
  b=$("$nanse_bin" --home "$oaxaca" --format json $view)
  if [ "$a" = "$b" ]; then echo "  same: nanse $view"; else echo "  DIFFERENT: nanse $view"; ok=false; fi
done
$ok
