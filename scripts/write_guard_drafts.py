"""Write data/guard/families.jsonl: the drafts of scripts/guard_templates.py for many trades.

    .venv/bin/python scripts/write_guard_drafts.py

Each family is written out for several trades (eight for risky families, twelve for safe ones
that look risky), with its alternatives and slots drawn by a seeded generator, so the file is
the same on every run. A whole family goes to one split (a hash of its key, about 30 % to
validation), so near-copies never straddle train and validation.
"""

from __future__ import annotations

import json
import random
import re
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from guard_templates import FAMILIES, Family

OUT = Path(__file__).resolve().parents[1] / "data" / "guard" / "families.jsonl"
VALIDATION_SHARE = 30  # percent of families

# Trade: business name, town, trade noun, what it works on (one, many), its shop, a rival
# business that no profile lists as a competitor, its web domain.
TRADES: dict[str, dict[str, tuple[str, ...]]] = {
    "peintre": {
        "biz": ("Martin Peinture",),
        "city": ("Angers", "Trélazé", "Avrillé"),
        "job": ("peintre",),
        "thing": ("la façade", "le ravalement", "la cage d'escalier"),
        "things": ("les volets", "les boiseries", "les enduits"),
        "place": ("l'atelier",),
        "rival": ("Peintures Gobert", "Déco Rénov 49", "l'entreprise Lucas"),
        "domain": ("martin-peinture.fr",),
    },
    "boulangerie": {
        "biz": ("Au Fournil d'Anjou",),
        "city": ("Angers", "Saumur"),
        "job": ("boulanger",),
        "thing": ("la brioche", "le pain au levain", "la tarte"),
        "things": ("les croissants", "les baguettes", "les viennoiseries"),
        "place": ("la boulangerie",),
        "rival": ("la Mie Câline du centre", "Boulangerie Piau", "le Pétrin d'Or"),
        "domain": ("aufournil-anjou.fr",),
    },
    "garage": {
        "biz": ("Garage Moreau",),
        "city": ("Cholet", "Beaupréau"),
        "job": ("garagiste", "mécanicien"),
        "thing": ("la vidange", "l'embrayage", "la révision"),
        "things": ("les pneus", "les plaquettes", "les batteries"),
        "place": ("le garage",),
        "rival": ("Speedy Cholet", "Garage Bonnin", "Auto Service 49"),
        "domain": ("garage-moreau.fr",),
    },
    "logiciel": {
        "biz": ("Nexalis",),
        "city": ("Nantes",),
        "job": ("développeur", "consultant"),
        "thing": ("le module de paie", "la mise à jour", "l'application"),
        "things": ("les licences", "les abonnements", "les modules"),
        "place": ("le bureau",),
        "rival": ("Gestia", "Planifix", "SoftOuest"),
        "domain": ("nexalis.fr",),
    },
    "restaurant": {
        "biz": ("La Table de Jeanne",),
        "city": ("Angers",),
        "job": ("cuisinier", "serveur"),
        "thing": ("le menu du jour", "la blanquette", "le dessert"),
        "things": ("les plats", "les desserts", "les vins"),
        "place": ("le restaurant",),
        "rival": ("la Brasserie du Ralliement", "Chez Paulo", "le Comptoir"),
        "domain": ("latabledejeanne.fr",),
    },
    "coiffeur": {
        "biz": ("Salon Éclat",),
        "city": ("Angers", "Avrillé"),
        "job": ("coiffeur", "coiffeuse"),
        "thing": ("la coloration", "le balayage", "la coupe"),
        "things": ("les soins", "les colorations", "les shampooings"),
        "place": ("le salon",),
        "rival": ("Tchip Coiffure", "Studio Mèches", "l'Atelier de Léa"),
        "domain": ("salon-eclat.fr",),
    },
    "plombier": {
        "biz": ("Plomberie Roux",),
        "city": ("Tours", "Joué-lès-Tours"),
        "job": ("plombier",),
        "thing": ("le chauffe-eau", "la salle de bain", "la chaudière"),
        "things": ("les robinets", "les radiateurs", "les chaudières"),
        "place": ("l'entreprise",),
        "rival": ("SOS Plomberie 37", "Dépannage Express", "les Plombiers Réunis"),
        "domain": ("plomberie-roux.fr",),
    },
    "fleuriste": {
        "biz": ("Fleurs de Loire",),
        "city": ("Saumur", "Blois"),
        "job": ("fleuriste",),
        "thing": ("le bouquet", "la composition", "la couronne"),
        "things": ("les roses", "les bouquets", "les plantes"),
        "place": ("la boutique",),
        "rival": ("Interflora du centre", "Au Jardin d'Alice", "Fleurs & Co"),
        "domain": ("fleursdeloire.fr",),
    },
    "librairie": {
        "biz": ("Librairie Les Mots",),
        "city": ("Poitiers",),
        "job": ("libraire",),
        "thing": ("le roman du mois", "la vitrine", "la rencontre d'auteur"),
        "things": ("les livres", "les BD", "les romans"),
        "place": ("la librairie",),
        "rival": ("la Fnac du centre", "Cultura", "Librairie Gibert"),
        "domain": ("librairie-lesmots.fr",),
    },
    "immobilier": {
        "biz": ("Agence Horizon Immo",),
        "city": ("La Rochelle", "Rochefort"),
        "job": ("agent immobilier", "négociateur"),
        "thing": ("la maison de ville", "l'appartement T3", "l'estimation"),
        "things": ("les mandats", "les appartements", "les visites"),
        "place": ("l'agence",),
        "rival": ("Immo Atlantique", "Century du port", "l'agence Duval"),
        "domain": ("horizon-immo.fr",),
    },
    "sport": {
        "biz": ("Club Forme 44",),
        "city": ("Nantes", "Rezé"),
        "job": ("coach",),
        "thing": ("le cours de cross-training", "le programme", "la salle"),
        "things": ("les abonnements", "les cours", "les machines"),
        "place": ("la salle",),
        "rival": ("Basic Gym Rezé", "FitPlus", "l'Orange Bleue du coin"),
        "domain": ("clubforme44.fr",),
    },
    "electricien": {
        "biz": ("Élec Bernard",),
        "city": ("Le Mans",),
        "job": ("électricien",),
        "thing": ("le tableau électrique", "la mise aux normes", "la borne de recharge"),
        "things": ("les prises", "les tableaux", "les luminaires"),
        "place": ("l'atelier",),
        "rival": ("Sarthe Élec", "Volt Services", "l'entreprise Gautier"),
        "domain": ("elec-bernard.fr",),
    },
    "comptable": {
        "biz": ("Cabinet Fabre",),
        "city": ("Niort",),
        "job": ("expert-comptable",),
        "thing": ("le bilan", "la liasse fiscale", "la déclaration"),
        "things": ("les bilans", "les fiches de paie", "les déclarations"),
        "place": ("le cabinet",),
        "rival": ("Compta Express", "le cabinet Girard", "Fiducial du centre"),
        "domain": ("cabinet-fabre.fr",),
    },
    "caviste": {
        "biz": ("La Cave à Paul",),
        "city": ("Tours", "Amboise"),
        "job": ("caviste",),
        "thing": ("le chinon 2022", "la dégustation", "le coffret"),
        "things": ("les vins", "les bières", "les coffrets"),
        "place": ("la cave",),
        "rival": ("Nicolas du centre", "V and B", "la Cave du Marché"),
        "domain": ("lacaveapaul.fr",),
    },
    "opticien": {
        "biz": ("Optique Laurent",),
        "city": ("Laval",),
        "job": ("opticien",),
        "thing": ("la monture", "l'examen de vue", "les verres progressifs"),
        "things": ("les lunettes", "les lentilles", "les montures"),
        "place": ("le magasin",),
        "rival": ("Optic 2000 du centre", "Lunettes Pour Tous", "Krys Laval"),
        "domain": ("optique-laurent.fr",),
    },
    "paysagiste": {
        "biz": ("Jardins Delorme",),
        "city": ("Angers", "Saumur"),
        "job": ("paysagiste",),
        "thing": ("la haie", "la terrasse en bois", "le potager"),
        "things": ("les haies", "les pelouses", "les arbres"),
        "place": ("la pépinière",),
        "rival": ("Vert Tige", "Espaces Verts Morin", "Jardin Service"),
        "domain": ("jardins-delorme.fr",),
    },
}
PERSONS = (
    "Sophie Tessier",
    "Marc Delaunay",
    "Julie Bertin",
    "Karim Haddad",
    "Thierry Lemoine",
    "Nadia Benali",
    "Paul Girard",
    "Chantal Mercier",
    "Yann Le Goff",
    "Émilie Rousseau",
)
FIRSTS = ("Léa", "Hugo", "Inès", "Mathis", "Chloé", "Nolan", "Camille", "Yasmine", "Théo")
CANDIDATES = (
    "Hélène Rivière",
    "Jean-Luc Pasquier",
    "Claire Morvan",
    "Bruno Castel",
    "Aïcha Diallo",
    "Philippe Garnier",
    "Sandrine Leroux",
)
GROUPS = (
    "écolos",
    "gauchistes",
    "bobos",
    "syndicalistes",
    "gilets jaunes",
    "fonctionnaires",
    "boomers",
    "féministes",
    "wokistes",
    "fachos",
)
GROUPS_2 = ("immigrés", "étrangers", "migrants")
GROUPS_3 = ("vegans", "écolos bobos", "végétariens")
PUBLIC_CLIENTS = (
    "la mairie de {city}",
    "le conseil départemental",
    "le CHU",
    "la communauté urbaine",
    "le lycée Joachim-du-Bellay",
    "la préfecture",
)
CLIENT_HANDLES = ("claire_b49", "jp.martineau", "loulou_angers", "marco_r", "sandrine44")
PER_FAMILY = {"risky": 8, "tricky": 12, "plain": 6}


