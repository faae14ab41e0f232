"""French trades a business can pick, each with the words its customers use.

Written for Veille. ``names`` are what people call the trade when they ask for one ("un
plombier"); ``words`` are what they ask for ("fuite d'eau", "chauffe-eau"); ``sector`` is
what the trade's news talks about. The profile keeps the label as its trade and the words
as its services, which the leads detection and the proposed watches read.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from veille.textfold import fold


@dataclass(frozen=True, slots=True)
class Trade:
    key: str
    label: str
    family: str  # artisans, commerce, alimentation, sante, services, b2b
    names: tuple[str, ...]
    words: tuple[str, ...]
    sector: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(",") if w.strip())


def _t(key: str, label: str, family: str, names: str, words: str, sector: str) -> Trade:
    return Trade(key, label, family, _split(names), _split(words), _split(sector))


TRADES: tuple[Trade, ...] = (
    # Artisans du bâtiment
    _t(
        "peintre",
        "peintre en bâtiment",
        "artisans",
        "peintre, entreprise de peinture",
        "peinture intérieure, peinture extérieure, ravalement de façade, papier peint, enduit",
        "rénovation, maprimerenov, capeb, bâtiment",
    ),
    _t(
        "plombier",
        "plombier",
        "artisans",
        "plombier, plombier chauffagiste",
        "fuite d'eau, chauffe-eau, ballon d'eau chaude, débouchage, salle de bain, robinet",
        "plomberie, bâtiment, rénovation, capeb",
    ),
    _t(
        "electricien",
        "électricien",
        "artisans",
        "électricien, électricienne",
        "tableau électrique, mise aux normes électrique, prise, panne de courant, éclairage",
        "électricité, bâtiment, consuel, capeb",
    ),
    _t(
        "macon",
        "maçon",
        "artisans",
        "maçon, entreprise de maçonnerie",
        "maçonnerie, extension de maison, dalle béton, mur de clôture, terrasse",
        "bâtiment, construction, permis de construire, capeb",
    ),
    _t(
        "couvreur",
        "couvreur",
        "artisans",
        "couvreur, charpentier couvreur",
        "toiture, fuite de toit, gouttière, tuiles, zinguerie, démoussage",
        "toiture, bâtiment, tempête, capeb",
    ),
    _t(
        "menuisier",
        "menuisier",
        "artisans",
        "menuisier, ébéniste",
        "fenêtres, portes, placards sur mesure, escalier, parquet, volets",
        "menuiserie, bois, bâtiment, capeb",
    ),
    _t(
        "carreleur",
        "carreleur",
        "artisans",
        "carreleur",
        "carrelage, faïence, pose de carrelage, douche italienne, mosaïque",
        "carrelage, bâtiment, rénovation",
    ),
    _t(
        "plaquiste",
        "plaquiste",
        "artisans",
        "plaquiste, plâtrier",
        "placo, cloison, faux plafond, isolation des combles, plâtre",
        "isolation, bâtiment, rénovation énergétique",
    ),
    _t(
        "chauffagiste",
        "chauffagiste",
        "artisans",
        "chauffagiste",
        "chaudière, pompe à chaleur, entretien chaudière, climatisation, radiateur",
        "chauffage, pompe à chaleur, maprimerenov, rénovation énergétique",
    ),
    _t(
        "serrurier",
        "serrurier",
        "artisans",
        "serrurier",
        "porte claquée, changer une serrure, ouverture de porte, blindage, clés",
        "serrurerie, cambriolage, sécurité",
    ),
    _t(
        "paysagiste",
        "paysagiste",
        "artisans",
        "paysagiste, jardinier",
        "entretien de jardin, taille de haie, tonte, élagage, aménagement paysager",
        "jardin, espaces verts, sécheresse",
    ),
    _t(
        "cuisiniste",
        "cuisiniste",
        "artisans",
        "cuisiniste",
        "cuisine équipée, plan de travail, cuisine sur mesure, électroménager",
        "aménagement intérieur, cuisine, habitat",
    ),
    _t(
        "vitrier",
        "vitrier",
        "artisans",
        "vitrier, miroitier",
        "vitre cassée, double vitrage, miroir, baie vitrée",
        "vitrerie, bâtiment",
    ),
    _t(
        "ramoneur",
        "ramoneur",
        "artisans",
        "ramoneur",
        "ramonage, conduit de cheminée, poêle à bois, insert",
        "chauffage au bois, ramonage obligatoire",
    ),
    _t(
        "demenageur",
        "déménageur",
        "services",
        "déménageur, entreprise de déménagement",
        "déménagement, garde-meubles, monte-meubles, cartons",
        "déménagement, logement",
    ),
    # Automobile
    _t(
        "garagiste",
        "garagiste",
        "artisans",
        "garagiste, garage, mécanicien",
        "vidange, révision, contrôle technique, pneus, embrayage, freins",
        "automobile, carburant, voiture électrique",
    ),
    _t(
        "carrossier",
        "carrossier",
        "artisans",
        "carrossier, carrosserie",
        "carrosserie, rayure, bosse, pare-brise, peinture auto",
        "automobile, assurance auto",
    ),
    # Commerce
    _t(
        "fleuriste",
        "fleuriste",
        "commerce",
        "fleuriste, fleuristes",
        "bouquet, fleurs, composition florale, fleurs de mariage, couronne de deuil, plantes",
        "fleurs, saint-valentin, fête des mères, horticulture",
    ),
    _t(
        "librairie",
        "librairie",
        "commerce",
        "librairie, libraire",
        "livres, roman, bande dessinée, dédicace, commande de livre",
        "livre, édition, prix littéraire",
    ),
    _t(
        "opticien",
        "opticien",
        "sante",
        "opticien, opticienne",
        "lunettes, lentilles, monture, verres progressifs, examen de vue",
        "optique, santé visuelle",
    ),
    _t(
        "bijouterie",
        "bijouterie",
        "commerce",
        "bijoutier, bijouterie, joaillier",
        "bijoux, bague de fiançailles, alliances, montre, réparation de bijou",
        "bijouterie, or, joaillerie",
    ),
    _t(
        "pret_a_porter",
        "boutique de vêtements",
        "commerce",
        "boutique de vêtements, magasin de vêtements",
        "vêtements, robe, prêt-à-porter, soldes, mode",
        "mode, textile, soldes",
    ),
    _t(
        "animalerie",
        "animalerie",
        "commerce",
        "animalerie",
        "croquettes, aquarium, accessoires pour chien, rongeurs",
        "animaux de compagnie",
    ),
    _t(
        "caviste",
        "caviste",
        "alimentation",
        "caviste, cave à vin",
        "vin, champagne, whisky, dégustation, coffret cadeau",
        "vin, viticulture, vendanges",
    ),
    # Alimentation
    _t(
        "boulanger",
        "boulangerie",
        "alimentation",
        "boulanger, boulangerie",
        "pain, baguette, viennoiseries, croissant, pain au levain",
        "boulangerie, farine, prix du pain",
    ),
    _t(
        "patissier",
        "pâtisserie",
        "alimentation",
        "pâtissier, pâtisserie",
        "gâteau d'anniversaire, pièce montée, entremets, macarons, wedding cake",
        "pâtisserie, chocolat",
    ),
    _t(
        "boucher",
        "boucherie",
        "alimentation",
        "boucher, boucherie, charcutier",
        "viande, volaille, charcuterie, colis de viande, barbecue",
        "élevage, viande, prix de la viande",
    ),
    _t(
        "fromager",
        "fromagerie",
        "alimentation",
        "fromager, fromagerie",
        "fromage, plateau de fromages, raclette, crèmerie",
        "fromage, lait, aop",
    ),
    _t(
        "primeur",
        "primeur",
        "alimentation",
        "primeur, marchand de fruits et légumes",
        "fruits et légumes, panier de légumes, produits locaux, bio",
        "agriculture, circuits courts, récoltes",
    ),
    _t(
        "traiteur",
        "traiteur",
        "alimentation",
        "traiteur",
        "buffet, cocktail, repas de mariage, plateau repas, réception",
        "restauration, événementiel",
    ),
    _t(
        "restaurant",
        "restaurant",
        "alimentation",
        "restaurant, resto, restaurateur",
        "déjeuner, dîner, réservation, menu du jour, brunch, terrasse",
        "restauration, umih, guide michelin",
    ),
    _t(
        "cafe_bar",
        "café-bar",
        "alimentation",
        "bar, café, brasserie",
        "apéro, bière, terrasse, concert, happy hour",
        "débits de boissons, umih",
    ),
    _t(
        "food_truck",
        "food truck",
        "alimentation",
        "food truck, foodtruck",
        "burger, street food, privatisation, marché",
        "street food, restauration",
    ),
    # Santé, beauté
    _t(
        "coiffeur",
        "coiffeur",
        "sante",
        "coiffeur, coiffeuse, salon de coiffure",
        "coupe, couleur, brushing, mèches, barbier, coiffure de mariage",
        "coiffure, beauté",
    ),
    _t(
        "estheticienne",
        "institut de beauté",
        "sante",
        "esthéticienne, institut de beauté",
        "épilation, soin du visage, manucure, massage, ongles",
        "beauté, cosmétique",
    ),
    _t(
        "kine",
        "kinésithérapeute",
        "sante",
        "kiné, kinésithérapeute",
        "rééducation, mal de dos, entorse, séances de kiné",
        "santé, ordre des masseurs-kinésithérapeutes",
    ),
    _t(
        "osteopathe",
        "ostéopathe",
        "sante",
        "ostéopathe, ostéo",
        "mal de dos, torticolis, douleurs, nourrisson",
        "santé, médecines douces",
    ),
    _t(
        "dentiste",
        "dentiste",
        "sante",
        "dentiste, chirurgien-dentiste",
        "rendez-vous dentiste, carie, détartrage, implant, urgence dentaire",
        "santé, déserts médicaux",
    ),
    _t(
        "veterinaire",
        "vétérinaire",
        "sante",
        "vétérinaire, véto",
        "chien malade, vaccin chat, stérilisation, urgence vétérinaire",
        "animaux, santé animale",
    ),
    _t(
        "pharmacie",
        "pharmacie",
        "sante",
        "pharmacie, pharmacien",
        "pharmacie de garde, médicament, parapharmacie, vaccination",
        "pharmacie, médicaments, pénurie",
    ),
    # Services
    _t(
        "photographe",
        "photographe",
        "services",
        "photographe",
        "photos de mariage, shooting, portrait, photo de famille, photo d'identité",
        "photographie, événementiel",
    ),
    _t(
        "auto_ecole",
        "auto-école",
        "services",
        "auto-école, moniteur d'auto-école",
        "permis de conduire, code de la route, conduite accompagnée, leçons de conduite",
        "permis de conduire, sécurité routière",
    ),
    _t(
        "agence_immobiliere",
        "agence immobilière",
        "services",
        "agence immobilière, agent immobilier",
        "vendre ma maison, estimation, location, appartement à louer, achat immobilier",
        "immobilier, taux d'intérêt, prix de l'immobilier",
    ),
    _t(
        "menage",
        "ménage et services à domicile",
        "services",
        "femme de ménage, aide ménagère, entreprise de ménage",
        "ménage, repassage, garde d'enfants, aide à domicile",
        "services à la personne, crédit d'impôt",
    ),
    _t(
        "taxi",
        "taxi / VTC",
        "services",
        "taxi, vtc, chauffeur",
        "course, transfert aéroport, gare, transport",
        "transport, taxis",
    ),
    _t(
        "pressing",
        "pressing",
        "services",
        "pressing, blanchisserie",
        "nettoyage à sec, costume, robe de mariée, retouches",
        "textile, entretien",
    ),
    _t(
        "salle_sport",
        "salle de sport",
        "services",
        "salle de sport, coach sportif",
        "musculation, fitness, cours collectifs, abonnement salle, coaching",
        "sport, fitness",
    ),
    # B2B
    _t(
        "agence_web",
        "agence web",
        "b2b",
        "agence web, développeur, freelance web, webdesigner",
        "site internet, site web, refonte de site, référencement, application mobile, e-commerce",
        "numérique, cybersécurité, intelligence artificielle",
    ),
    _t(
        "expert_comptable",
        "expert-comptable",
        "b2b",
        "expert-comptable, comptable, cabinet comptable",
        "comptabilité, bilan, création d'entreprise, fiscalité, paie",
        "fiscalité, urssaf, loi de finances",
    ),
    _t(
        "avocat",
        "avocat",
        "b2b",
        "avocat, avocate, cabinet d'avocats",
        "conseil juridique, divorce, droit du travail, litige, contrat",
        "justice, droit, barreau",
    ),
    _t(
        "informatique",
        "dépannage informatique",
        "b2b",
        "informaticien, dépanneur informatique",
        "ordinateur lent, virus, réseau, maintenance informatique, récupération de données",
        "informatique, cybersécurité",
    ),
    _t(
        "imprimerie",
        "imprimerie",
        "b2b",
        "imprimeur, imprimerie",
        "cartes de visite, flyers, affiches, impression, faire-part",
        "impression, papier, communication",
    ),
    _t(
        "architecte",
        "architecte",
        "b2b",
        "architecte, architecte d'intérieur",
        "plans de maison, permis de construire, extension, rénovation, décoration intérieure",
        "architecture, urbanisme, construction",
    ),
    _t(
        "nettoyage",
        "entreprise de nettoyage",
        "b2b",
        "entreprise de nettoyage, société de nettoyage",
        "nettoyage de bureaux, nettoyage de fin de chantier, vitres, entretien des locaux",
        "propreté, services aux entreprises",
    ),
)


class UnknownTrade(LookupError):
    """A trade that is not in the list; carries the closest labels."""

    def __init__(self, given: str, closest: list[str]) -> None:
        hint = f" ; les plus proches : {', '.join(closest)}" if closest else ""
        super().__init__(f"{given!r} n'est pas dans la liste des métiers{hint}")
        self.given = given
        self.closest = closest


def _index() -> dict[str, Trade]:
    index: dict[str, Trade] = {}
    for trade in TRADES:
        for name in (trade.key, trade.label, *trade.names):
            index.setdefault(fold(name).replace("-", " "), trade)
    return index


def find_trade(text: str) -> Trade:
    """A trade by key, label or the name people use ("fleuriste", "boulanger")."""
    index = _index()
    key = fold(text.strip()).replace("-", " ")
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=5, cutoff=0.6)
    labels = list(dict.fromkeys(index[k].label for k in close))
    raise UnknownTrade(text, labels)
