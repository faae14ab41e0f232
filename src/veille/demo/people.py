"""Who posts in the demo: many small accounts, a few local voices, the business and its rivals."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from veille.demo.ids import bluesky_did, numeric_user_id

NETWORKS_SOCIAL = ("x", "bluesky", "mastodon")

_FIRST_FR = (
    "Julie", "Camille", "Léa", "Manon", "Chloé", "Sarah", "Emma", "Inès", "Clara", "Lucie",
    "Marion", "Pauline", "Élodie", "Aurélie", "Nathalie", "Sandrine", "Isabelle", "Céline",
    "Anaïs", "Justine", "Margaux", "Océane", "Coralie", "Mélanie", "Sophie", "Christine",
    "Thomas", "Nicolas", "Julien", "Maxime", "Antoine", "Hugo", "Lucas", "Kévin", "Romain",
    "Alexandre", "Quentin", "Mathieu", "Guillaume", "Florian", "Benoît", "Jérôme", "Pierre",
    "Olivier", "Stéphane", "Franck", "Yannick", "Loïc", "Damien", "Bastien", "Théo", "Nathan",
    "Baptiste", "Gaëtan", "Fabrice", "Rémi", "Mehdi", "Karim", "Yasmine", "Amina", "Fatou",
)  # fmt: skip
_LAST_FR = (
    "Leroux", "Moreau", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
    "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer",
    "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand",
    "Duval", "Denis", "Lemaire", "Brun", "Barbier", "Hubert", "Renaud", "Ménard", "Cailleau",
    "Bouvet", "Chauvin", "Gaudin", "Pineau", "Raimbault", "Chesneau", "Bellanger", "Tessier",
)  # fmt: skip
_FIRST_EN = (
    "Emily", "James", "Sarah", "Oliver", "Charlotte", "Harry", "Sophie", "Jack", "Amelia",
    "George", "Hannah", "Tom", "Rachel", "Daniel", "Kate", "Michael", "Laura", "Chris",
)  # fmt: skip
_LAST_EN = (
    "Smith", "Taylor", "Brown", "Wilson", "Evans", "Walsh", "Hughes", "Clarke", "Murphy",
    "Green", "Baker", "Turner", "Hill", "Ward", "Cooper", "Bennett",
)  # fmt: skip
_NICKS = (
    "angevine", "angevin", "anjou", "loire", "sco_fan", "titi", "lolo", "nono", "doudou",
    "brico", "maman", "papa", "chti", "breizh", "velo", "cafe", "loutre", "pingouin",
)  # fmt: skip
_BIO_FR = (
    "Angevine pur jus 🌿", "Angevin d'adoption", "Maman de 2 loulous", "Papa x3, fatigué",
    "Fan du SCO ⚽ depuis toujours", "Prof de maths au collège", "Infirmière de nuit 🌙",
    "Café ☕ vélo 🚲 Loire 🌊", "Bricoleur du dimanche 🔨", "Jardinage, rando, photo 📷",
    "Ici pour râler et rire", "Opinions perso, RT ≠ approbation", "Dev web freelance",
    "Retraité, bénévole aux Restos", "Étudiante à l'UA 📚", "Agent immobilier à Angers",
    "Archi d'intérieur 🛋️", "Artiste peintre 🎨 expo en cours", "Plombier chauffagiste",
    "Électricien indépendant ⚡", "Aide-soignante", "Boulanger, debout à 4h", "Comptable",
    "Rénove une longère depuis 2021 🏚️➡️🏡", "Primo-accédants, on galère mais on kiffe",
    "Passionnée de déco et de DIY", "Cycliste du dimanche", "Amoureux de la Loire",
    "Conseillère municipale (propos perso)", "Chargé de com'", "Marketing digital",
    "Étudiant en BTS bâtiment", "Apprenti peintre 🖌️", "Chef de chantier", "Vigneron en Anjou 🍷",
    "Cuisine, séries, chats 🐈", "Trail et Loire à vélo", "Militant associatif",
    "Photographe amateur", "Parent d'élève", "Bibliothécaire", "Musicien à mes heures",
)  # fmt: skip
_BIO_EN = (
    "Brit in the Loire Valley 🇬🇧🇫🇷", "Renovating an old farmhouse in Anjou",
    "Expat, teacher, coffee addict", "Moved to Angers in 2022", "Travel, wine, bikes",
    "Software engineer, remote from France", "Retired, happily lost in France",
)  # fmt: skip
_LOCATIONS_FR = (
    ("Angers", 30), ("", 14), ("Angers, France", 5), ("Trélazé", 5), ("Avrillé", 5),
    ("Les Ponts-de-Cé", 4), ("Saint-Barthélemy-d'Anjou", 3), ("Beaucouzé", 2),
    ("Bouchemaine", 2), ("Écouflant", 1), ("Saumur", 4), ("Cholet", 4), ("Segré", 1),
    ("Nantes", 8), ("Paris", 6), ("Rennes", 2), ("Tours", 2), ("Lyon", 2), ("Le Mans", 2),
    ("Anjou 🌿", 3), ("Maine-et-Loire", 2), ("France", 4), ("Quelque part en Loire", 1),
)  # fmt: skip
_LOCATIONS_EN = (
    ("Angers, France", 5), ("Loire Valley", 3), ("Saumur", 2), ("London", 2),
    ("Brighton, UK", 1), ("Dublin", 1), ("", 3), ("France", 2),
)  # fmt: skip
_MASTODON_INSTANCES = (
    "mastodon.social", "piaille.fr", "mamot.fr", "framapiaf.org", "mstdn.fr", "toot.aquilenet.fr",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    """One account on one network."""

    key: str
    network: str
    id: str
    username: str
    name: str
    followers: int
    verified: bool = False
    description: str = ""
    location: str = ""
    lang: str = "fr"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def mention(self) -> str:
        """How others mention this account in a post on its network."""
        return "@" + self.username if self.network != "mastodon" else self.extra["acct_mention"]

    def author_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "followers_count": self.followers,
            "verified": self.verified,
            "description": self.description,
            "location": self.location,
        }
        data.update(self.extra)
        return data


@dataclass(frozen=True)
class SpecialAccount:
    """A named account of the story (the business, a rival, a newspaper ...)."""

    key: str
    username: str
    name: str
    followers: int
    description: str
    location: str = "Angers"
    verified: bool = False
    networks: tuple[str, ...] = ("x",)
    lang: str = "fr"


SPECIALS: tuple[SpecialAccount, ...] = (
    SpecialAccount(
        "business", "peinturesmartin", "Peintures Martin", 1240,
        "Peintre en bâtiment à Angers depuis 2009 🖌️ Intérieur, façades, ravalement, déco. "
        "6 passionnés. Devis gratuit ➡️ peintures-martin.fr", networks=("x", "bluesky"),
    ),
    SpecialAccount(
        "owner", "julienmartin49", "Julien Martin", 640,
        "Gérant @peinturesmartin. Peintre depuis 20 ans. Papa, SCO, vélo le dimanche.",
    ),
    SpecialAccount(
        "chain", "couleursdeloire", "Couleurs de Loire", 8900,
        "Peinture, décoration, ravalement. Agences à Angers, Nantes, Tours et Le Mans. "
        "Depuis 1987.", location="Nantes", verified=True, networks=("x", "bluesky"),
    ),
    SpecialAccount(
        "craftsman", "dupuis_peinture", "Sébastien Dupuis", 310,
        "Artisan peintre - Atelier Dupuis, Trélazé. Travail soigné, petites équipes.",
        location="Trélazé",
    ),
    SpecialAccount(
        "newspaper", "echodanjou", "L'Écho d'Anjou", 52300,
        "L'actualité d'Angers et du Maine-et-Loire, tous les jours. Une info ? DM ouverts.",
        verified=True, networks=("x", "bluesky", "mastodon"),
    ),
    SpecialAccount(
        "journalist", "claire_besnard", "Claire Besnard", 6200,
        "Journaliste @echodanjou. Angers, éco locale, faits de société. DM ouverts.",
    ),
    SpecialAccount(
        "bons_plans", "angers_bons_plans", "Angers Bons Plans", 24100,
        "Les sorties, restos et bons plans d'Angers 📍 #Angers", verified=True,
    ),
    SpecialAccount(
        "deco", "lucie_deco_anjou", "Lucie • Déco & DIY", 18200,
        "Rénovation de notre maison des années 30 à Avrillé 🏡 Déco, DIY, avant/après.",
        location="Avrillé", networks=("x", "bluesky"),
    ),
    SpecialAccount(
        "humour", "le_petit_angevin", "Le Petit Angevin", 31400,
        "Humour angevin approximatif. Rillauds, Loire et mauvaise foi.",
    ),
    SpecialAccount(
        "climate", "mathieu_vert", "Mathieu 🌱", 3100,
        "Rénovation énergétique, vélo, climat. Conseiller France Rénov' (propos perso).",
        networks=("mastodon",),
    ),
    SpecialAccount(
        "city", "angers_ville", "Angers Ville", 45800,
        "Infos pratiques, travaux, événements : la ville au quotidien.", verified=True,
    ),
    SpecialAccount(
        "trade", "bati_hebdo", "Bâti Hebdo", 15300,
        "L'hebdo des pros du bâtiment : chantiers, règles, prix, emploi.", location="Paris",
        verified=True, networks=("x", "bluesky"),
    ),
    SpecialAccount(
        "artisans49", "artisans_bat49", "Artisans du Bâtiment 49", 3400,
        "Le réseau des artisans du bâtiment de Maine-et-Loire. Formation, emploi, infos métier.",
    ),
    SpecialAccount(
        "jobs", "emploi_anjou", "Emploi Anjou", 5200,
        "Offres d'emploi en Anjou, relayées tous les jours. #emploi #Angers",
    ),
    SpecialAccount(
        "complainer", "sophie_lrt", "Sophie L.", 430,
        "Maman x2, infirmière. Ici pour les memes et la vie de quartier.",
    ),
    SpecialAccount(
        "expat", "emily_in_anjou", "Emily W.", 2800,
        "Brit renovating a tuffeau house near Angers 🇬🇧🏡 Loire life, wine, mishaps.",
        location="Loire Valley", networks=("x", "bluesky"), lang="en",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Outlet:
    """A news site: its articles are the `news` network's posts."""

    key: str
    domain: str
    name: str
    scope: str  # local, regional, trade, english
    lang: str = "fr"


