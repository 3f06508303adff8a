# shellcheck shell=bash
# Helpers shared by the sync tests (tests/e2e/sync_*_test.sh): real `nanse serve` processes on
# 127.0.0.1, each on a port of its own choosing, stopped when the test exits whatever happens.
# Sourced after lib.sh and directory_helpers.sh. Not a test itself: CMake only runs *_test.sh.

declare -A SERVER_PID=()   # name -> pid of a server started and not stopped yet
declare -A SERVER_PORT=()  # name -> the port it said it listens on

# kill_server PID: SIGTERM, then SIGKILL if it has not gone within 5 s; reaps it.
kill_server() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# On exit, whatever happened: stop every server still running; after a failure, show the end
# of each server's log (what the servers said is what explains a sync that did not converge).
cleanup_servers() {
  local name
  for name in "${!SERVER_PID[@]}"; do kill_server "${SERVER_PID[$name]}"; done
  # shellcheck disable=SC2154  # failures: lib.sh's count
  if [ "$failures" -gt 0 ]; then
    for log in "$WORK"/*.serve.err; do
      [ -e "$log" ] || continue
      echo "--- last lines of $(basename "$log" .serve.err)'s serve log:"
      tail -n 25 "$log" | sed 's/^/    /'
    done
  fi
}
trap 'cleanup_servers; rm -rf "$WORK"' EXIT

# now: seconds since the epoch, with milliseconds.
now() { date +%s.%3N; }
# since T: seconds elapsed since `now` said T, to one decimal.
since() { python3 -c "import sys; print('%.1f' % ($(now) - $1))"; }

# start_server NAME HOME [SERVE OPTIONS...]: `nanse serve --listen 127.0.0.1:0` (unless the
# options say --listen) on HOME, in the background, its output in $WORK/NAME.serve.{out,err};
# waits for the "listening on" line and records the port (address NAME prints the address).
start_server() {
  local name=$1 home=$2 port="" deadline=$((SECONDS + 20))
  shift 2
  : >"$WORK/$name.serve.out"  # made here: the background shell may not have opened it yet
  local listen=(--listen 127.0.0.1:0) arg
  for arg in "$@"; do [ "$arg" != --listen ] || listen=(); done
  # The binary itself, not the nanse() function: $! must be the server's pid.
  "$NANSE_BIN" --home "$home" serve "${listen[@]}" "$@" \
    >"$WORK/$name.serve.out" 2>"$WORK/$name.serve.err" &
  SERVER_PID[$name]=$!
  while [ $SECONDS -lt $deadline ]; do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/$name.serve.out")
    [ -n "$port" ] && break
    kill -0 "${SERVER_PID[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  if [ -n "$port" ]; then
    SERVER_PORT[$name]=$port
    pass "$name serves on 127.0.0.1:$port"
  else
    fail "$name's server did not say where it listens"
    sed 's/^/    /' "$WORK/$name.serve.out" "$WORK/$name.serve.err"
  fi
}

# address NAME: where the server NAME listens.
address() { echo "127.0.0.1:${SERVER_PORT[$1]}"; }

# stop_server NAME: SIGTERM; the server must exit 0 within 10 s.
stop_server() {
  local name=$1 pid=${SERVER_PID[$1]} rc
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    fail "$name's server still runs 10 s after SIGTERM"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  set +e
  wait "$pid"
  rc=$?
  set -e
  unset "SERVER_PID[$name]"
  [ "$rc" -eq 0 ] && pass "$name's server stops on SIGTERM (exit 0)" \
    || fail "$name's server exited $rc: $(tail -n 3 "$WORK/$name.serve.err")"
}

# wait_until SECONDS DESCRIPTION -- COMMAND...: polls COMMAND every 0.2 s until it succeeds;
# passes saying how long it took, or fails after SECONDS.
wait_until() {
  local limit=$1 what=$2 start
  shift 3
  start=$(now)
  local deadline=$((SECONDS + limit))
  while ! "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      fail "$what: not within $limit s"
      return 0
    fi
    sleep 0.2
  done
  pass "$what (in $(since "$start") s)"
}

# heads HOME: the heads HOME holds (author, seq, op id); homes holding the same ops print the same.
heads() { nanse --home "$1" --format json status | pyj "sorted((h['author'], h['seq'], h['op_id']) for h in j['heads'])"; }
# ops_of HOME: how many ops HOME holds.
ops_of() { nanse --home "$1" --format json status | pyj "j['ops']"; }
# node_id HOME
node_id() { nanse --home "$1" --format json status | pyj "j['node_id']"; }

# all_hold_the_same HOME...: succeeds when every HOME holds the same ops as the first.
all_hold_the_same() {
  local first home
  first=$(heads "$1") || return 1
  for home in "${@:2}"; do [ "$(heads "$home")" = "$first" ] || return 1; done
}

# locality_is HOME MEMBER VALUE: succeeds when HOME shows VALUE as MEMBER's locality.
locality_is() { [ "$(nanse --home "$1" --format json member show "$2" | pyj "j.get('locality')")" = "$3" ]; }
# locality_everywhere MEMBER VALUE HOME...: every HOME shows VALUE as MEMBER's locality.
locality_everywhere() {
  local member=$1 value=$2 home
  for home in "${@:3}"; do locality_is "$home" "$member" "$value" || return 1; done
}

# same_views NAME=HOME...: what the tests compare between nodes (`member list` and `dues status`
# as JSON, the `conflicts` table) is identical on every node and the first, one output at a
# time (the difference is shown on failure).
same_views() {
  local first=$1 pair name home cmd label
  local -a cmds=("--format json member list" "--format json dues status" "conflicts")
  for cmd in "${cmds[@]}"; do
    label="nanse ${cmd#--format json }"
    [ "$cmd" != conflicts ] && label="$label --format json"
    # shellcheck disable=SC2086
    nanse --home "${first#*=}" $cmd >"$WORK/view.first"
    for pair in "${@:2}"; do
      name=${pair%%=*} home=${pair#*=}
      # shellcheck disable=SC2086
      nanse --home "$home" $cmd >"$WORK/view.other"
      if cmp -s "$WORK/view.first" "$WORK/view.other"; then
        pass "$label is identical on ${first%%=*} and $name"
      else
        fail "$label differs between ${first%%=*} and $name"
        diff "$WORK/view.first" "$WORK/view.other" | head -20 | sed 's/^/    /' || true
      fi
    done
  done
}
