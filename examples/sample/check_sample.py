#!/usr/bin/env python3
"""Checks the sample data set (members.csv, projects.csv, dues.csv) beside this file.

Usage: check_sample.py [DIR] [--quiet]

Exits 1 listing every problem found (file, line, column: message), 0 with a short summary when the
files are clean. Checks: RFC 4180 form (UTF-8 without BOM, CRLF record ends, quoting only where a
field holds a comma, quote or line break), the exact header, the column count of every row, unique
lowercase v4 UUIDs, the field rules of docs/directory.md (codes, dates, E.164 phones, BCP 47 tags,
ISO 3166 countries and subdivisions, text lengths), that every referenced member exists, and the
ledger rules (amount signs, credited_minor for non-USD payments, reversals of an earlier entry of
the same member). Uses only the Python standard library; when Debian's iso-codes tables are
installed (/usr/share/iso-codes/json) countries, subdivisions and currencies are checked against
them too.
"""
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections import Counter, defaultdict

MEMBER_COLS = (
    "id,kind,name_en,name_fr,name_es,legal_name,acronym,given_name,family_name,joined_on,country,"
    "subdivision,locality,postal_code,street_address,latitude,longitude,languages,email,phone,website,"
    "description_en,description_fr,description_es,tags,org_structure,legal_form,primary_activity,"
    "activities,qualifiers,is_network,founded_on,number_of_members,geographic_scope,publish_consent,"
    "admin_status").split(",")
PROJECT_COLS = (
    "id,kind,status,lead,title_en,title_fr,title_es,summary_en,summary_fr,summary_es,start_date,"
    "end_date,countries,languages,participants").split(",")
DUES_COLS = "id,member,year,type,amount_minor,currency,credited_minor,on,method,reference,reverses,reason".split(",")

# ESSGlobal codes (vocab/essglobal/*.skos in the shared notes; carried here so the check stands alone).
OS_CODES = {f"OS{n}" for n in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 115, 120, 130, 140, 150,
                               160, 170, 180, 190, 200, 210, 220, 230, 240)}
LEGAL_FORMS = {f"L{n}" for n in range(1, 6)}
ACTIVITIES = {f"a{n:02d}" for n in range(1, 22)}
QUALIFIERS = {f"q{n:02d}" for n in range(1, 10)}