OUTLETS: tuple[Outlet, ...] = (
    Outlet("echo", "echo-anjou.fr", "L'Écho d'Anjou", "local"),
    Outlet("hebdo", "angers-hebdo.fr", "Angers Hebdo", "local"),
    Outlet("ouest", "ouest-matin.fr", "Ouest Matin", "regional"),
    Outlet("saumur", "saumur-info.fr", "Saumur Info", "regional"),
    Outlet("bati", "batihebdo.fr", "Bâti Hebdo", "trade"),
    Outlet("artisans", "journal-des-artisans.fr", "Le Journal des Artisans", "trade"),
    Outlet("loirepost", "loirepost.com", "The Loire Post", "english", lang="en"),
)


@dataclass
class Cast:
    """Everyone who can post, per network."""

    public: dict[str, list[Person]]
    english: dict[str, list[Person]]
    specials: dict[tuple[str, str], Person]
    outlets: dict[str, Person]
    bots: list[Person]

    def special(self, key: str, network: str = "x") -> Person:
        return self.specials[(key, network)]

    def pick(self, rng: random.Random, network: str, lang: str = "fr") -> Person:
        pool = self.english[network] if lang == "en" else self.public[network]
        return rng.choice(pool)


def _followers(rng: random.Random) -> int:
    # Heavy tail: most accounts have a few hundred followers, a few have thousands.
    return max(0, int(rng.lognormvariate(5.0, 1.25)))


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _base_username(rng: random.Random, first: str, last: str) -> str:
    f, la = (_ascii(part).lower().replace(" ", "") for part in (first, last))
    style = rng.randrange(7)
    if style == 0:
        return f"{f}{la}"
    if style == 1:
        return f"{f}_{la[0]}"
    if style == 2:
        return f"{f}{rng.randrange(10, 99)}"
    if style == 3:
        return f"{f[0]}{la}{rng.choice(('', '49', '_49', '44'))}"
    if style == 4:
        return f"{rng.choice(_NICKS)}_{f}"
    if style == 5:
        return f"{f}.{la}"[:15].replace(".", "_")
    return f"{rng.choice(_NICKS)}{rng.randrange(1, 9999)}"


