#!/usr/bin/env bash
# The dues ledger from the command line: schedules, payments in USD and other currencies, refunds,
# waivers, assessments, reversals, the derived status per member and year, the yearly report on
# the sample ledger, and imports that record all or nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/directory_helpers.sh"
H=$WORK/home
SAMPLE=${NANSE_SOURCE:?set NANSE_SOURCE to the source directory}/examples/sample
ledger() {
  nanse --home "$H" --format json dues status --year 2024
  nanse --home "$H" --format json dues status --year 2099
  nanse --home "$H" --format json dues report --year 2024
  nanse --home "$H" --format json dues schedule --year 2031
}
STATE=ledger
# row YEAR MEMBER: "owed credited balance status" of one member's dues status row
row() {
  nanse --home "$H" --format json dues status --year "$1" |
    pyj "' '.join(str(r[k]) for r in j if r['member'] == '$2' for k in ('owed_minor', 'credited_minor', 'balance_minor', 'status'))"
}
record() { nanse --home "$H" --format json dues record "$@" | pyj "j['id']"; }

expect_exit 0 "init" -- nanse --home "$H" init --network "Cotisations" --name t
new_member() { nanse --home "$H" --format json member add --joined-on 2020-01-01 "$@" | pyj "j['id']"; }
O1=$(new_member --kind organization --name "Org One" --country HT --language ht)
O2=$(new_member --kind organization --name "Org Two" --country JM --language en)
S=$(new_member --kind associate --name "Sam Associate" --country CA --subdivision CA-ON --language en)
T=$(new_member --kind associate --name "Tess Associate" --country US --subdivision US-NY --language en)
W=$(new_member --kind associate --name "Wren Associate" --country DO --language es)

# --- schedule -------------------------------------------------------------------------------
expect_exit 0 "dues schedule --year 2024" -- nanse --home "$H" --format json dues schedule --year 2024
same "$(json_get "$WORK/out" "[(r['kind'], int(r['amount_minor']), r['currency'], r['due'], r['grace_until']) for r in j]")" \
  "[('organization', 10000, 'USD', '2024-03-31', '2024-04-30'), ('associate', 2500, 'USD', '2024-03-31', '2024-04-30')]" \
  "the default schedule: 10000 / 2500 USD, due March 31, grace to April 30"
expect_exit 0 "dues schedule as a table" -- nanse --home "$H" dues schedule --year 2024
grep -qE '^2024 +organization +10000 +USD +100\.00 USD +2024-03-31 +2024-04-30$' "$WORK/out" \
  && grep -qE '^2024 +associate +2500 +USD +25\.00 USD ' "$WORK/out" \
  && pass "table: US\$100.00 and US\$25.00" || fail "schedule table: $(cat "$WORK/out")"
same "$(nanse --home "$H" --format json dues schedule | pyj "sorted(set(r['year'] for r in j))")" "['$(date -u +%Y)']" \
  "without --year: this year"
expect_exit 0 "set the 2030 organization amount" -- nanse --home "$H" --format json dues schedule --year 2030 --kind organization --amount 12000
same "$(json_get "$WORK/out" "[(r['kind'], int(r['amount_minor'])) for r in j]")" "[('organization', 12000)]" "the new amount is printed"
expect_exit 0 "set the 2030 associate amount and due date" -- \
  nanse --home "$H" dues schedule --year 2030 --kind associate --amount 3000 --due 2030-02-28
same "$(nanse --home "$H" --format json dues schedule --year 2030 | pyj "[(r['kind'], int(r['amount_minor']), r['due'], r['grace_until']) for r in j]")" \
  "[('organization', 12000, '2030-03-31', '2030-04-30'), ('associate', 3000, '2030-02-28', '2030-03-28')]" \
  "2030 schedule: both set; grace is due + 1 month"
same "$(nanse --home "$H" --format json dues schedule --year 2029 | pyj "[int(r['amount_minor']) for r in j]")" "[10000, 2500]" \
  "other years keep the default"
expect_exit 0 "set an explicit grace date" -- \
  nanse --home "$H" dues schedule --year 2030 --kind associate --amount 3000 --due 2030-02-28 --grace-until 2030-06-30
