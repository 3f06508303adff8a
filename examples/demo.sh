#!/usr/bin/env bash
# The demo: two nodes of one network, apart, exchange their signed changes by bundle files
# (as they would on a USB stick), and end up with the same log.
set -euo pipefail
nanse_bin=${NANSE_BIN:-nanse}
work=$(mktemp -d "${TMPDIR:-/tmp}/nanse-demo-XXXXXX")
trap 'rm -rf "$work"' EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ nanse %s\n' "$*"; "$nanse_bin" "$@"; }

montreal=$work/montreal
oaxaca=$work/oaxaca

say "The steering committee's node in Montréal makes the network"
run --home "$montreal" init --network "NANSE" --name "Comité — Montréal"

say "It invites a second node (the code travels by e-mail or phone)"
code=$("$nanse_bin" --home "$montreal" invite --peer 192.0.2.10:7410)
echo "$code"

say "A member's node in Oaxaca joins, offline"
run --home "$oaxaca" join "$code" --name "Cooperativa Oaxaca"

say "Both make changes while apart"
run --home "$montreal" node set --address montreal.example.org:7410
run --home "$oaxaca" node set --name "Cooperativa de Oaxaca" --address 198.51.100.7:7410

say "Oaxaca writes a bundle of its changes to a USB stick"
run --home "$oaxaca" bundle export -o "$work/oaxaca.bundle"

say "Montréal imports it, and answers with only what Oaxaca lacks"
run --home "$montreal" bundle import "$work/oaxaca.bundle"
run --home "$montreal" bundle export --since "$work/oaxaca.bundle" -o "$work/montreal.bundle"
run --home "$oaxaca" bundle import "$work/montreal.bundle"

say "Montréal's log"
run --home "$montreal" log
say "Oaxaca's log"
run --home "$oaxaca" log

say "Both hold the same ops"
run --home "$montreal" status
run --home "$oaxaca" status
a=$("$nanse_bin" --home "$montreal" bundle vector)
b=$("$nanse_bin" --home "$oaxaca" bundle vector)
if [ "$a" = "$b" ]; then echo "same version vector on both nodes: $a"; else
  echo "vectors differ: $a vs $b"; exit 1; fi
