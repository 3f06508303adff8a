# Shared helpers for end-to-end tests: they drive the real nanse binary in temporary homes.
set -euo pipefail
: "${NANSE_BIN:?set NANSE_BIN to the nanse binary}"
# Tests read English messages: whatever the machine's locale, run the CLI in English unless a
# test says otherwise for one command.
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nanse-e2e-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0
checks=0

nanse() { "$NANSE_BIN" "$@"; }

pass() { checks=$((checks + 1)); echo "ok - $1"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $1"; }

# expect_exit CODE DESCRIPTION -- COMMAND...: runs COMMAND, checks its exit code, keeps stderr
expect_exit() {
  local want=$1 what=$2
  shift 3
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  set -e
  if [ "$got" -eq "$want" ]; then pass "$what (exit $got)"; else
    fail "$what: expected exit $want, got $got"; sed 's/^/    /' "$WORK/err"
  fi
}

# expect_stderr_has TEXT DESCRIPTION: the last command's stderr mentions TEXT
expect_stderr_has() {
  if grep -qF -- "$1" "$WORK/err"; then pass "$2"; else
    fail "$2: stderr lacks '$1'"; sed 's/^/    /' "$WORK/err"
  fi
}

# json_get FILE PYTHON_EXPR: evaluates an expression on the parsed JSON `j`
json_get() { python3 -c "import json,sys; j=json.load(open('$1')); print($2)"; }

finish() {
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
}