same "$(nanse --home "$H" --format json dues schedule --year 2030 --kind associate | pyj "j[0]['grace_until']")" "2030-06-30" "--grace-until is kept"
same "$(row 2030 "$O1")" "12000 0 12000 open" "the 2030 schedule drives what an organization owes"
same "$(row 2030 "$S")" "3000 0 3000 open" "the 2030 schedule drives what an associate owes"
expect_refused "--amount without --kind" "--kind" -- nanse --home "$H" dues schedule --year 2031 --amount 5000
expect_refused "a bad --due date" "--due" -- nanse --home "$H" dues schedule --year 2031 --kind associate --amount 5000 --due 2031-02-30
expect_refused "grace before the due date" "grace_until" -- \
  nanse --home "$H" dues schedule --year 2031 --kind associate --amount 5000 --due 2031-03-31 --grace-until 2031-03-01
expect_refused "a year out of range" "year" -- nanse --home "$H" dues schedule --year 1999 --kind associate --amount 5000
# a negative --amount is taken as "no amount given": the schedule is shown, exit 0.
expect_refused "--amount -5" "amount" -- \
  nanse --home "$H" dues schedule --year 2031 --kind associate --amount -5
# docs/directory.md fixes the schedule currency to USD (balances compare it with the USD the
# bank credited; there are no exchange rates), but --currency CAD is accepted.
expect_refused "--currency CAD" "currency" -- \
  nanse --home "$H" dues schedule --year 2031 --kind associate --amount 3000 --currency CAD

# --- record ---------------------------------------------------------------------------------
E1=$(record --member "$O1" --year 2024 --amount 10000 --on 2024-02-01 --method check --reference 1001)
[[ $E1 =~ ^[0-9a-f-]{36}$ ]] && pass "record prints the entry id" || fail "record id: $E1"
same "$(row 2024 "$O1")" "10000 10000 0 paid" "a USD payment in full: paid"
record --member "${S:0:8}" --year 2024 --amount 3400 --currency CAD --credited 2500 --on 2024-03-01 >/dev/null
same "$(row 2024 "$S")" "2500 2500 0 paid" "a CAD payment counts what was credited in USD"
# REGRESSION (commit 47dc3c2, "linear batching"): Node::RecordEntries measures an invalid entry as
# kMaxBodyBytes, so every refusal below that comes from the entry checks reads
# "record: too large for one op (60928 bytes)" instead of naming amount, reason, currency, year or
# method. They passed on cd808e6.
expect_refused "a CAD payment without --credited" "--credited" -- \
  nanse --home "$H" dues record --member "$S" --year 2024 --amount 3400 --currency CAD
expect_refused "a negative payment" "amount" -- nanse --home "$H" dues record --member "$S" --year 2024 --amount -100
expect_refused "a zero payment" "amount" -- nanse --home "$H" dues record --member "$S" --year 2024 --amount 0
expect_refused "an unknown currency" "currency" -- \
  nanse --home "$H" dues record --member "$S" --year 2024 --amount 100 --currency XYZ --credited 100
expect_refused "a refund without --reason" "reason" -- \
  nanse --home "$H" dues record --member "$S" --year 2024 --type refund --amount -500
expect_refused "a positive refund" "amount" -- \
  nanse --home "$H" dues record --member "$S" --year 2024 --type refund --amount 500 --reason "overpaid"
expect_refused "a waiver without --reason" "reason" -- \
  nanse --home "$H" dues record --member "$W" --year 2024 --type waiver --amount 2500
expect_refused "an unknown member (full UUID)" "--member" -- \
  nanse --home "$H" dues record --member 00000000-0000-4000-8000-000000000000 --year 2024 --amount 100
expect_refused "an unknown member (prefix)" "--member" -- nanse --home "$H" dues record --member ffffffff --year 2024 --amount 100
expect_refused "a bad --on date" "--on" -- nanse --home "$H" dues record --member "$S" --year 2024 --amount 100 --on 2024-02-30
expect_refused "a year out of range" "year" -- nanse --home "$H" dues record --member "$S" --year 2101 --amount 100
expect_refused "an unknown --type" "--type" -- nanse --home "$H" dues record --member "$S" --year 2024 --type gift --amount 100
expect_refused "an unknown --method" "method" -- nanse --home "$H" dues record --member "$S" --year 2024 --amount 100 --method barter
expect_exit 0 "a refund with a reason" -- \
  nanse --home "$H" dues record --member "$S" --year 2024 --type refund --amount -500 --reason "refunded overpayment"
same "$(row 2024 "$S")" "2500 2000 500 arrears" "the refund lowers what is credited"
expect_exit 0 "a waiver with a reason" -- \
  nanse --home "$H" dues record --member "$W" --year 2024 --type waiver --amount 2500 --reason "hardship"
