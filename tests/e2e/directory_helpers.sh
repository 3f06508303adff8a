# shellcheck shell=bash
# Helpers shared by the directory tests (members, projects, dues, conflicts); sourced after lib.sh.
# Not a test itself: CMake only runs *_test.sh.

# `--name` writes, and tables show, the interface language, which comes from the locale: keep it
# English whatever the machine running the tests says.
export LC_ALL=C.UTF-8
unset NANSE_HOME

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# same A B DESCRIPTION: string equality, showing both on failure.
same() {
  if [ "$1" = "$2" ]; then pass "$3"; else
    fail "$3"; printf '    got:  %s\n    want: %s\n' "$1" "$2"
  fi
}

# pyj EXPR: evaluates a Python expression on the JSON read from stdin (`j`).
pyj() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

# uuid_of FILE: the "id" of a JSON answer such as `member add --format json`.
uuid_of() { json_get "$1" "j['id']"; }

# expect_refused DESCRIPTION TEXT -- COMMAND...: COMMAND exits 1 or 2, its stderr mentions TEXT,
# and the output of the function named by $STATE (set by each test) is the same before and after.
expect_refused() {
  local what=$1 text=$2
  shift 3
  local before after got
  before=$("$STATE")
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  got=$?
  set -e
  after=$("$STATE")
  if [ "$got" -eq 1 ] || [ "$got" -eq 2 ]; then pass "$what is refused (exit $got)"; else
    fail "$what: expected exit 1 or 2, got $got"; sed 's/^/    /' "$WORK/err" "$WORK/out"
  fi
  expect_stderr_has "$text" "$what: the error names $text"
  if [ "$before" = "$after" ]; then pass "$what: nothing changed"; else
    fail "$what: the directory changed"
    diff <(echo "$before") <(echo "$after") | head -20 | sed 's/^/    /'  || true
  fi
}

# load_sample HOME: examples/load-sample.sh into HOME (quietly); fails the test if it fails.
load_sample() {
  : "${NANSE_SOURCE:?set NANSE_SOURCE to the source directory}"
  if NANSE_BIN=$NANSE_BIN "$NANSE_SOURCE/examples/load-sample.sh" "$1" >"$WORK/load.log" 2>&1; then
    pass "examples/load-sample.sh loads the sample"
  else
    fail "examples/load-sample.sh failed"; tail -5 "$WORK/load.log" | sed 's/^/    /'
  fi
}
