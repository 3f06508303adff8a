#!/usr/bin/env python3
"""Writes N synthetic member organizations as CSV (or JSON) that `nanse member import` reads.

Deterministic for a seed, so the same organizations can be fed to nanse and to other tools.
Usage: bench/gen_members.py --seed 7 --count 10000 [--format csv|json] > members.csv
Each organization has 12 fields: name (en, fr), joined_on, country, subdivision, locality,
languages, email, website, sector, tags, description_en.
"""
import argparse
import csv
import json
import random
import sys
import uuid

PLACES = [
    ("CA", "CA-QC", "Montréal", ["fr", "en"]), ("CA", "CA-QC", "Québec", ["fr"]),
    ("CA", "CA-ON", "Toronto", ["en"]), ("CA", "CA-BC", "Vancouver", ["en"]),
    ("US", "US-NY", "Brooklyn", ["en", "es"]), ("US", "US-CA", "Oakland", ["en", "es"]),
    ("US", "US-NM", "Albuquerque", ["en", "es"]), ("US", "US-MS", "Jackson", ["en"]),
    ("MX", "MX-OAX", "Oaxaca de Juárez", ["es"]), ("MX", "MX-CMX", "Ciudad de México", ["es"]),
    ("MX", "MX-CHP", "San Cristóbal de las Casas", ["es", "tzo"]), ("MX", "MX-YUC", "Mérida", ["es"]),
    ("HT", "", "Port-au-Prince", ["fr", "ht"]), ("JM", "", "Kingston", ["en"]),
    ("PR", "", "San Juan", ["es", "en"]), ("DO", "", "Santo Domingo", ["es"]),
]
KINDS = ["Workers' Co-operative", "Housing Co-op", "Food Co-op", "Credit Union", "Land Trust",
         "Solidarity Network", "Coffee Cooperative", "Artisans' Collective"]
KINDS_FR = ["Coopérative de travail", "Coopérative d'habitation", "Coop alimentaire",
            "Caisse solidaire", "Fiducie foncière", "Réseau solidaire", "Coopérative caféière",
            "Collectif d'artisanes"]
WORDS = ["Aurora", "Semilla", "Ruche", "Colibrí", "Maple", "Ceiba", "Mangrove", "Cardinal",
         "Nopal", "Harbour", "Tilleul", "Quetzal", "Prairie", "Marea", "Érable", "Cacao"]
COLUMNS = ["id", "kind", "name_en", "name_fr", "joined_on", "country", "subdivision", "locality",
           "languages", "email", "website", "sector", "tags", "description_en"]


def organizations(seed, count):
    rng = random.Random(seed)
    for i in range(count):
        country, subdivision, locality, languages = rng.choice(PLACES)
        k = rng.randrange(len(KINDS))
        word = rng.choice(WORDS)
        slug = f"{word.lower()}-{i}"
        yield {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "kind": "organization",
            "name_en": f"{word} {KINDS[k]} {i}",
            "name_fr": f"{KINDS_FR[k]} {word} {i}",
            "joined_on": f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "country": country,
            "subdivision": subdivision,
            "locality": locality,
            "languages": ";".join(languages),
            "email": f"info@{slug}.example.org",
            "website": f"https://{slug}.example.org",
            "sector": f"a{rng.randint(1, 21):02d}",
            "tags": ";".join(rng.sample(["cooperative", "housing", "food", "finance", "energy",
                                         "care", "culture", "land"], 2)),
            "description_en": f"A member organization in {locality} working on {rng.choice(['food', 'housing', 'credit', 'care', 'energy'])}.",
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--format", choices=["csv", "json"], default="csv")
    args = parser.parse_args()
    rows = organizations(args.seed, args.count)
    if args.format == "json":
        json.dump(list(rows), sys.stdout, ensure_ascii=False)
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)


if __name__ == "__main__":
    main()