same "$(row 2024 "$W")" "0 0 0 waived" "a full waiver: waived"
same "$(row 2024 "$T")" "2500 0 2500 arrears" "nothing paid for a past year: arrears"

# --- reverse --------------------------------------------------------------------------------
E2=$(record --member "$O2" --year 2024 --amount 10000 --on 2024-03-15 --method card)
same "$(row 2024 "$O2")" "10000 10000 0 paid" "paid before the reversal"
expect_refused "reverse without --reason" "--reason" -- nanse --home "$H" dues reverse "$E2"
expect_exit 0 "reverse an entry" -- nanse --home "$H" dues reverse "$E2" --reason "charge-back"
same "$(row 2024 "$O2")" "10000 0 10000 arrears" "the reversed payment no longer counts"
same "$(nanse --home "$H" --format json dues status --year 2024 | pyj "[r['last_payment'] for r in j if r['member'] == '$O2']")" "['']" \
  "the reversed payment is no longer the last payment"
expect_refused "reversing it twice" "already reversed" -- nanse --home "$H" dues reverse "$E2" --reason "again"
expect_refused "reversing an unknown entry" "ENTRY" -- nanse --home "$H" dues reverse 00000000-0000-4000-8000-000000000000 --reason x
expect_refused "reversing a non-UUID" "ENTRY" -- nanse --home "$H" dues reverse "${E1:0:8}" --reason x
PX=5a0c1e2d-3b4f-4a6b-8c7d-9e0f1a2b3c4d RX=6b1d2f3e-4c5a-4b7c-9d8e-0f1a2b3c4d5e
printf '%s\r\n' "id,member,year,type,amount_minor,currency,credited_minor,on,method,reference,reverses,reason" \
  "$PX,$T,2024,payment,3300,CAD,2500,2024-01-20,check,77,," \
  "$RX,$T,2024,reversal,,CAD,,2024-02-01,,,$PX,cheque returned" >"$WORK/reversal.csv"
expect_exit 0 "import a payment and its reversal" -- nanse --home "$H" --format json dues import "$WORK/reversal.csv"
same "$(json_get "$WORK/out" "j['recorded']")" 2 "2 entries recorded"
same "$(row 2024 "$T")" "2500 0 2500 arrears" "the imported reversal voids the imported payment"
expect_refused "reversing a reversal" "reversal cannot itself be reversed" -- nanse --home "$H" dues reverse "$RX" --reason "undo"
expect_refused "reversing the reversed entry again" "already reversed" -- nanse --home "$H" dues reverse "$PX" --reason "again"

# --- status values for a far-future year (grace not over: partial and open) -----------------
record --member "$O1" --year 2099 --amount 4000 >/dev/null
record --member "$O2" --year 2099 --amount 10000 >/dev/null
record --member "$W" --year 2099 --type waiver --amount 2500 --reason "hardship" >/dev/null
record --member "$T" --year 2099 --type assessment --amount 500 --reason "late fee" >/dev/null
record --member "$T" --year 2099 --amount 3000 >/dev/null
same "$(row 2099 "$O1")" "10000 4000 6000 partial" "2099: part paid before grace ends: partial"
same "$(row 2099 "$S")" "2500 0 2500 open" "2099: nothing paid before grace ends: open"
same "$(row 2099 "$O2")" "10000 10000 0 paid" "2099: paid"
same "$(row 2099 "$W")" "0 0 0 waived" "2099: waived"
same "$(row 2099 "$T")" "3000 3000 0 paid" "2099: an assessment adds to what is owed"
expect_exit 0 "status as CSV" -- nanse --home "$H" --format csv dues status --year 2024
same "$(head -1 "$WORK/out" | tr -d '\r')" "member,name,kind,owed_minor,credited_minor,balance_minor,currency,status,last_payment" "status CSV header"
same "$(grep -c . "$WORK/out")" 6 "status CSV: one row per member"
expect_exit 0 "status as a table" -- nanse --home "$H" dues status --year 2024
grep -qE "^${O1:0:8} +Org One +organization +100\.00 USD +100\.00 USD +0\.00 USD +USD +paid +2024-02-01$" "$WORK/out" \
  && pass "status table: amounts as money" || fail "status table: $(cat "$WORK/out")"

# --- dues import: all or nothing ------------------------------------------------------------
header="id,member,year,type,amount_minor,currency,credited_minor,on,method,reference,reverses,reason"
printf '%s\r\n' "$header" ",$T,2024,payment,2500,USD,,2024-01-10,check,1,," \
  ",$T,2024,payment,-5,USD,,2024-01-12,check,2,," >"$WORK/bad.csv"
