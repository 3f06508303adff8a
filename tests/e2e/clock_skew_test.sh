#!/usr/bin/env bash
# Nodes whose clocks are wrong, as real processes (libfaketime): B believes it is 1970 (a
# Raspberry Pi with no real-time clock), C believes it is 2040. Both join A's network and sync
# with A's `nanse serve`; each edit made after syncing wins over the older ones, as its author
# expects, whatever its clock says (the hybrid logical clock ticks past everything seen); all
# three converge; `nanse doctor` on A names B and C (their Hellos said what their clocks said,
# and C's ops are dated 2040), and `nanse doctor` on B says its own clock is behind.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
source "$(dirname "$0")/sync_helpers.sh"
A=$WORK/a B=$WORK/b C=$WORK/c

command -v faketime >/dev/null || { echo "SKIP: faketime is missing (scripts/setup installs it)"; exit 0; }
# The wall clock only: Asio's timers run on the monotonic clock, which stays true.
export FAKETIME_DONT_FAKE_MONOTONIC=1
# libfaketime is preloaded ahead of the sanitizers' runtime in the ASan+UBSan build, which
# ASan refuses unless told that the order is fine (it is: libfaketime only wraps clock calls).
faked() {
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" faketime "$@"
}
in_1970() { faked '1970-01-02 00:00:00' "$NANSE_BIN" "$@"; }
in_2040() { faked '2040-06-01 00:00:00' "$NANSE_BIN" "$@"; }

expect_exit 0 "A makes the network" -- nanse --home "$A" init --network "Relojes" --name a
expect_exit 0 "A adds a member" -- nanse --home "$A" --format json member add --kind organization \
  --name "Cooperativa Reloj" --joined-on 2024-01-01 --country JM --language es --locality "first"
M=$(uuid_of "$WORK/out")
code_b=$(nanse --home "$A" invite --role admin 2>/dev/null)
code_c=$(nanse --home "$A" invite --role admin 2>/dev/null)
start_server a "$A"

expect_exit 0 "B joins with its clock at 1970" -- in_1970 --home "$B" join "$code_b" --name b
expect_exit 0 "B syncs with A" -- in_1970 --home "$B" sync "$(address a)"
expect_exit 0 "B edits the member" -- in_1970 --home "$B" member set "$M" --locality "from B in 1970"
expect_exit 0 "B syncs its edit to A" -- in_1970 --home "$B" sync "$(address a)"
locality_is "$A" "$M" "from B in 1970" && pass "B's edit, made after it synced, wins on A despite its 1970 clock" \
  || fail "A shows: $(nanse --home "$A" --format json member show "$M")"

expect_exit 0 "C joins with its clock in 2040" -- in_2040 --home "$C" join "$code_c" --name c
expect_exit 0 "C syncs with A" -- in_2040 --home "$C" sync "$(address a)"
expect_exit 0 "C edits the member" -- in_2040 --home "$C" member set "$M" --locality "from C in 2040"
expect_exit 0 "C syncs its edit to A" -- in_2040 --home "$C" sync "$(address a)"
locality_is "$A" "$M" "from C in 2040" && pass "C's edit wins on A" || fail "A shows the wrong locality"

# A's next edit comes after C's in the order, although A's clock says 2026: A has seen 2040.
expect_exit 0 "A edits the member again" -- nanse --home "$A" member set "$M" --locality "from A, last"
locality_is "$A" "$M" "from A, last" && pass "A's later edit wins over C's 2040 one" || fail "A's edit lost"
expect_exit 0 "B syncs again" -- in_1970 --home "$B" sync "$(address a)"
expect_exit 0 "C syncs again" -- in_2040 --home "$C" sync "$(address a)"
for home in "$B" "$C"; do
  locality_is "$home" "$M" "from A, last" && pass "$(basename "$home") shows A's last edit" \
    || fail "$(basename "$home") shows another locality"
done
all_hold_the_same "$A" "$B" "$C" && pass "all three hold the same ops" || fail "their logs differ"
same_views A="$A" B="$B" C="$C"

# The doctors.
id_b=$(node_id "$B") id_c=$(node_id "$C")
expect_exit 1 "doctor on A finds problems" -- nanse --home "$A" --format json doctor
findings() { pyj "sorted((f['code'], f['subject']) for f in j)" <"$WORK/out"; }
grep -q "('peer_clock', '$id_b')" <<<"$(findings)" && pass "A's doctor names B's clock (1970)" \
  || fail "no peer_clock for B: $(cat "$WORK/out")"
grep -q "('peer_clock', '$id_c')" <<<"$(findings)" && pass "A's doctor names C's clock (2040)" \
  || fail "no peer_clock for C: $(cat "$WORK/out")"
grep -q "('clock_ahead', '$id_c')" <<<"$(findings)" && pass "and C's ops dated ahead" \
  || fail "no clock_ahead for C: $(cat "$WORK/out")"
set +e
in_1970 --home "$B" --format json doctor >"$WORK/out" 2>"$WORK/err"
code=$?
set -e
[ "$code" = 1 ] && pass "doctor on B finds a problem (exit 1)" || fail "doctor on B: exit $code"
grep -q "('own_clock', '$id_b')" <<<"$(findings)" && pass "B's doctor says its own clock is behind" \
  || fail "no own_clock on B: $(cat "$WORK/out")"
grep -q "clock_ahead\|peer_clock" "$WORK/out" && fail "B's doctor blames the others for its own clock" \
  || pass "and does not blame the others"

stop_server a
finish
