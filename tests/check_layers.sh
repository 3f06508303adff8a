#!/usr/bin/env bash
# Fails when a file includes across the layers: crdt/ must do no I/O (no Boost, Asio, SQLite,
# nothing from node/ or cli/), and node/ must not include anything from cli/.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
bad=0
if out=$(grep -nE '#include *[<"](boost/|asio|sqlite3|CLI/|nlohmann/|node/|cli/)' crdt/*.h crdt/*.cc 2>/dev/null); then
  echo "crdt/ must stay pure (no Boost, Asio, SQLite, CLI11, JSON, node/ or cli/ includes):"
  echo "$out"
  bad=1
fi
if out=$(grep -nE '#include *[<"](cli/|CLI/)' node/*.h node/*.cc 2>/dev/null); then
  echo "node/ must not include cli/ or CLI11:"
  echo "$out"
  bad=1
fi
[ $bad -eq 0 ] && echo "layers ok: crdt -> (sodium, msgpack); node -> crdt; cli -> node"
exit $bad