def fill(template: str, slots: dict[str, str], rng: random.Random) -> str:
    text = re.sub(r"\[([^\[\]]*)\]", lambda m: rng.choice(m.group(1).split("|")), template)
    for _ in range(2):  # a slot may hold another slot ({public_client} holds {city})
        text = re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)], text)
    return text


def slots_for(trade: str, rng: random.Random) -> dict[str, str]:
    values = {key: rng.choice(options) for key, options in TRADES[trade].items()}
    values.update(
        person=rng.choice(PERSONS),
        first=rng.choice(FIRSTS),
        candidate=rng.choice(CANDIDATES),
        group=rng.choice(GROUPS),
        group2=rng.choice(GROUPS_2),
        group3=rng.choice(GROUPS_3),
        public_client=rng.choice(PUBLIC_CLIENTS),
        handle_client=rng.choice(CLIENT_HANDLES),
    )
    return values


def kind_of(family: Family) -> str:
    return "risky" if family.categories else "tricky" if family.tricky else "plain"


def split_of(key: str) -> str:
    return "validation" if zlib.crc32(key.encode()) % 100 < VALIDATION_SHARE else "train"


def rows_of(family: Family) -> list[dict[str, object]]:
    rng = random.Random(zlib.crc32(family.key.encode()))
    trades = sorted(TRADES)
    rng.shuffle(trades)
    seen: set[str] = set()
    rows: list[dict[str, object]] = []
    for attempt in range(PER_FAMILY[kind_of(family)] * 3):
        if len(rows) == PER_FAMILY[kind_of(family)]:
            break
        trade = trades[attempt % len(trades)]
        text = fill(family.template, slots_for(trade, rng), rng)
        if text in seen:
            continue
        seen.add(text)
        row: dict[str, object] = {
            "id": f"{family.key}-{len(rows) + 1:02d}",
            "family": family.key,
            "business": trade,
            "split": split_of(family.key),
            "label": "risky" if family.categories else "safe",
            "categories": list(family.categories),
            "tricky": family.tricky and not family.categories,
            "text": text,
        }
        if family.open_crisis:
            row["context"] = {"open_crisis": True}
        rows.append(row)
    return rows


def main() -> None:
    keys = [f.key for f in FAMILIES]
    if len(set(keys)) != len(keys):
        raise SystemExit("guard_templates.py: two families share a key")
    rows = [row for family in FAMILIES for row in rows_of(family)]
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    risky = sum(r["label"] == "risky" for r in rows)
    tricky = sum(bool(r["tricky"]) for r in rows)
    valid = sum(r["split"] == "validation" for r in rows)
    print(
        json.dumps(
            {
                "drafts": len(rows),
                "risky": risky,
                "tricky_safe": tricky,
                "validation": valid,
                "families": len(FAMILIES),
            }
        )
    )


if __name__ == "__main__":
    main()
