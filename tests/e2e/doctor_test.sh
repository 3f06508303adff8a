#!/usr/bin/env bash
# nanse doctor: silent on a healthy node; names a node whose clock runs far ahead (faketime).
source "$(dirname "$0")/lib.sh"
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

finish