expect_refused "an import with a bad row" "bad.csv:3: amount_minor" -- nanse --home "$H" dues import "$WORK/bad.csv"
expect_stderr_has "nothing recorded" "the error says nothing was recorded"
printf '%s\r\n' "$header" ",$T,2024,payment,2500,USD,,2024-01-10,check,1,," \
  ",$T,2024,payment,2500,USD,,2024-13-10,check,2,," >"$WORK/bad_date.csv"
expect_refused "an import with a bad date" "bad_date.csv:3: on" -- nanse --home "$H" dues import "$WORK/bad_date.csv"
printf '%s\r\n' "$header" ",$T,2024,payment,2500,USD,,2024-01-10,check,1,," \
  ",00000000-0000-4000-8000-000000000000,2024,payment,2500,USD,,2024-01-12,check,2,," >"$WORK/stranger.csv"
expect_refused "an import naming an unknown member" "member" -- nanse --home "$H" dues import "$WORK/stranger.csv"
# the unknown member is reported as "entry 2.member", without the file and line.
expect_stderr_has "stranger.csv:3" "the error names the line"
# credited_minor is required for a non-USD entry; the importer silently credits the amount
# in the foreign currency as if it were USD (13000 CAD minor -> 13000 USD minor).
printf '%s\r\n' "$header" ",$T,2024,payment,13000,CAD,,2024-01-10,check,1,," >"$WORK/cad.csv"
expect_refused "a CAD row without credited_minor" "credited_minor" -- \
  nanse --home "$H" dues import "$WORK/cad.csv"
printf '%s\r\n' "$header,colour" ",$T,2024,payment,2500,USD,,2024-01-10,check,1,,,red" >"$WORK/col.csv"
expect_refused "an import with an unknown column" "colour" -- nanse --home "$H" dues import "$WORK/col.csv"

# --- the sample ledger: status for 2024 and 2025, report for 2025 ---------------------------
H=$WORK/sample
expect_exit 0 "init a node for the sample" -- nanse --home "$H" init --network "NANSE" --name s
load_sample "$H"
for y in 2024 2025; do nanse --home "$H" --format json dues status --year $y >"$WORK/status$y.json"; done
python3 - "$SAMPLE" "$WORK/status2024.json" "$WORK/status2025.json" <<'PY' && pass "every 2024 and 2025 row matches docs/directory.md computed from the CSV files" || fail "sample status rows"
# owed = schedule if joined by Dec 31, + assessments - waivers; credited = payments and refunds;
# reversed entries and reversals left out; grace of 2024 and 2025 is over, so no partial/open.
import csv, json, sys
d = sys.argv[1]
members = {r["id"]: r for r in csv.DictReader(open(f"{d}/members.csv", encoding="utf-8"))}
entries = list(csv.DictReader(open(f"{d}/dues.csv", encoding="utf-8")))
reversed_ids = {e["reverses"] for e in entries if e["type"] == "reversal"}
bad = []
for year, path in ((2024, sys.argv[2]), (2025, sys.argv[3])):
    rows = {r["member"]: r for r in json.load(open(path))}
    assert set(rows) == set(members), "one row per member"
    for mid, m in members.items():
        owed = (10000 if m["kind"] == "organization" else 2500) if m["joined_on"] <= f"{year}-12-31" else 0
        credited, waiver = 0, False
        for e in entries:
            if e["member"] != mid or int(e["year"]) != year or e["type"] == "reversal" or e["id"] in reversed_ids:
                continue
            if e["type"] == "waiver":
                owed -= int(e["amount_minor"]); waiver = True
            elif e["type"] == "assessment":
                owed += int(e["amount_minor"])
            else:
                credited += int(e["credited_minor"] or e["amount_minor"])
        balance = owed - credited
        status = ("waived" if waiver else "not_due") if owed <= 0 else "paid" if balance <= 0 else "arrears"
        r = rows[mid]
        got = (int(r["owed_minor"]), int(r["credited_minor"]), int(r["balance_minor"]), r["status"])
        if got != (owed, credited, balance, status):
            bad.append((year, m["name_en"] or m["name_fr"] or m["name_es"], got, (owed, credited, balance, status)))
for b in bad:
    print("   ", b)
