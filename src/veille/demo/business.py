"""The demo business, Peintures Martin (Angers), and the watches its boss starts with."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from veille.business import BusinessProfile, Competitor
from veille.store import repository

WatchKind = Literal["brand", "competitor", "leads", "sector", "local", "owner"]

# Communes of Angers Loire Métropole the business actually drives to.
AREA_COMMUNES: tuple[str, ...] = (
    "Angers",
    "Trélazé",
    "Avrillé",
    "Les Ponts-de-Cé",
    "Saint-Barthélemy-d'Anjou",
    "Beaucouzé",
    "Bouchemaine",
    "Écouflant",
    "Mûrs-Érigné",
    "Sainte-Gemmes-sur-Loire",
    "Verrières-en-Anjou",
    "Montreuil-Juigné",
)

CHAIN = Competitor(
    name="Couleurs de Loire",
    handles=["couleursdeloire", "couleursdeloire.bsky.social"],
    aliases=["Couleurs Loire", "CDL Peinture"],
)
CRAFTSMAN = Competitor(
    name="Atelier Dupuis",
    handles=["dupuis_peinture"],
    aliases=["Dupuis Peinture", "Atelier Dupuis Peinture"],
)

DEMO_BUSINESS = BusinessProfile(
    name="Peintures Martin",
    handles=["peinturesmartin", "peinturesmartin.bsky.social"],
    owner_name="Julien Martin",
    owner_handles=["julienmartin49"],
    trade="peintre en bâtiment",
    services=[
        "peinture intérieure",
        "peinture extérieure",
        "ravalement de façade",
        "papier peint",
        "enduit",
        "boiseries",
        "volets",
        "isolation thermique par l'extérieur",
        "revêtement de sol",
        "décoration",
    ],
    city="Angers",
    departement="Maine-et-Loire",
    departement_code="49",
    area=list(AREA_COMMUNES),
    competitors=[CHAIN, CRAFTSMAN],
    website="https://www.peintures-martin.fr",
    language="fr",
)


class DemoWatch(BaseModel):
    """A watch the demo config creates: a named question with its rules (issue 3 language)."""

    name: str
    kind: WatchKind
    description: str
    rules: list[str] = Field(min_length=1)


BRAND_WATCH = "Peintures Martin"
OWNER_WATCH = "Julien Martin"
CHAIN_WATCH = "Concurrent : Couleurs de Loire"
CRAFTSMAN_WATCH = "Concurrent : Atelier Dupuis"
LEADS_WATCH = "Demandes de peintre (Angers et agglo)"
SECTOR_WATCH = "Secteur peinture et rénovation"
LOCAL_WATCH = "Actualité locale Angers"

_AREA_WORDS = (
    'angers OR #angers OR trélazé OR avrillé OR "ponts-de-cé" OR "saint-barthélemy" '
    'OR beaucouzé OR bouchemaine OR écouflant OR "mûrs-érigné" OR "sainte-gemmes" '
    'OR "montreuil-juigné" OR "maine-et-loire" OR anjou'
)

DEMO_WATCHES: list[DemoWatch] = [
    DemoWatch(
        name=BRAND_WATCH,
        kind="brand",
        description="Tout ce qui est dit de l'entreprise, sous son nom ou ses comptes.",
        rules=[
            '"peintures martin" OR "peinture martin" OR #peinturesmartin',
            "@peinturesmartin OR @peinturesmartin.bsky.social",
        ],
    ),
    DemoWatch(
        name=OWNER_WATCH,
        kind="owner",
        description="Le gérant, Julien Martin, cité par son nom ou son compte.",
        rules=[
            '@julienmartin49 OR ("julien martin" (peintre OR peinture* OR artisan* OR chantier* '
            "OR devis OR couleur*))",
        ],
    ),
    DemoWatch(
        name=CHAIN_WATCH,
        kind="competitor",
        description="L'enseigne régionale Couleurs de Loire (agences Angers, Nantes, Tours).",
        rules=[
            '"couleurs de loire" OR #couleursdeloire OR @couleursdeloire '
            "OR @couleursdeloire.bsky.social OR from:couleursdeloire "
            "OR from:couleursdeloire.bsky.social",
        ],
    ),
    DemoWatch(
        name=CRAFTSMAN_WATCH,
        kind="competitor",
        description="L'artisan Sébastien Dupuis, Atelier Dupuis, à Trélazé.",
        rules=['"atelier dupuis" OR "dupuis peinture" OR @dupuis_peinture OR from:dupuis_peinture'],
    ),
    DemoWatch(
        name=LEADS_WATCH,
        kind="leads",
        description="Particuliers qui cherchent un peintre ou un devis dans le secteur.",
        rules=[
            '(peintre OR peintres OR "entreprise de peinture" OR ravalement OR façade '
            'OR repeindre OR "refaire la peinture" OR painter) '
            '(cherche* OR "quelqu\'un connait" OR "qqn connait" OR "qqn connaît" OR recommand* '
            'OR conseil* OR devis OR "anyone know" OR "any recommendations") '
            f"({_AREA_WORDS}) -recrut* -#emploi -alternance -poste -is:retweet",
        ],
    ),
    DemoWatch(
        name=SECTOR_WATCH,
        kind="sector",
        description="Rénovation, bâtiment et peinture : aides, prix, règles, météo de chantier.",
        rules=[
            '(maprimerenov* OR #maprimerenov OR capeb OR #btp OR "rénovation énergétique" '
            'OR "prix de la peinture" OR "artisans du bâtiment" OR "ravalement obligatoire" '
            "OR intempéries) -is:retweet",
            "(peinture OR bâtiment OR rénovation) (prix OR hausse OR norme* OR réglementation "
            'OR "plomb" OR chantiers) -is:retweet',
        ],
    ),
    DemoWatch(
        name=LOCAL_WATCH,
        kind="local",
        description="La vie d'Angers et de l'agglo : travaux, commerces, mairie, quartiers.",
        rules=[
            '(angers OR #angers OR trélazé OR avrillé OR "ponts-de-cé") '
            "(travaux OR chantier OR mairie OR quartier "
            "OR commerces OR tramway OR municipal* OR conseil) -sco -#sco -is:retweet",
        ],
    ),
]


def save_demo_business(session: Session) -> None:
    """The demo business's profile and watches, saved (or replaced) in ``session``."""
    repository.save_profile(session, DEMO_BUSINESS)
    for watch in DEMO_WATCHES:
        repository.upsert_watch(
            session,
            name=watch.name,
            kind=watch.kind,
            description=watch.description,
            rules=watch.rules,
        )
