#!/usr/bin/env bash
# Five nodes in a ring, A -> B -> C -> D -> E -> A (each dials the next, configured with
# `nanse peer add` while the servers run), as real `nanse serve` processes on 127.0.0.1. The
# joiners start with nothing but their claim and are admitted as A's ops go round. Then every
# node edits (all five write one field at once, too), and every node ends with the same member
# list, dues status and conflicts. Last, C's server stops, the others edit, C comes back on the
# same port and catches up.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
source "$(dirname "$0")/sync_helpers.sh"
NAMES=(a b c d e)
home() { echo "$WORK/$1"; }
all_homes() { for n in "${NAMES[@]}"; do home "$n"; done; }
HOMES=()
mapfile -t HOMES < <(all_homes)

# Servers publish their address in their node record, and nodes dial published addresses,
# which would link every node with every other. All five advertise 127.0.0.1:9 instead (the
# discard port; nothing listens there, and a node never dials its own advertised address), so
# the only links are the ring's configured ones and changes must hop round it.
NOWHERE=127.0.0.1:9

# --- A makes the network (the sample directory); B to E join as admins ---------------------------
expect_exit 0 "A makes the network" -- nanse --home "$(home a)" init --network "Anillo" --name a
load_sample "$(home a)"
for n in b c d e; do
  code=$(nanse --home "$(home a)" invite --role admin 2>/dev/null)
  expect_exit 0 "${n^^} joins as an admin" -- nanse --home "$(home "$n")" join "$code" --name "$n"
done
declare -A ID
for n in "${NAMES[@]}"; do ID[$n]=$(node_id "$(home "$n")"); done

# --- the ring -------------------------------------------------------------------------------------
for n in "${NAMES[@]}"; do start_server "$n" "$(home "$n")" --advertise "$NOWHERE"; done
for i in 0 1 2 3 4; do
  n=${NAMES[$i]} next=${NAMES[$(((i + 1) % 5))]}
  expect_exit 0 "${n^^} adds ${next^^} as a peer (while serving)" -- nanse --home "$(home "$n")" peer add "$(address "$next")"
done
wait_until 40 "all five come to hold the same ops (A's sample went round)" -- all_hold_the_same "${HOMES[@]}"
for n in b c d e; do
  same "$(nanse --home "$(home "$n")" --format json status | pyj "j['role']")" admin "${n^^} knows it is an admin"
done

# Each node is linked with its two neighbours and with no one else.
ring_links() {  # ring_links I: node I's connected peers are exactly its two neighbours
  local n=${NAMES[$1]} prev=${NAMES[$((($1 + 4) % 5))]} next=${NAMES[$((($1 + 1) % 5))]}
  [ "$(nanse --home "$(home "$n")" --format json status | pyj "sorted(p['node_id'] for p in j['peers'] if p['connected'])")" \
    = "$(python3 -c "print(sorted(['${ID[$prev]}', '${ID[$next]}']))")" ]
}
for i in 0 1 2 3 4; do
  wait_until 10 "${NAMES[$i]^^} is linked with its two neighbours, and only them" -- ring_links "$i"
done

# --- edits on all five while the ring runs ---------------------------------------------------------
mapfile -t M < <(nanse --home "$(home a)" --format json member list | pyj "'\n'.join(m['id'] for m in j[:6])")
expect_exit 0 "A sets M0's locality" -- nanse --home "$(home a)" member set "${M[0]}" --locality "Ring A"
expect_exit 0 "B records a payment of M1" -- nanse --home "$(home b)" dues record --member "${M[1]}" --amount 2500 --reference ring-b
expect_exit 0 "C adds a member" -- nanse --home "$(home c)" --format json member add --kind organization \
  --name-en "Ring Co-op" --joined-on 2025-06-01 --country US --subdivision US-NM --locality Albuquerque --language en
NEW=$(uuid_of "$WORK/out")
expect_exit 0 "D sets M2's website" -- nanse --home "$(home d)" member set "${M[2]}" --website https://d.example.org
expect_exit 0 "E sets M3's tags" -- nanse --home "$(home e)" member set "${M[3]}" --tag ring --tag five
wait_until 10 "A's edit reaches C and D (two hops each way)" -- \
  locality_everywhere "${M[0]}" "Ring A" "$(home c)" "$(home d)"
wait_until 10 "C's new member reaches A and E" -- locality_everywhere "$NEW" Albuquerque "$(home a)" "$(home e)"
# All five write M4's locality at once.
pids=()
for n in "${NAMES[@]}"; do
  nanse --home "$(home "$n")" member set "${M[4]}" --locality "All at once, ${n^^}" >/dev/null &
  pids+=($!)
done
ok=1
for pid in "${pids[@]}"; do wait "$pid" || ok=0; done
[ "$ok" = 1 ] && pass "all five write M4's locality at once" || fail "the simultaneous writes"
wait_until 20 "all five hold the same ops again" -- all_hold_the_same "${HOMES[@]}"
same_views A="$(home a)" B="$(home b)" C="$(home c)" D="$(home d)" E="$(home e)"
winner=$(nanse --home "$(home a)" --format json member show "${M[4]}" | pyj "j['locality']")
[[ $winner == "All at once, "? ]] && pass "M4's locality is one of the five writes ($winner)" || fail "M4's locality: $winner"
echo "# M4's locality: $(nanse --home "$(home a)" --format json conflicts | pyj "sum(len(c['writes']) for c in j if c['record'] == '${M[4]}')") of the five writes listed as concurrent (0: none was)"

# --- the ring breaks at C and heals ----------------------------------------------------------------
port_c=${SERVER_PORT[c]}
stop_server c
expect_exit 0 "with C down, B edits M5" -- nanse --home "$(home b)" member set "${M[5]}" --locality "While C was down, B"
expect_exit 0 "with C down, D edits M5's website" -- nanse --home "$(home d)" member set "${M[5]}" --website https://while-down.example.org
expect_exit 0 "C, down, edits M0" -- nanse --home "$(home c)" member set "${M[0]}" --locality "Offline C"
wait_until 10 "B's edit goes the long way round to D (B-A-E-D)" -- \
  locality_is "$(home d)" "${M[5]}" "While C was down, B"
start_server c "$(home c)" --listen "127.0.0.1:$port_c" --advertise "$NOWHERE"
same "${SERVER_PORT[c]}" "$port_c" "C serves on its old port again"
wait_until 60 "once C is back, all five hold the same ops" -- all_hold_the_same "${HOMES[@]}"
same_views A="$(home a)" B="$(home b)" C="$(home c)" D="$(home d)" E="$(home e)"
same "$(nanse --home "$(home e)" --format json member show "${M[0]}" | pyj "j['locality']")" "Offline C" \
  "C's offline edit (the latest write of M0) reached E"

for n in "${NAMES[@]}"; do stop_server "$n"; done
finish