def _make_person(
    rng: random.Random, key: str, network: str, username: str, name: str, lang: str
) -> Person:
    bios = _BIO_EN if lang == "en" else _BIO_FR
    parts = rng.sample(bios, k=rng.choice((0, 1, 1, 2, 2, 3)))
    location = _weighted(rng, _LOCATIONS_EN if lang == "en" else _LOCATIONS_FR)
    return _account(rng, key, network, username, name, _followers(rng), " | ".join(parts), location)


def _account(
    rng: random.Random,
    key: str,
    network: str,
    username: str,
    name: str,
    followers: int,
    description: str,
    location: str,
    verified: bool = False,
    lang: str = "fr",
) -> Person:
    extra: dict[str, str] = {}
    if network == "x":
        user_id = numeric_user_id(rng, 8, 19)
    elif network == "bluesky":
        user_id = bluesky_did(rng)
        if "." not in username:
            username = f"{username}.bsky.social"
    else:
        user_id = numeric_user_id(rng, 6, 18)
        instance = "piaille.fr" if rng.random() < 0.4 else rng.choice(_MASTODON_INSTANCES)
        extra = {"acct": f"{username}@{instance}", "acct_mention": f"@{username}@{instance}"}
    return Person(
        key, network, user_id, username, name, followers, verified, description, location,
        lang, extra,
    )  # fmt: skip


