#!/usr/bin/env bash
# Loads the sample network of examples/sample/ (58 members, 8 projects, the 2024-2026 dues ledger)
# into an existing node: examples/load-sample.sh HOME
# The node must be an admin (adding members is for admins): the network's first node, or one
# invited with `nanse invite --role admin`.
# NANSE_BIN names the nanse binary (default: nanse on the PATH). Run it once per network: the
# records keep the fixed ids of the sample files.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 HOME   (the home directory of an existing node; NANSE_BIN=path/to/nanse)" >&2
  exit 2
fi
home=$1
nanse_bin=${NANSE_BIN:-nanse}
sample=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/sample

if [ ! -d "$home" ]; then
  echo "load-sample: $home is not a directory (make the node first: nanse --home $home init ...)" >&2
  exit 1
fi
if ! command -v "$nanse_bin" >/dev/null; then
  echo "load-sample: cannot run $nanse_bin (set NANSE_BIN to the nanse binary)" >&2
  exit 1
fi
for f in members.csv projects.csv dues.csv; do
  [ -f "$sample/$f" ] || { echo "load-sample: missing $sample/$f" >&2; exit 1; }
done

run() { printf '$ nanse %s\n' "$*"; "$nanse_bin" "$@"; }

run --home "$home" member import "$sample/members.csv"

# Projects: one `project add` per row (options only for non-empty cells), then one `project join`
# per participant other than the lead (who joins as lead with the add).
python3 - "$nanse_bin" "$home" "$sample/projects.csv" <<'PY'
import csv
import shlex
import subprocess
import sys

nanse, home, path = sys.argv[1:4]
header = ["id", "kind", "status", "lead", "title_en", "title_fr", "title_es", "summary_en",
          "summary_fr", "summary_es", "start_date", "end_date", "countries", "languages",
          "participants"]


def run(args):
    print("$ nanse " + shlex.join(args), flush=True)
    try:
        subprocess.run([nanse] + args, check=True)
    except FileNotFoundError:
        sys.exit(f"load-sample: cannot run {nanse!r} (set NANSE_BIN to the nanse binary)")
    except subprocess.CalledProcessError as e:
        sys.exit(f"load-sample: nanse exited with status {e.returncode}")


def items(cell):
    return [v for v in cell.split(";") if v] if cell else []


with open(path, encoding="utf-8", newline="") as f:
    reader = csv.reader(f, strict=True)
    if next(reader, None) != header:
        sys.exit(f"load-sample: {path}: unexpected header (expected {','.join(header)})")
    rows = []
    for row in reader:
        if len(row) != len(header):
            sys.exit(f"load-sample: {path}:{reader.line_num}: {len(row)} fields, expected {len(header)}")
        rows.append(dict(zip(header, row)))

for r in rows:
    args = ["--home", home, "project", "add", "--id", r["id"], "--kind", r["kind"],
            "--status", r["status"], "--lead", r["lead"]]
    for field in ("title", "summary"):
        for lang in ("en", "fr", "es"):
            if r[f"{field}_{lang}"]:
                args += [f"--{field}-{lang}", r[f"{field}_{lang}"]]
    if r["start_date"]:
        args += ["--start", r["start_date"]]
    if r["end_date"]:
        args += ["--end", r["end_date"]]
    for cc in items(r["countries"]):
        args += ["--country", cc]
    for lang in items(r["languages"]):
        args += ["--language", lang]
    run(args)

    for p in items(r["participants"]):
        member, sep, role = p.rpartition(":")
        if not sep or not member:
            sys.exit(f"load-sample: project {r['id']}: participant {p!r} is not MEMBER_ID:ROLE")
        if member == r["lead"]:
            if role != "lead":
                sys.exit(f"load-sample: project {r['id']}: the lead is listed as {role!r}")
            continue
        run(["--home", home, "project", "join", r["id"], member, "--role", role])
PY

run --home "$home" dues import "$sample/dues.csv"
echo "load-sample: loaded $sample into $home"