KINDS = {"organization", "associate"}
SCOPES = {"local", "regional", "national", "international"}
ADMIN_STATUS = {"suspended", "cancelled", "withdrawn", "deceased"}
BOOLS = {"true", "false"}
PROJECT_KINDS = {"business", "educational", "policy"}
PROJECT_STATUS = {"in_planning", "active", "on_hold", "completed", "cancelled"}
ROLES = {"lead", "partner", "observer"}
ENTRY_TYPES = {"payment", "refund", "waiver", "assessment", "reversal"}
METHODS = {"bank_transfer", "check", "cash", "card", "online_processor", "other"}
SUBDIVISION_REQUIRED = {"CA", "US", "MX"}
DUES = {"organization": 10000, "associate": 2500}
YEARS = (2024, 2025, 2026)
JOIN_FIRST, JOIN_LAST = dt.date(2019, 1, 1), dt.date(2026, 12, 31)

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# BCP 47, the shapes this data uses: language[-Script][-REGION]
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$")
PHONE_RE = re.compile(r"^\+[1-9]\d{7,14}$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
EXAMPLE_DOMAIN_RE = re.compile(r"(^|\.)example\.(org|net|com)$")
URL_RE = re.compile(r"^https://([a-z0-9-]+\.)*example\.(org|net|com)(/\S*)?$")
DECIMAL_RE = re.compile(r"^-?\d{1,3}(\.\d{1,6})?$")
INT_RE = re.compile(r"^-?\d+$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
# C0 and C1 controls and the invisible direction marks refused by crdt/text_rules.h
BAD_CHARS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")

ISO_DIR = "/usr/share/iso-codes/json"


def load_iso():
    """Country, subdivision and currency codes from iso-codes, or None for each when absent."""
    def load(name, key, field):
        try:
            with open(os.path.join(ISO_DIR, name), encoding="utf-8") as f:
                return {e[field] for e in json.load(f)[key]}
        except (OSError, ValueError, KeyError):
            return None
    def languages():
        # BCP 47 language subtags (RFC 5646 2.2.1): the ISO 639-1 code when there is one, else the
        # ISO 639-3 code, plus the ISO 639-2 codes 639-3 lacks (collective codes such as "nah").
        out = set()
        for name, key in (("iso_639-3.json", "639-3"), ("iso_639-2.json", "639-2")):
            try:
                with open(os.path.join(ISO_DIR, name), encoding="utf-8") as f:
                    out |= {e.get("alpha_2") or e["alpha_3"] for e in json.load(f)[key]}
            except (OSError, ValueError, KeyError):
                return None
        return out
    return (load("iso_3166-1.json", "3166-1", "alpha_2"), load("iso_3166-2.json", "3166-2", "code"),
            load("iso_4217.json", "4217", "alpha_3"), languages())


class Checker:
    def __init__(self, directory):
        self.dir = directory
        self.errors = []
        self.countries, self.subdivisions, self.currencies, self.languages = load_iso()

    def err(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    # ------------------------------------------------------------------ RFC 4180 form
    def read(self, name, header):
        """Returns [(line_no, {col: value})], checking the file's form and every row's width."""
        path = os.path.join(self.dir, name)
        try:
            raw = open(path, "rb").read()
        except OSError as e:
            self.err(name, f"cannot read: {e}")
            return []
        if raw.startswith(b"\xef\xbb\xbf"):
            self.err(name, "starts with a UTF-8 byte order mark (the sample is written without one)")
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.err(name, f"not UTF-8: {e}")
            return []
        self.check_line_ends(name, text)

        rows = []
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            for row in reader:
                rows.append((reader.line_num, row))
        except csv.Error as e:
            self.err(f"{name}:{reader.line_num}", f"malformed CSV: {e}")
            return []
        if not rows:
            self.err(name, "empty file")
            return []
        if rows[0][1] != header:
            self.err(f"{name}:1", f"header is {','.join(rows[0][1])!r}, expected {','.join(header)!r}")
            return []

        # Quoting: exactly what a minimal RFC 4180 writer produces (quotes only where needed).
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        for _, row in rows:
            w.writerow(row)
        if out.getvalue() != text:
            a, b = out.getvalue(), text
            i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
            line = b.count("\n", 0, i) + 1
            self.err(f"{name}:{line}", "quoting differs from minimal RFC 4180 quoting "
                     f"(near {b[max(0, i - 20):i + 20]!r})")

        result = []
        for line, row in rows[1:]:
            if len(row) != len(header):
                self.err(f"{name}:{line}", f"{len(row)} fields, expected {len(header)}")
                continue
            if all(v == "" for v in row):
                self.err(f"{name}:{line}", "empty row")
                continue
            result.append((line, dict(zip(header, row))))
        return result

    def check_line_ends(self, name, text):
        """Every record ends with CRLF; line breaks inside quoted fields may be LF or CRLF."""
        if not text.endswith("\r\n"):
            self.err(name, "last record does not end with CRLF")
        quoted, line = False, 1
        for i, ch in enumerate(text):
            if ch == '"':
                quoted = not quoted
            elif ch == "\n":
                if not quoted and (i == 0 or text[i - 1] != "\r"):
                    self.err(f"{name}:{line}", "record ends with a bare LF (expected CRLF)")
                line += 1
            elif ch == "\r" and not quoted and text[i + 1:i + 2] != "\n":
                self.err(f"{name}:{line}", "bare CR outside a quoted field")

    # ------------------------------------------------------------------ field helpers
    def date(self, where, col, value, required=False):
        if value == "":
            if required:
                self.err(where, f"{col} is required")
            return None
        if not DATE_RE.match(value):
            self.err(where, f"{col} {value!r} is not YYYY-MM-DD")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.err(where, f"{col} {value!r} is not a calendar date")
            return None

    def text(self, where, col, value, max_bytes, multiline=False):
        if len(value.encode("utf-8")) > max_bytes:
            self.err(where, f"{col} is longer than {max_bytes} bytes")
        bad = BAD_CHARS_RE.search(value)
        if bad or (not multiline and ("\n" in value or "\t" in value)):
            self.err(where, f"{col} holds a control or invisible character")
        if multiline and "\r" in value:
            self.err(where, f"{col} holds a CR (line breaks inside a field are LF)")
        if value != value.strip():
            self.err(where, f"{col} has leading or trailing white space")

    def multi(self, where, col, value, allowed=None, pattern=None, max_items=None):
        """A ;-joined cell: no empty items, no duplicates, items from `allowed` or matching `pattern`."""
        if value == "":
            return []
        items = value.split(";")
        if any(i.strip() != i or i == "" for i in items):
            self.err(where, f"{col} {value!r} has an empty or padded item")
        dup = [k for k, n in Counter(items).items() if n > 1]
        if dup:
            self.err(where, f"{col} repeats {', '.join(dup)}")
        if max_items and len(items) > max_items:
            self.err(where, f"{col} has {len(items)} items, at most {max_items}")
        for i in items:
            if allowed is not None and i not in allowed:
                self.err(where, f"{col}: unknown code {i!r}")
            if pattern is not None and not pattern.match(i):
                self.err(where, f"{col}: malformed item {i!r}")
        return items

    def language_tags(self, where, col, value, max_items=None):
        tags = self.multi(where, col, value, pattern=LANG_RE, max_items=max_items)
        for t in tags:
            primary = t.split("-")[0]
            if self.languages is not None and primary not in self.languages:
                self.err(where, f"{col}: {primary!r} is not an ISO 639 language subtag")
            region = t.split("-")[-1]
            if t != primary and len(region) == 2 and self.countries and region not in self.countries:
                self.err(where, f"{col}: region {region!r} of {t!r} is not a country code")
        return tags

    def country(self, where, col, value):
        if not re.match(r"^[A-Z]{2}$", value) or (self.countries and value not in self.countries):
            self.err(where, f"{col} {value!r} is not an ISO 3166-1 alpha-2 code")

    def uuid(self, where, col, value, seen):
        if not UUID_RE.match(value):
            self.err(where, f"{col} {value!r} is not a lowercase v4 UUID")
        elif value in seen:
            self.err(where, f"{col} {value} already used at {seen[value]}")
        else:
            seen[value] = where

    # ------------------------------------------------------------------ members
    def members(self, rows, seen):
        members = {}
        for line, r in rows:
            w = f"members.csv:{line}"
            self.uuid(w, "id", r["id"], seen)
            kind = r["kind"]
            if kind not in KINDS:
                self.err(w, f"kind {kind!r} is not organization|associate")
            if not (r["name_en"] or r["name_fr"] or r["name_es"]):
                self.err(w, "no name (name_en, name_fr or name_es)")
            for col in ("name_en", "name_fr", "name_es", "legal_name", "street_address"):
                self.text(w, col, r[col], 200)
            self.text(w, "acronym", r["acronym"], 50)
            for col in ("given_name", "family_name", "locality"):
                self.text(w, col, r[col], 100)
            self.text(w, "postal_code", r["postal_code"], 20)
            for col in ("description_en", "description_fr", "description_es"):
                self.text(w, col, r[col], 4000, multiline=True)

            joined = self.date(w, "joined_on", r["joined_on"], required=True)
            if joined and not JOIN_FIRST <= joined <= JOIN_LAST:
                self.err(w, f"joined_on {joined} is outside 2019..2026")

            cc = r["country"]
            if cc == "":
                self.err(w, "country is required")
            else:
                self.country(w, "country", cc)
            sub = r["subdivision"]
            if sub == "":
                if cc in SUBDIVISION_REQUIRED:
                    self.err(w, f"subdivision is required for country {cc}")
            elif not sub.startswith(cc + "-"):
                self.err(w, f"subdivision {sub!r} does not start with {cc}-")
            elif self.subdivisions and sub not in self.subdivisions:
                self.err(w, f"subdivision {sub!r} is not an ISO 3166-2 code")

            lat, lon = r["latitude"], r["longitude"]
            if (lat == "") != (lon == ""):
                self.err(w, "latitude and longitude: both or neither")
            elif lat:
                for col, v, lim in (("latitude", lat, 90), ("longitude", lon, 180)):
                    if not DECIMAL_RE.match(v) or abs(float(v)) > lim:
                        self.err(w, f"{col} {v!r} is not decimal degrees within ±{lim}")

            langs = self.language_tags(w, "languages", r["languages"], max_items=10)
            if not langs:
                self.err(w, "languages is required")
            if r["email"]:
                e = r["email"]
                if not EMAIL_RE.match(e) or len(e) > 254:
                    self.err(w, f"email {e!r} is malformed")
                elif not EXAMPLE_DOMAIN_RE.search(e.split("@")[1]):
                    self.err(w, f"email {e!r} is not on an example.org/.net/.com domain")
            if r["phone"] and not PHONE_RE.match(r["phone"]):
                self.err(w, f"phone {r['phone']!r} is not E.164 (+ and 8..15 digits)")
            if r["website"] and not URL_RE.match(r["website"]):
                self.err(w, f"website {r['website']!r} is not an https URL on an example domain")
            tags = self.multi(w, "tags", r["tags"], max_items=100)
            for t in tags:
                self.text(w, "tags", t, 100)

            org_only = ("legal_name", "acronym", "org_structure", "legal_form", "primary_activity", "activities",
                        "qualifiers", "is_network", "founded_on", "number_of_members", "geographic_scope")
            if kind == "organization":
                for col in ("given_name", "family_name", "publish_consent"):
                    if r[col]:
                        self.err(w, f"{col} is for associates only")
                if not self.multi(w, "org_structure", r["org_structure"], allowed=OS_CODES):
                    self.err(w, "org_structure is required for an organization")
                if r["legal_form"] and r["legal_form"] not in LEGAL_FORMS:
                    self.err(w, f"legal_form {r['legal_form']!r} is not L1..L5")
                if r["primary_activity"] and r["primary_activity"] not in ACTIVITIES:
                    self.err(w, f"primary_activity {r['primary_activity']!r} is not a01..a21")
                self.multi(w, "activities", r["activities"], allowed=ACTIVITIES)
                self.multi(w, "qualifiers", r["qualifiers"], allowed=QUALIFIERS)
                if r["is_network"] not in BOOLS | {""}:
                    self.err(w, f"is_network {r['is_network']!r} is not true|false")
                founded = self.date(w, "founded_on", r["founded_on"])
                if founded and joined and founded > joined:
                    self.err(w, "founded_on is after joined_on")
                if r["number_of_members"] and not re.match(r"^\d+$", r["number_of_members"]):
                    self.err(w, f"number_of_members {r['number_of_members']!r} is not a whole number")
                if r["geographic_scope"] and r["geographic_scope"] not in SCOPES:
                    self.err(w, f"geographic_scope {r['geographic_scope']!r} is not one of {sorted(SCOPES)}")
            elif kind == "associate":
                for col in org_only:
                    if r[col]:
                        self.err(w, f"{col} is for organizations only")
                if not r["given_name"]:
                    self.err(w, "given_name is required for an associate")
                if not r["name_en"]:
                    self.err(w, "an associate's full name goes in name_en")
                if r["publish_consent"] not in BOOLS:
                    self.err(w, "publish_consent must be true or false for an associate")
            if r["admin_status"] and r["admin_status"] not in ADMIN_STATUS:
                self.err(w, f"admin_status {r['admin_status']!r} is not one of {sorted(ADMIN_STATUS)}")
            members[r["id"]] = dict(r, _joined=joined, _where=w)
        return members

    # ------------------------------------------------------------------ projects
    def projects(self, rows, seen, members):
        projects = {}
        for line, r in rows:
            w = f"projects.csv:{line}"
            self.uuid(w, "id", r["id"], seen)
            if r["kind"] not in PROJECT_KINDS:
                self.err(w, f"kind {r['kind']!r} is not one of {sorted(PROJECT_KINDS)}")
            status = r["status"]
            if status not in PROJECT_STATUS:
                self.err(w, f"status {status!r} is not one of {sorted(PROJECT_STATUS)}")
            lead = r["lead"]
            if lead not in members:
                self.err(w, f"lead {lead!r} is not a member id in members.csv")
            elif members[lead]["kind"] != "organization":
                self.err(w, "lead is not an organization")
            if not (r["title_en"] or r["title_fr"] or r["title_es"]):
                self.err(w, "no title (title_en, title_fr or title_es)")
            for col in ("title_en", "title_fr", "title_es"):
                self.text(w, col, r[col], 200)
            for col in ("summary_en", "summary_fr", "summary_es"):
                self.text(w, col, r[col], 4000, multiline=True)
            start = self.date(w, "start_date", r["start_date"])
            end = self.date(w, "end_date", r["end_date"])
            if status in ("active", "completed") and not r["start_date"]:
                self.err(w, f"a project that is {status} needs a start_date")
            if status in ("completed", "cancelled") and not r["end_date"]:
                self.err(w, f"a project that is {status} needs an end_date")
            if status in ("in_planning", "active", "on_hold") and r["end_date"]:
                self.err(w, f"a project that is {status} has an end_date")
            if start and end and end < start:
                self.err(w, "end_date is before start_date")
            for cc in self.multi(w, "countries", r["countries"]):
                self.country(w, "countries", cc)
            if not self.language_tags(w, "languages", r["languages"], max_items=10):
                self.err(w, "languages is required")

            parts = self.multi(w, "participants", r["participants"])
            if not 2 <= len(parts) <= 6:
                self.err(w, f"{len(parts)} participants, expected 2..6")
            leads, who = [], []
            for p in parts:
                mid, _, role = p.rpartition(":")
                if mid not in members:
                    self.err(w, f"participant {mid!r} is not a member id in members.csv")
                if role not in ROLES:
                    self.err(w, f"participant role {role!r} is not lead|partner|observer")
                if role == "lead":
                    leads.append(mid)
                who.append(mid)
            if [k for k, n in Counter(who).items() if n > 1]:
                self.err(w, "a member takes part twice")
            if leads != [lead]:
                self.err(w, "the lead must appear in participants exactly once, with role lead, "
                         "and no other participant may be lead")
            projects[r["id"]] = r
        return projects

    # ------------------------------------------------------------------ dues ledger
    def dues(self, rows, seen, members):
        entries = {}
        reversed_by = {}
        for line, r in rows:
            w = f"dues.csv:{line}"
            self.uuid(w, "id", r["id"], seen)
            m = members.get(r["member"])
            if m is None:
                self.err(w, f"member {r['member']!r} is not a member id in members.csv")
            year = int(r["year"]) if re.match(r"^\d{4}$", r["year"]) else None
            if year is None:
                self.err(w, f"year {r['year']!r} is not a year")
            elif year not in YEARS:
                self.err(w, f"year {year} is outside {YEARS[0]}..{YEARS[-1]}")
            elif m and m["_joined"] and m["_joined"] > dt.date(year, 12, 31):
                self.err(w, f"member joined on {m['_joined']}, after the {year} dues year")
            t = r["type"]
            if t not in ENTRY_TYPES:
                self.err(w, f"type {t!r} is not one of {sorted(ENTRY_TYPES)}")
            on = self.date(w, "on", r["on"], required=True)
            if on and year and not dt.date(year - 1, 1, 1) <= on <= dt.date(year + 1, 12, 31):
                self.err(w, f"on {on} is far from dues year {year}")
            cur = r["currency"]
            if not CURRENCY_RE.match(cur) or (self.currencies and cur not in self.currencies):
                self.err(w, f"currency {cur!r} is not an ISO 4217 code")
            amount = r["amount_minor"]
            credited = r["credited_minor"]
            if t == "reversal":
                if amount or credited:
                    self.err(w, "a reversal leaves amount_minor and credited_minor empty")
            else:
                if not INT_RE.match(amount):
                    self.err(w, f"amount_minor {amount!r} is not an integer")
                else:
                    a = int(amount)
                    if t in ("payment", "waiver", "assessment") and a <= 0:
                        self.err(w, f"a {t} has a positive amount")
                    if t == "refund" and a >= 0:
                        self.err(w, "a refund has a negative amount")
                    if t in ("payment", "refund"):
                        if credited == "":
                            if cur != "USD":
                                self.err(w, "credited_minor is required when the currency is not USD")
                        elif not INT_RE.match(credited):
                            self.err(w, f"credited_minor {credited!r} is not an integer")
                        elif cur == "USD" and int(credited) != a:
                            self.err(w, "credited_minor must equal amount_minor for a USD entry")
                        elif (int(credited) > 0) != (a > 0):
                            self.err(w, "credited_minor and amount_minor differ in sign")
                    elif credited:
                        self.err(w, f"credited_minor is for payments and refunds, not a {t}")
            if t in ("payment", "refund"):
                if r["method"] not in METHODS:
                    self.err(w, f"method {r['method']!r} is not one of {sorted(METHODS)}")
            elif r["method"]:
                self.err(w, f"a {t} has no method")
            if t in ("reversal", "refund", "waiver") and not r["reason"]:
                self.err(w, f"a {t} needs a reason")
            self.text(w, "reference", r["reference"], 100)
            self.text(w, "reason", r["reason"], 500)

            rev = r["reverses"]
            if t == "reversal":
                orig = entries.get(rev)
                if not UUID_RE.match(rev):
                    self.err(w, f"reverses {rev!r} is not an entry id")
                elif orig is None:
                    self.err(w, f"reverses {rev} is not an earlier entry in dues.csv")
                else:
                    if orig["member"] != r["member"]:
                        self.err(w, "reverses an entry of another member")
                    if orig["year"] != r["year"]:
                        self.err(w, "reverses an entry of another dues year")
                    if orig["type"] == "reversal":
                        self.err(w, "reverses a reversal")
                    if orig["currency"] != cur:
                        self.err(w, "currency differs from the reversed entry's")
                    if on and orig["_on"] and on < orig["_on"]:
                        self.err(w, "dated before the entry it reverses")
                    if rev in reversed_by:
                        self.err(w, f"{rev} is already reversed at {reversed_by[rev]}")
                    reversed_by[rev] = w
            elif rev:
                self.err(w, f"a {t} does not name an entry in reverses")
            entries[r["id"]] = dict(r, _on=on, _where=w, _year=year)

        # The same payment recorded twice and not reversed: (member, year, reference) repeats.
        seen_ref = {}
        for eid, e in entries.items():
            if e["type"] not in ("payment", "refund") or eid in reversed_by or not e["reference"]:
                continue
            key = (e["member"], e["year"], e["reference"])
            if key in seen_ref:
                self.err(e["_where"], f"same member, year and reference as {seen_ref[key]} (duplicate?)")
            seen_ref[key] = e["_where"]
        return entries, reversed_by

    # ------------------------------------------------------------------ run
    def run(self):
        seen = {}
        members = self.members(self.read("members.csv", MEMBER_COLS), seen)
        projects = self.projects(self.read("projects.csv", PROJECT_COLS), seen, members)
        entries, reversed_by = self.dues(self.read("dues.csv", DUES_COLS), seen, members)
        return members, projects, entries, reversed_by


def dues_status(members, entries, reversed_by, today):
    """The derived status of every (member, year) of docs/directory.md, counted per year."""
    owed = defaultdict(int)
    credited = defaultdict(int)
    waived = set()
    for eid, e in entries.items():
        if e["type"] == "reversal" or eid in reversed_by:
            continue
        key = (e["member"], e["_year"])
        if e["type"] == "waiver":
            owed[key] -= int(e["amount_minor"])
            waived.add(key)
        elif e["type"] == "assessment":
            owed[key] += int(e["amount_minor"])
        else:
            credited[key] += int(e["credited_minor"])
    counts = {y: Counter() for y in YEARS}
    for mid, m in members.items():
        for y in YEARS:
            if m["_joined"] is None or m["_joined"] > dt.date(y, 12, 31):
                continue
            key = (mid, y)
            o = DUES.get(m["kind"], 0) + owed[key]
            c = credited[key]
            grace = dt.date(y, 4, 30)
            if o <= 0:
                s = "waived" if key in waived else "not_due"
            elif o - c <= 0:
                s = "paid"
            elif today <= grace:
                s = "partial" if c > 0 else "open"
            else:
                s = "arrears (partial)" if c > 0 else "arrears (unpaid)"
            counts[y][s] += 1
    return counts


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    quiet = "--quiet" in argv
    directory = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    c = Checker(directory)
    members, projects, entries, reversed_by = c.run()
    if c.errors:
        print(f"check_sample: {len(c.errors)} problem(s) in {directory}:", file=sys.stderr)
        for e in c.errors:
            print("  " + e, file=sys.stderr)
        return 1
    if quiet:
        return 0
    if c.countries is None:
        print("note: iso-codes tables not found; country, subdivision and currency codes checked by shape only")
    kinds = Counter((m["country"], m["kind"]) for m in members.values())
    print(f"members.csv: {len(members)} members "
          f"({sum(1 for m in members.values() if m['kind'] == 'organization')} organizations, "
          f"{sum(1 for m in members.values() if m['kind'] == 'associate')} associates)")
    for cc in sorted({k[0] for k in kinds}):
        print(f"  {cc}: {kinds[(cc, 'organization')]} organizations, {kinds[(cc, 'associate')]} associates")
    print(f"projects.csv: {len(projects)} projects: "
          + ", ".join(f"{k} {n}" for k, n in sorted(Counter(p['status'] for p in projects.values()).items())))
    per = Counter((e["_year"], e["type"]) for e in entries.values())
    print(f"dues.csv: {len(entries)} entries")
    for y in YEARS:
        print(f"  {y}: " + ", ".join(f"{t} {per[(y, t)]}" for t in sorted(ENTRY_TYPES) if per[(y, t)]))
    today = dt.date.today()
    for y, cnt in dues_status(members, entries, reversed_by, today).items():
        print(f"  status {y} (as of {today}): " + ", ".join(f"{s} {n}" for s, n in sorted(cnt.items())))
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