def build_cast(rng: random.Random, *, per_network: dict[str, int], english_share: float) -> Cast:
    """Deterministic accounts for every network; usernames unique within a network."""
    public: dict[str, list[Person]] = {}
    english: dict[str, list[Person]] = {}
    specials: dict[tuple[str, str], Person] = {}
    taken: dict[str, set[str]] = {n: set() for n in NETWORKS_SOCIAL}
    for spec in SPECIALS:
        for network in spec.networks:
            person = _account(
                rng, spec.key, network, spec.username, spec.name, spec.followers,
                spec.description, spec.location, spec.verified, spec.lang,
            )  # fmt: skip
            specials[(spec.key, network)] = person
            taken[network].add(spec.username)
    for network in NETWORKS_SOCIAL:
        public[network], english[network] = [], []
        for n in range(per_network[network]):
            lang = "en" if rng.random() < english_share else "fr"
            first = rng.choice(_FIRST_EN if lang == "en" else _FIRST_FR)
            last = rng.choice(_LAST_EN if lang == "en" else _LAST_FR)
            username = _base_username(rng, first, last)
            while username in taken[network]:
                username = f"{username}{rng.randrange(10)}"
            taken[network].add(username)
            display = rng.choice((f"{first} {last}", first, f"{first} {last[0]}.", username))
            person = _make_person(rng, f"p{n}", network, username, display, lang)
            (english if lang == "en" else public)[network].append(person)
    outlets = {
        o.key: Person(o.key, "news", o.domain, o.domain, o.name, 0, lang=o.lang) for o in OUTLETS
    }
    bots = [
        _account(rng, f"bot{i}", "x", name, name.replace("_", " ").title(), rng.randrange(3, 90),
                 "", rng.choice(("", "France", "49")))
        for i, name in enumerate(
            ("renov_pro_4921", "deal_maison_77", "bons_plans_habitat", "gagnant_du_jour_fr",
             "facade_express49", "crypto_gains_fr")
        )
    ]  # fmt: skip
    return Cast(public, english, specials, outlets, bots)