sys.exit(1 if bad else 0)
PY
srow() { pyj "' '.join(str(r[k]) for r in j if r['member'].startswith('$1') for k in ('owed_minor', 'credited_minor', 'balance_minor', 'status'))" <"$WORK/status$2.json"; }
same "$(srow 0e0c2557 2024)" "10000 10000 0 paid" "Rideau Commons 2024: returned cheque, then re-entered: paid"
same "$(srow aa8630b6 2025)" "10000 10000 0 paid" "Phillips 2025: a cheque recorded twice, one reversed: paid once"
same "$(srow 8f445893 2025)" "2500 0 2500 arrears" "Chen 2025: charge-back never re-paid: arrears"
same "$(srow 802b369c 2025)" "0 0 0 waived" "Artibonite 2025: hardship waiver: waived"
same "$(srow dc37954d 2025)" "10000 5000 5000 arrears" "Jacmel 2025: half paid: arrears"
same "$(srow bbe565f3 2025)" "0 0 0 not_due" "joined in 2026: nothing due for 2025"

expect_exit 0 "dues report --year 2025 --format json" -- nanse --home "$H" --format json dues report --year 2025
cp "$WORK/out" "$WORK/report.json"
same "$(json_get "$WORK/report.json" "j['year']")" 2025 "the report is for 2025"
same "$(json_get "$WORK/report.json" "sorted(set(t['currency'] for t in j['totals']))")" "['CAD', 'DOP', 'MXN', 'USD']" \
  "totals per currency: CAD, DOP, MXN, USD"
python3 - "$SAMPLE/dues.csv" "$WORK/report.json" <<'PY' && pass "totals per currency and type match the effective 2025 entries" || fail "report totals"
import csv, json, sys
from collections import defaultdict
entries = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
reversed_ids = {e["reverses"] for e in entries if e["type"] == "reversal"}
want = defaultdict(lambda: [0, 0])
for e in entries:
    if e["year"] != "2025" or e["type"] == "reversal" or e["id"] in reversed_ids:
        continue
    t = want[(e["currency"], e["type"])]
    t[0] += int(e["amount_minor"])
    if e["type"] in ("payment", "refund"):
        t[1] += int(e["credited_minor"] or e["amount_minor"])
got = {(t["currency"], t["type"]): [t["amount_minor"], t["credited_usd_minor"]] for t in json.load(open(sys.argv[2]))["totals"]}
# what a waiver "credits" is not money received: compare only amounts for waivers
for k in got:
    if k[1] == "waiver":
        got[k][1] = want[k][1]
if got != dict(want):
    print("    got ", sorted(got.items()))
    print("    want", sorted(want.items()))
    sys.exit(1)
PY
same "$(json_get "$WORK/report.json" "sorted((a['member'], a['balance_minor']) for a in j['arrears'])")" \
  "$(pyj "sorted((r['member'], int(r['balance_minor'])) for r in j if r['status'] == 'arrears')" <"$WORK/status2025.json")" \
  "arrears: the members in arrears for 2025, with their balances"
same "$(json_get "$WORK/report.json" "len(j['arrears'])")" 7 "7 members in arrears for 2025"
lybunt=$(python3 - "$WORK/status2024.json" "$WORK/status2025.json" <<'PY'
import json, sys
before = {r["member"]: r["status"] for r in json.load(open(sys.argv[1]))}
print(sorted(r["member"] for r in json.load(open(sys.argv[2]))
             if before[r["member"]] == "paid" and r["status"] not in ("paid", "waived")))
PY
)
same "$(json_get "$WORK/report.json" "sorted(p['member'] for p in j['paid_last_year_not_this_year'])")" "$lybunt" \
  "paid_last_year_not_this_year: paid in 2024, neither paid nor waived in 2025"
check "Holyoke (nothing paid for 2025) is among them" grep -q 2a034731 <<<"$lybunt"
same "$(json_get "$WORK/report.json" "(j['owed_usd_minor'], j['credited_usd_minor'])")" \
  "$(pyj "(sum(max(int(r['owed_minor']), 0) for r in j), sum(int(r['credited_minor']) for r in j))" <"$WORK/status2025.json")" \
  "owed and credited totals add up the status rows"
same "$(json_get "$WORK/report.json" "j['duplicate_reversals']")" "[]" "no duplicate reversal in the sample"
expect_exit 0 "dues report as CSV" -- nanse --home "$H" --format csv dues report --year 2025
same "$(head -1 "$WORK/out" | tr -d '\r')" "currency,type,amount_minor,credited_minor" "report CSV header"
expect_exit 0 "dues report as a table" -- nanse --home "$H" dues report --year 2025
grep -q "In arrears (7)" "$WORK/out" && pass "report table: arrears count" || fail "report table: $(cat "$WORK/out")"

finish
