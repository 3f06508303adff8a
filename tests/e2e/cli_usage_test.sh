#!/usr/bin/env bash
# Every subcommand answers --help; bad usage exits 2 and bad input exits 1, naming the field.
source "$(dirname "$0")/lib.sh"
H=$WORK/home

for cmd in "" init join invite "invite list" "invite cancel" status log node "node set" "node show" \
           "node list" "node role" "node revoke" bundle "bundle export" "bundle import" \
           "bundle vector" key "key export" doctor; do
  # shellcheck disable=SC2086
  expect_exit 0 "nanse $cmd --help" -- nanse $cmd --help
done

expect_exit 2 "no subcommand" -- nanse
expect_exit 2 "an unknown subcommand" -- nanse frobnicate
expect_exit 2 "an unknown format" -- nanse --format yaml status
expect_exit 2 "init without --network" -- nanse --home "$H" init
expect_exit 1 "status without a home" -- nanse --home "$H" status
expect_stderr_has "nanse init" "it says how to make a home"

expect_exit 1 "join with garbage" -- nanse --home "$H" join "hello"
expect_stderr_has "invite code" "the error names the invite code"
expect_exit 1 "join with a damaged code" -- nanse --home "$H" join "nanse1:AAAA!!"
expect_exit 1 "join with a truncated code" -- nanse --home "$H" join "nanse1:lQHEIK0n9akX4WlnakEJ3n9hr8jAQfQAsjmG"
[ ! -e "$H" ] && pass "failed joins leave no home behind" || fail "a failed join made $H"

expect_exit 1 "init with an empty network name" -- nanse --home "$H" init --network ""
expect_stderr_has "--network" "the error names --network"
expect_exit 0 "init" -- nanse --home "$H" init --network Net --name pi
expect_exit 1 "a bad peer address in an invite" -- nanse --home "$H" invite --role observer --peer "not an address"
expect_stderr_has "--peer" "the error names --peer"
expect_exit 1 "a bad node address" -- nanse --home "$H" node set --address "host:99999"
expect_stderr_has "port" "the error names the port"
expect_exit 2 "node set with nothing to set" -- nanse --home "$H" node set
expect_exit 1 "a bad --since vector" -- nanse --home "$H" bundle export --since "nv1:zzz:1" -o "$WORK/x"
expect_exit 2 "log --limit 0" -- nanse --home "$H" log --limit 0
expect_exit 1 "log of an unknown author" -- nanse --home "$H" log --author abcdefgh

NANSE_HOME=$H expect_exit 0 "NANSE_HOME selects the home" -- nanse status
expect_exit 0 "status --format json" -- nanse --home "$H" status --format json
python3 -c "import json; j=json.load(open('$WORK/out')); assert j['ops'] == 2 and j['network_name'] == 'Net'" \
  && pass "status JSON has the stable keys" || fail "status JSON"
mode=$(stat -c %a "$H/node.key")
[ "$mode" = 600 ] && pass "node.key is mode 0600" || fail "node.key mode $mode"

finish
