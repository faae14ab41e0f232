# ruff: noqa: E501  (a text bank: one template a line reads better than wrapped strings)
"""Text banks for the demo: fragments and templates written for Veille (French first).

`{slot}` draws from BANKS (or is an entity filled by the generator: target, place, brand,
comp, owner, url, artist, user); `[a|b]` is an inline choice. Each template carries the
sentiment a reader would give it.
"""

from __future__ import annotations

Template = tuple[str, str]  # (sentiment, template)

BANKS: dict[str, tuple[str, ...]] = {
    "room": (
        "le salon",
        "la cuisine",
        "la chambre des enfants",
        "l'entrée",
        "la cage d'escalier",
        "le séjour",
        "la salle de bain",
        "les plafonds",
        "tout l'appart",
        "la véranda",
        "le couloir",
        "notre chambre",
        "le bureau",
        "toute la maison",
    ),
    "exterior": (
        "la façade",
        "les volets",
        "le portail",
        "les boiseries",
        "le ravalement",
        "les menuiseries",
        "le pignon",
        "les murs extérieurs",
        "les avant-toits",
    ),
    "job": ("{room}", "{room}", "{exterior}"),
    "house": (
        "maison",
        "longère",
        "maison en tuffeau",
        "baraque",
        "maison des années 30",
        "appart",
        "petite maison",
        "maison de ville",
    ),
    "when": (
        "la semaine dernière",
        "ce mois-ci",
        "il y a 15 jours",
        "cet hiver",
        "ces derniers jours",
        "lundi",
        "en début de mois",
        "avant les vacances",
    ),
    "good": (
        "nickel",
        "impeccable",
        "super propre",
        "top",
        "au top",
        "parfait",
        "trop bien",
        "hyper soigné",
        "du beau boulot",
        "rien à redire",
    ),
    "team": (
        "l'équipe",
        "les gars",
        "les peintres",
        "les deux compagnons",
        "toute l'équipe",
        "le chef de chantier",
        "les ouvriers",
    ),
    "excl": ("", "!", " !", "!!", " 🙏", " 👍", "...", " 👌"),
    "q_end": ("?", " ?", "??", " ? merci", " ? 🙏", " svp ?", " ?!", " stp ?", " ? stp"),
    "event": (
        "concert",
        "brocante",
        "match",
        "vide-grenier",
        "marché",
        "soirée jeux",
        "expo photo",
        "course à pied",
        "apéro du quartier",
        "ciné plein air",
    ),
    "mood_pos": ("trop hâte", "on y va en famille", "qui vient ?", "ça va être top", "enfin !!"),
    "mood_neg": (
        "encore annulé",
        "sous la pluie évidemment",
        "complet en 10 min",
        "bon courage pour se garer",
    ),
    "neg_end": ("", ".", "...", " 🙄", " 😤", "!!", " franchement."),
    "amount": ("150", "200", "350", "480", "600", "800", "1200"),
    "pct": ("8", "10", "12", "15", "20", "25", "30"),
    "far_painter_place": (
        "Lyon",
        "Nantes",
        "Rennes",
        "Tours",
        "Bordeaux",
        "Paris 11e",
        "Le Mans",
        "Lille",
        "Montpellier",
        "Brest",
    ),
    "trade_other": (
        "plombier",
        "électricien",
        "couvreur",
        "menuisier",
        "carreleur",
        "chauffagiste",
        "serrurier",
        "jardinier",
        "maçon",
    ),
    "other_problem": (
        "fuite sous l'évier depuis ce matin",
        "le tableau qui disjoncte tout le temps",
        "des tuiles envolées avec le vent",
        "une porte qui ferme plus",
        "chaudière en panne 🥶",
        "un mur à monter pour la terrasse",
        "la douche à refaire",
    ),
    "street": (
        "boulevard Foch",
        "rue Saint-Aubin",
        "place du Ralliement",
        "rue Lenepveu",
        "avenue Pasteur",
        "boulevard du Roi-René",
        "rue de la Roë",
        "quai Ligny",
        "rue Bressigny",
        "avenue Montaigne",
        "boulevard Carnot",
    ),
    "quarter": (
        "la Doutre",
        "Saint-Serge",
        "Belle-Beille",
        "Monplaisir",
        "la Roseraie",
        "Justices",
        "Lac de Maine",
        "Deux-Croix",
        "centre-ville",
        "Madeleine",
    ),
    "team_sco": (
        "Lens",
        "Rennes",
        "Nantes",
        "Brest",
        "Lorient",
        "Metz",
        "Caen",
        "Guingamp",
        "Bastia",
        "Auxerre",
    ),
    "score": ("1-0", "2-1", "0-0", "1-1", "0-2", "3-1", "1-3", "2-2", "0-1"),
    "food": (
        "rillauds",
        "fouées",
        "galettes",
        "crêpes",
        "pâté aux prunes",
        "quernons d'ardoise",
        "bernaches",
        "pizza",
        "ramen",
        "kebab",
    ),
    "weather_bad": (
        "Il pleut ENCORE",
        "Grêle en plein mois de mai ??",
        "Vent de fou ce matin",
        "Brouillard à couper au couteau",
        "Il fait un froid de canard",
    ),
    "weather_good": (
        "Grand soleil sur la Loire ce matin",
        "Ciel bleu et 22° à Angers",
        "Quelle belle lumière ce soir",
    ),
    "artist": (
        "Camille Viot",
        "Hélène Morvan",
        "Jean-Luc Bréhéret",
        "Agathe Rousseau",
        "Marc Olivier",
    ),
    "paint_color": (
        "vert sauge",
        "bleu canard",
        "terracotta",
        "blanc cassé",
        "gris perle",
        "jaune moutarde",
        "rose poudré",
        "vert d'eau",
    ),
    "react_fr": (
        "mdr",
        "ptdr",
        "😂😂😂",
        "tellement vrai",
        "grave",
        "+1",
        "pas d'accord du tout",
        "source ?",
        "c'est clair",
        "jsp trop",
        "ah bon ?",
        "🤣",
        "même pas surpris",
        "vous êtes sérieux là",
        "j'avoue",
        "bah oui",
        "oh non",
        "trop bien",
        "ça me rappelle qqch",
        "la base",
        "merci pour l'info",
        "mais grave !!",
        "bof",
        "on est d'accord",
    ),
    "react_en": (
        "lol same",
        "so true 😂",
        "where is this?",
        "haha",
        "love this",
        "no way",
        "same here",
        "thanks for sharing",
        "ugh",
        "😂",
    ),
}

# -- about a business (target = Peintures Martin or a competitor) -------------------------

PRAISE_FR: tuple[Template, ...] = (
    (
        "positive",
        "Un grand merci à {target} pour {job}, [travail|boulot|taf] {good} et dans les temps{excl}",
    ),
    (
        "positive",
        "{job} refait par {target} {when}. [Franchement|Honnêtement|Sérieux], {good}. Je recommande{excl}",
    ),
    ("positive", "Avant / après de {job} 🎨 merci {target} [!|!!|pour la patience]"),
    (
        "positive",
        "Je recommande {target} les yeux fermés, {team} [ont été|étaient] [ponctuels|super pros|adorables] et ont tout protégé [avant de commencer|comme il faut].",
    ),
    (
        "positive",
        "Devis reçu en 48h, chantier fini en avance, [prix correct|tarif honnête|rien à redire]. {target}{excl}",
    ),
    (
        "positive",
        "Ça fait plaisir de voir des artisans [sérieux|qui bossent bien|à l'heure] à {place}. Merci {target}{excl}",
    ),
    (
        "positive",
        "[Enfin|Ça y est], notre {house} a une nouvelle tête grâce à {target}. Les voisins [n'arrêtent pas de demander le nom|nous ont félicités] 😄",
    ),
    (
        "positive",
        "Petit message pour dire que {target} a [rattrapé|sauvé] le [massacre|carnage] de notre ancien peintre. [Merci mille fois|Respect]{excl}",
    ),
    (
        "positive",
        "{job} en {paint_color}, posé par {target}, [je suis fan|on adore|j'arrête pas de regarder] 😍",
    ),
    (
        "positive",
        "Troisième fois qu'on fait appel à {target}, [toujours aussi pros|jamais déçus|toujours au top]{excl}",
    ),
)
PRAISE_EN: tuple[Template, ...] = (
    (
        "positive",
        "Huge thanks to {target} for repainting our living room in {place}, spotless work and a lovely team!",
    ),
    ("positive", "Can't recommend {target} enough. On time, tidy, fair price 👌"),
    ("positive", "Our shutters finally look decent again thanks to {target} 🇫🇷🏡"),
)
COMPLAINT_FR: tuple[Template, ...] = (
    (
        "negative",
        "3 semaines que j'attends mon devis de {target}... [relancé 2 fois|toujours rien|personne ne rappelle]. [Pas sérieux|Bof bof|Franchement déçue]",
    ),
    (
        "negative",
        "[Traces|Coulures|Des bavures] partout sur {job}, {target} [doit repasser|m'a promis de revenir] mais [toujours personne|on attend encore]{neg_end}",
    ),
    (
        "negative",
        "Chantier [commencé|prévu] le lundi, [personne le mardi|les gars sont partis à midi|pas vu un pinceau depuis jeudi]. {target} c'est [quoi ce délire|pas possible]{neg_end}",
    ),
    (
        "negative",
        "Facture plus chère que le devis de {amount} € chez {target}, [sans explication|on m'explique que c'est « l'imprévu »|super]. [Je fais quoi ?|Ça passe pas.|Vous feriez quoi vous ?]",
    ),
    (
        "negative",
        "La peinture de {job} s'écaille déjà après [4 mois|un hiver|6 mois]. Merci {target} 🙄",
    ),
    (
        "negative",
        "[Accueil|Standard] de {target} [désagréable|injoignable], j'ai juste demandé [une date|un créneau|quand ils venaient]{neg_end}",
    ),
    (
        "negative",
        "Ils ont [taché|abîmé] [le parquet|la moquette|mon canapé|les plinthes] et {target} [fait le mort|refuse de rembourser|dit que c'était déjà comme ça]{neg_end}",
    ),
    (
        "negative",
        "Déçu par {target} : [couleur pas du tout celle du nuancier|deux couches promises, une seule passée|bâches oubliées, peinture sur les vitres]{neg_end}",
    ),
)
COMPLAINT_EN: tuple[Template, ...] = (
    (
        "negative",
        "Still waiting for {target} to come back and fix the drips in our hallway. Three weeks now. Not impressed.",
    ),
    (
        "negative",
        "Quote from {target} went up by {amount}€ with no explanation. Anyone had the same?",
    ),
)
QUESTION_FR: tuple[Template, ...] = (
    (
        "neutral",
        "Quelqu'un a déjà fait appel à {target} ? [Des retours|Vous en pensez quoi|Ça vaut le coup]{q_end}",
    ),
    (
        "neutral",
        "{target} [intervient|se déplace] jusqu'à {place} ou pas{q_end} [Leur site le dit pas|Je trouve pas l'info|]",
    ),
    (
        "neutral",
        "{target} vous faites aussi [le papier peint|les volets|l'isolation par l'extérieur|les sols|les plafonds tendus]{q_end}",
    ),
    (
        "neutral",
        "C'est quoi les délais en ce moment chez {target}{q_end} On voudrait [refaire la cuisine|repeindre avant l'été|faire la façade en juin]",
    ),
    (
        "neutral",
        "Vous êtes ouverts [samedi|pendant les vacances|entre midi et deux] {target}{q_end}",
    ),
    ("neutral", "Est-ce que {target} fait des devis [gratuits|en ligne|le samedi]{q_end}"),
    ("neutral", "{target} ou un autre, qui a les meilleurs prix pour un ravalement{q_end}"),
)
QUESTION_EN: tuple[Template, ...] = (
    ("neutral", "Has anyone used {target}? Looking for honest feedback before we sign the quote."),
    ("neutral", "Does {target} speak English by any chance? Need our kitchen painted."),
)

# -- requests for a tradesman --------------------------------------------------------------

LEAD_FR: tuple[Template, ...] = (
    ("neutral", "Quelqu'un connaît un bon peintre sur {place}{q_end} [Pour|C'est pour] {job}"),
    (
        "neutral",
        "[Je cherche|On cherche|Cherche] un peintre [sérieux|pas trop cher|dispo rapidement] vers {place} pour {job}. Des [recos|recommandations|conseils]{q_end}",
    ),
    (
        "neutral",
        "Vous avez un artisan peintre à me recommander sur {place}{q_end} [Devis refusé ailleurs, trop cher|Le dernier a disparu en plein chantier 🙃|]",
    ),
    (
        "neutral",
        "Besoin d'un devis pour [un ravalement de façade|refaire toute la peinture de la maison|repeindre 3 chambres|les volets et le portail] à {place}, quelqu'un connaît une entreprise de peinture fiable{q_end}",
    ),
    (
        "positive",
        "Achat d'une {house} à {place} 🎉 il faut tout repeindre... des conseils pour trouver un peintre [correct|dispo avant septembre]{q_end}",
    ),
    (
        "neutral",
        "On cherche une entreprise pour refaire la façade (maison des années [50|70|30]) à {place}. [Recos bienvenues|Merci pour vos retours] 🙏",
    ),
    (
        "neutral",
        "Partage apprécié : je cherche un peintre en bâtiment sur {place} et alentours, chantier [d'environ 60m²|de 4 pièces|de plafonds]",
    ),
    (
        "negative",
        "Marre des peintres qui répondent pas 😤 qqn connait quelqu'un de sérieux sur {place}{q_end}",
    ),
)
LEAD_EN: tuple[Template, ...] = (
    (
        "neutral",
        "Anyone know a good painter around {place}? Need the whole ground floor done before we move in.",
    ),
    (
        "neutral",
        "Any recommendations for a reliable painter near {place}? English speaking would be a bonus 😅",
    ),
)
OTHER_TRADE_FR: tuple[Template, ...] = (
    ("negative", "Quelqu'un connaît un bon {trade_other} sur {place}{q_end} {other_problem}"),
    (
        "neutral",
        "Cherche {trade_other} dispo cette semaine à {place} ({other_problem}), des recos{q_end}",
    ),
    ("neutral", "Des recos de {trade_other} sur {place}{q_end} merci d'avance"),
)
ARTIST_REQUEST_FR: tuple[Template, ...] = (
    (
        "positive",
        "Je cherche un peintre pour faire le portrait de mon chien 🐶🎨 quelqu'un connaît un artiste sur {place}{q_end}",
    ),
    (
        "neutral",
        "Quelqu'un connaît un peintre qui donne des cours d'aquarelle à {place}{q_end} Pour ma mère qui est à la retraite",
    ),
)
DIY_REQUEST_FR: tuple[Template, ...] = (
    (
        "neutral",
        "Quelle peinture pour repeindre un meuble en chêne sans poncer{q_end} Je cherche des conseils 🙏",
    ),
    ("neutral", "Glycéro ou acrylique pour une salle de bain{q_end} jsp quoi prendre"),
)

# -- jobs ------------------------------------------------------------------------------------

JOB_HIRING_FR: tuple[Template, ...] = (
    (
        "positive",
        "{target} recrute ! Peintre en bâtiment [confirmé·e|qualifié·e] en CDI, chantiers sur {place} et l'agglo. Candidature : {url} #emploi #Angers",
    ),
    (
        "neutral",
        "[Offre] Peintre en bâtiment H/F - {place} - CDI - 2 100 à 2 400 € brut. Postulez : {url} #emploi #BTP",
    ),
    (
        "neutral",
        "On recrute un·e apprenti·e peintre pour la rentrée chez {target}, [super équipe|ambiance familiale], écrivez-nous ! #alternance",
    ),
    (
        "neutral",
        "Le [Super U|Leclerc|Biocoop] de {place} recrute des [caissiers·ères|préparateurs·trices] pour l'été. Infos : {url} #emploi",
    ),
    (
        "neutral",
        "Offre d'emploi : chef de chantier peinture/ravalement H/F, Maine-et-Loire, véhicule fourni. {url} #emploi #BTP",
    ),
)
JOB_SEEKING_FR: tuple[Template, ...] = (
    (
        "neutral",
        "Apprenti peintre en 2e année, je cherche une entreprise pour mon alternance sur {place} à la rentrée. Partagez svp 🙏",
    ),
    (
        "neutral",
        "Peintre qualifié, 10 ans d'expérience, dispo de suite sur {place} et environs, je cherche un poste ou des missions. MP ouverts",
    ),
    (
        "neutral",
        "Reconversion : j'ai eu mon CAP peintre applicateur 🎉 maintenant je cherche mon premier poste vers {place}{excl}",
    ),
)
JOB_EN: tuple[Template, ...] = (
    (
        "neutral",
        "We're hiring in Angers: painter/decorator, French needed, English a plus. DM us or apply at {url}",
    ),
)

# -- news, as articles (title, summary) and as social posts -------------------------------

Article = tuple[str, str, str]  # (sentiment, title, summary)

SECTOR_ARTICLES_FR: tuple[Article, ...] = (
    (
        "neutral",
        "MaPrimeRénov' : ce qui change pour les ménages cette année",
        "Plafonds de ressources revus, accompagnement obligatoire pour les rénovations d'ampleur, délais de versement : le point sur l'aide à la rénovation énergétique.",
    ),
    (
        "negative",
        "Le prix de la peinture a bondi de {pct} % en un an",
        "Résines, dioxyde de titane, transport : les fabricants répercutent leurs coûts. Les artisans peintres craignent de devoir augmenter leurs devis.",
    ),
    (
        "negative",
        "Les artisans du bâtiment peinent à recruter en Maine-et-Loire",
        "Peintres, plaquistes, couvreurs : plus de 400 postes restent non pourvus dans le département selon la chambre de métiers.",
    ),
    (
        "negative",
        "Rénovation énergétique : la CAPEB alerte sur la baisse des chantiers",
        "Les carnets de commandes des artisans se vident depuis le changement des règles d'aides, s'inquiète l'organisation professionnelle.",
    ),
    (
        "neutral",
        "Peinture au plomb : les règles à respecter avant de poncer un bâtiment ancien",
        "Diagnostic obligatoire avant 1949, confinement du chantier, aspiration à la source : ce que dit la réglementation pour protéger riverains et enfants.",
    ),
    (
        "negative",
        "Intempéries : des chantiers à l'arrêt dans les Pays de la Loire",
        "Après une semaine de pluie et de vent, les entreprises du bâtiment activent le chômage intempéries. Les ravalements sont les premiers touchés.",
    ),
    (
        "neutral",
        "COV : comment lire l'étiquette de vos pots de peinture",
        "De A+ à C, l'étiquette renseigne sur les émissions dans l'air intérieur. Les peintures biosourcées gagnent du terrain.",
    ),
    (
        "neutral",
        "Ravalement obligatoire : plusieurs communes de l'Ouest relancent les injonctions",
        "Les propriétaires ont six mois pour rafraîchir leurs façades. Les entreprises de peinture s'attendent à un afflux de demandes de devis.",
    ),
    (
        "positive",
        "Bâtiment : l'entretien-rénovation résiste malgré le ralentissement",
        "Si la construction neuve recule, les travaux de rénovation et de peinture restent bien orientés au premier trimestre, selon la FFB.",
    ),
    (
        "neutral",
        "Chèque énergie, éco-PTZ, MaPrimeRénov' : le guide des aides à la rénovation",
        "Quelles aides cumuler pour isoler, changer ses fenêtres ou refaire sa façade ? Le point, dispositif par dispositif.",
    ),
    (
        "negative",
        "Fraude à la rénovation énergétique : de faux artisans démarchent en Anjou",
        "Appels et SMS promettant une isolation « à 1 euro » : la DGCCRF met en garde contre les démarchages abusifs.",
    ),
)
SECTOR_ARTICLES_EN: tuple[Article, ...] = (
    (
        "neutral",
        "France's MaPrimeRénov' grants shake-up: what homeowners need to know",
        "New income ceilings and mandatory advisers for large renovation projects: our guide for English-speaking homeowners.",
    ),
    (
        "negative",
        "Paint prices up again as raw material costs bite",
        "Builders' merchants in western France report double-digit rises on interior and exterior paints.",
    ),
)
SECTOR_SOCIAL_FR: tuple[Template, ...] = (
    ("negative", "MaPrimeRénov' encore modifié... on s'y retrouve plus 🙄 {url}"),
    (
        "negative",
        "Prix de la peinture +{pct}% chez mon fournisseur en un an, à un moment faudra bien répercuter #artisan #btp",
    ),
    ("neutral", "Qui a réussi à toucher MaPrimeRénov' en moins de 6 mois ? 😅 #renovation"),
    (
        "negative",
        "Vent + pluie toute la semaine, chantier façade décalé pour la 3e fois... #btp #météo",
    ),
    (
        "neutral",
        "Rappel utile avant de poncer une vieille peinture : diagnostic plomb obligatoire si le bâtiment date d'avant 1949 {url} #btp",
    ),
    (
        "negative",
        "La rénovation énergétique à l'arrêt, les artisans du bâtiment trinquent. Faudrait que ça bouge {url}",
    ),
    ("positive", "Super formation CAPEB ce matin sur les peintures biosourcées 🌿 #btp #artisan"),
)
LOCAL_ARTICLES_FR: tuple[Article, ...] = (
    (
        "negative",
        "Angers : le tramway perturbé jusqu'à vendredi pour travaux",
        "Les rames ne circulent pas entre Ralliement et Saint-Serge. Des bus de substitution sont mis en place par la ville.",
    ),
    (
        "neutral",
        "Travaux {street} à Angers : circulation alternée pendant trois semaines",
        "Le chantier de réfection des réseaux commence lundi. La mairie conseille d'éviter le secteur aux heures de pointe.",
    ),
    (
        "positive",
        "Trélazé : un nouveau quartier de 200 logements sort de terre",
        "Le chantier des Ardoisières avance : premières livraisons prévues à l'automne, avec commerces et crèche.",
    ),
    (
        "neutral",
        "Avrillé : la mairie lance son budget participatif",
        "Les habitants ont jusqu'à la fin du mois pour proposer leurs projets de quartier.",
    ),
    (
        "negative",
        "Angers : les commerces du centre-ville face à la hausse des loyers",
        "Plusieurs boutiques ont fermé rue Lenepveu. Les commerçants demandent un geste à la mairie.",
    ),
    (
        "neutral",
        "Conseil municipal d'Angers : ce qu'il faut retenir de la séance",
        "Budget, rénovation des écoles, pistes cyclables : les principales délibérations votées lundi soir.",
    ),
    (
        "positive",
        "Angers : un nouveau jardin au bord de la Maine pour le quartier Saint-Serge",
        "La ville a inauguré samedi un espace vert de deux hectares après dix-huit mois de chantier.",
    ),
    (
        "neutral",
        "Les Ponts-de-Cé : le pont fermé la nuit pour chantier",
        "Les travaux d'entretien de l'ouvrage dureront deux semaines, de 21 h à 6 h.",
    ),
    (
        "positive",
        "Angers : la rénovation des façades du quartier de la Doutre récompensée",
        "Le programme mené avec les propriétaires a valu à la mairie un prix du patrimoine.",
    ),
)
LOCAL_SOCIAL_FR: tuple[Template, ...] = (
    ("negative", "Encore des travaux {street} 🙄 on peut plus circuler dans Angers #Angers"),
    ("positive", "Le nouveau commerce du quartier {quarter} à Angers est trop bien, allez-y{excl}"),
    (
        "neutral",
        "La mairie d'Angers pourrait [refaire les trottoirs|mettre des bancs|installer des arceaux vélo] quartier {quarter}, ce serait pas du luxe",
    ),
    (
        "negative",
        "Tramway encore en panne à Angers, 40 min pour traverser la ville. Merci les travaux #Angers",
    ),
    (
        "neutral",
        "Réunion de quartier ce soir à {quarter} (Angers) sur le chantier de la place, venez nombreux",
    ),
    ("positive", "Trélazé qui se transforme, le nouveau quartier avance vite, bravo à la mairie"),
)
LOCAL_EN: tuple[Template, ...] = (
    (
        "neutral",
        "Heads up: Angers tramway works this week, buses replace the trams between Ralliement and Saint-Serge.",
    ),
)
NEWS_NOISE_ARTICLES_FR: tuple[Article, ...] = (
    (
        "negative",
        "SCO : une défaite qui fait mal face à {team_sco}",
        "Les Angevins se sont inclinés {score} samedi et restent englués dans le bas du classement.",
    ),
    (
        "positive",
        "SCO : la belle victoire contre {team_sco}",
        "Portés par le public de Raymond-Kopa, les joueurs d'Angers l'emportent {score}.",
    ),
    (
        "neutral",
        "Exposition : le peintre {artist} au musée des Beaux-Arts d'Angers",
        "Une soixantaine de toiles sur les paysages de Loire, jusqu'à la fin de l'été.",
    ),
    (
        "neutral",
        "Météo : un week-end contrasté en Anjou",
        "Averses samedi, retour du soleil dimanche après-midi sur le Maine-et-Loire.",
    ),
)

# -- competitors speaking or spoken of -------------------------------------------------------

CHAIN_NEWS_FR: tuple[Template, ...] = (
    (
        "positive",
        "🎨 Jusqu'à la fin du mois : -{pct}% sur la peinture intérieure chez Couleurs de Loire ! Devis gratuit dans nos agences d'Angers, Nantes et Tours. #couleursdeloire",
    ),
    (
        "positive",
        "Nouvelle agence Couleurs de Loire à Saumur : ouverture samedi, venez découvrir notre showroom 🎉",
    ),
    (
        "neutral",
        "Couleurs de Loire recrute 8 peintres et 2 chefs de chantier en Pays de la Loire 👉 {url} #emploi",
    ),
    (
        "positive",
        "Fiers d'avoir livré la rénovation de la résidence [des Plantes|Saint-Serge|du Lac] à Angers 💪 #couleursdeloire",
    ),
    (
        "positive",
        "Notre nuancier printemps est arrivé ! Rendez-vous en agence pour les échantillons gratuits 🌸",
    ),
)
CHAIN_ARTICLES_FR: tuple[Article, ...] = (
    (
        "neutral",
        "Couleurs de Loire rachète une entreprise de peinture choletaise",
        "L'enseigne nantaise poursuit son expansion en Maine-et-Loire et reprend les douze salariés.",
    ),
    (
        "positive",
        "Couleurs de Loire décroche le chantier de la résidence Saint-Serge à Angers",
        "Le groupe régional repeindra 240 logements pour le bailleur social d'ici la fin de l'année.",
    ),
)
CRAFTSMAN_NEWS_FR: tuple[Template, ...] = (
    (
        "positive",
        "Chantier terminé à Trélazé : ravalement complet d'une maison en ardoise et tuffeau. Fier du résultat ! #artisan #peinture",
    ),
    ("neutral", "L'Atelier Dupuis sera fermé la semaine prochaine, bonnes vacances à tous ☀️"),
    (
        "positive",
        "Atelier Dupuis : -10% sur la peinture intérieure pour les devis signés avant la fin du mois.",
    ),
    (
        "positive",
        "Merci pour vos messages, l'atelier a [10|15] ans cette année 🎂 #artisan #Trélazé",
    ),
)

# -- the business speaking -------------------------------------------------------------------

BUSINESS_POSTS_FR: tuple[Template, ...] = (
    (
        "positive",
        "Chantier du jour à {place} ☀️ {job} en {paint_color}, ça change tout ! #peinture #Angers",
    ),
    (
        "neutral",
        "Nos délais en ce moment : environ 3 semaines pour l'intérieur, 5 pour les façades. Devis gratuit sur {url}",
    ),
    (
        "positive",
        "Bienvenue à [Yanis|Clément|Inès], notre nouvel·le apprenti·e 🎉 #apprentissage #artisan",
    ),
    (
        "positive",
        "Avant / après d'une cage d'escalier à {place}, merci aux copropriétaires pour leur confiance 🙏",
    ),
)
BUSINESS_THREAD_FR: tuple[tuple[str, ...], ...] = (
    (
        "Chantier de la semaine à {place} : ravalement complet d'une maison de 1930 🧵 1/3",
        "2/3 Lavage haute pression, rebouchage des fissures, fixateur, puis deux couches de peinture minérale.",
        "3/3 Et voilà le résultat ! Merci aux propriétaires pour leur confiance 🙏 #peinture #Angers",
    ),
    (
        "Question qu'on nous pose souvent : pourquoi un devis de peinture varie autant ? 🧵 1/3",
        "2/3 La préparation des supports (rebouchage, ponçage, sous-couche) représente souvent la moitié du temps.",
        "3/3 Un devis pas cher qui saute la préparation, c'est une peinture qui s'écaille dans un an. Posez des questions ! 😉",
    ),
)
BUSINESS_REPLIES: dict[str, tuple[str, ...]] = {
    "lead": (
        "Bonjour ! Nous intervenons sur {place} 🙂 Envoyez-nous quelques photos en MP ou demandez un devis sur {url}",
        "Bonjour, on peut passer voir ça cette semaine si vous voulez, écrivez-nous en MP 👍",
    ),
    "praise": (
        "Merci beaucoup pour ce retour, on transmet à l'équipe 😊",
        "Merci à vous ! Ravis que ça vous plaise 🎨",
        "Ça nous fait super plaisir, merci 🙏",
    ),
    "complaint": (
        "Bonjour, nous sommes désolés. Pouvez-vous nous écrire en MP avec votre n° de devis ? On regarde ça aujourd'hui.",
        "Bonjour, ce n'est pas normal, on vous appelle dans la journée pour trouver une solution.",
    ),
    "question": (
        "Oui bien sûr, nous faisons aussi le papier peint et les sols 👍",
        "Nos délais sont d'environ 3 à 4 semaines en ce moment. Devis gratuit !",
        "Oui, on intervient dans toute l'agglo d'Angers 🙂",
    ),
}

# -- replies from the public -----------------------------------------------------------------

LEAD_REPLIES_BRAND: tuple[Template, ...] = (
    ("positive", "{brand} sur Angers, ils ont fait notre salon, rien à redire"),
    ("positive", "Perso on a pris {brand}, très pros et propres{excl}"),
    ("positive", "{brand} sans hésiter !"),
)
LEAD_REPLIES_COMP: tuple[Template, ...] = (
    ("positive", "Essaie {comp}, on en a été contents"),
    ("neutral", "On avait eu un devis de {comp}, correct mais délais longs"),
    ("negative", "Évite {comp}, jamais revenus finir les finitions chez nous"),
)
LEAD_REPLIES_OTHER: tuple[Template, ...] = (
    ("neutral", "Je te MP un contact"),
    ("neutral", "Suivi, je cherche aussi 👀"),
    ("neutral", "Fais faire plusieurs devis !! les prix varient du simple au double"),
    ("neutral", "Mon beau-frère est peintre mais il est sur Nantes 😅"),
    ("neutral", "Regarde les avis Google, ça aide"),
)
COMPLAINT_REPLIES: tuple[Template, ...] = (
    ("negative", "Pareil chez nous 😤"),
    ("neutral", "Faut relancer par écrit, lettre recommandée, ça bouge en général"),
    ("neutral", "Ah mince, nous on avait été contents pourtant"),
    ("negative", "Courage... les artisans qui répondent plus c'est l'enfer"),
)
PRAISE_REPLIES: tuple[Template, ...] = (
    ("positive", "Trop beau 😍 tu me passes le contact ?"),
    ("neutral", "Magnifique ! c'est quelle couleur ?"),
    ("positive", "Ça rend super bien !!"),
    ("positive", "Ah oui quelle différence 👏"),
)
QUESTION_REPLIES: tuple[Template, ...] = (
    ("positive", "Oui ils ont fait chez ma mère, très bien"),
    ("neutral", "Aucune idée, appelle-les directement"),
    ("neutral", "Je crois que oui mais à vérifier"),
)

# -- everything else -------------------------------------------------------------------------

NOISE_FR: tuple[Template, ...] = (
    ("positive", "Allez le SCO !! ⚫⚪ #SCOAngers"),
    (
        "negative",
        "Encore perdu {score} contre {team_sco}... le SCO cette saison c'est dur 😩 #SCOAngers",
    ),
    ("neutral", "Qui va à Raymond-Kopa samedi contre {team_sco} ?"),
    ("negative", "{score} contre {team_sco}, quelle purge ce match. Remboursez"),
    ("positive", "{food} + Anjou blanc, le combo du dimanche 😍"),
    ("neutral", "Meilleures {food} d'Angers, vous avez des adresses{q_end}"),
    ("positive", "Les quernons d'ardoise c'est tellement sous-coté"),
    ("negative", "{weather_bad} à Angers ☔ je craque"),
    ("positive", "{weather_good} ☀️"),
    ("negative", "Le débat d'hier soir... on en parle ? 🙄"),
    ("neutral", "Les municipales approchent, ça commence à s'agiter dans le coin"),
    ("negative", "Bouchons sur la rocade ce matin encore, 45 minutes pour faire 8 km"),
    (
        "neutral",
        "Moi devant le nuancier : « blanc cassé », « blanc coquille », « blanc lin »... c'est LE MÊME BLANC 😭",
    ),
    ("positive", "Expo du peintre {artist} au musée des Beaux-Arts, allez-y c'est magnifique 🎨"),
    ("neutral", "Ma fille veut devenir peintre comme Monet 😅 on a acheté des pinceaux"),
    ("positive", "Vernissage jeudi à la galerie : le peintre {artist} et ses paysages de Loire"),
    ("positive", "Joyeux anniversaire Martin 🎂 !! profite bien"),
    ("negative", "Mon collègue Martin a repeint son bureau en vert pomme, au secours 😂"),
    ("neutral", "Quelqu'un a vu un chat tigré quartier {quarter} ? Il s'appelle Pixel 😿"),
    ("negative", "J'ai repeint ma chambre ce week-end, plus jamais, mes bras 😩"),
    ("neutral", "Conseil du jour : le scotch de peintre bleu > tout le reste"),
    ("neutral", "Lundi matin, café et motivation zéro ☕"),
    ("positive", "Les Accroche-Cœurs cette année ça va être énorme"),
    ("neutral", "Qui a un escabeau à prêter vers {place} ? 🙏"),
    ("positive", "Balade à vélo le long de la Maine ce matin, le bonheur"),
    ("negative", "Le prix du plein ... je vais finir à pied"),
    (
        "neutral",
        "Je regarde une série sur des peintres flamands, vous avez d'autres recos de docu ?",
    ),
    ("positive", "Enfin les vacances 🙌"),
    ("negative", "Panne d'électricité dans tout le quartier {quarter}, super 🙃"),
    ("neutral", "c'est moi ou il y a de plus en plus de trottinettes en ville"),
)
NOISE_FR = (
    *NOISE_FR,
    ("positive", "[Ce soir|Demain|Samedi|Dimanche] {event} à {place}, {mood_pos}"),
    ("negative", "{event} [de ce week-end|de samedi] à {place} : {mood_neg} 🙄"),
    ("neutral", "Quelqu'un sait à quelle heure commence le {event} [à|vers] {place}{q_end}"),
    (
        "positive",
        "[Meilleur|Super|Très chouette] {event} [hier|ce matin|ce midi] à {place}, [merci aux bénévoles|à refaire|on a adoré]",
    ),
    (
        "negative",
        "[Trois|Deux|Quatre] [heures|semaines|jours] que j'attends [un technicien|le livreur|la fibre|mon colis], [je craque|on est où là|super le service]",
    ),
    (
        "neutral",
        "[Je cherche|Cherche] [un appart|une coloc|un T2|une maison à louer] sur {place}, [si vous avez des plans|des idées|partagez]{q_end}",
    ),
    (
        "positive",
        "[Premier|Enfin un] [apéro|pique-nique|barbecue] [en terrasse|au bord de la Maine|dans le jardin] de l'année 🍻",
    ),
    (
        "neutral",
        "Vous mettez [combien de temps|combien d'heures] pour [aller à Nantes|traverser Angers|rejoindre Paris] le [matin|vendredi soir]{q_end}",
    ),
    (
        "negative",
        "Le [bus|tram|train] en retard [encore|pour changer|3e fois cette semaine], [merci|bravo|au top] 🙃",
    ),
)
# Homonyms of the boss: rare, and meant to trip naive matching.
HOMONYMS_FR: tuple[Template, ...] = (
    (
        "neutral",
        "Le peintre Julien Martin expose ses toiles à la galerie du Ralliement, j'ai bien aimé les marines",
    ),
    ("neutral", "Julien Martin, l'humoriste, passe au Quai ce soir, quelqu'un y va{q_end}"),
)
OWNER_FR: tuple[Template, ...] = (
    (
        "positive",
        "Merci {owner} pour les conseils couleur, le {paint_color} rend trop bien dans {room} 🎨",
    ),
    (
        "positive",
        "Belle rencontre avec {owner}, artisan peintre à {place}, qui forme deux apprentis cette année",
    ),
    (
        "positive",
        "{owner} de {brand} au forum des métiers du lycée ce matin, super échange avec les élèves sur le métier de peintre",
    ),
    ("neutral", "{owner} vous faites toujours les devis le samedi matin{q_end}"),
)
NOISE_EN: tuple[Template, ...] = (
    ("positive", "Angers castle at sunset, just wow 😍 #Loire #France"),
    ("positive", "Day trip to Saumur, the wine caves were amazing 🍷"),
    ("negative", "French bureaucracy strikes again 🙃 third visit to the prefecture"),
    ("neutral", "Does anyone know if the Angers tram runs on Sundays?"),
    (
        "neutral",
        "Learning French: 'peinture' is paint, 'peintre' is painter... and 'pain' is bread. Chaos.",
    ),
    ("negative", "Watching the football, SCO lost again lol"),
    ("positive", "Best croissant in town? Still searching 🥐"),
    ("neutral", "Is it normal that every shop closes for lunch here? Asking for a friend"),
    ("positive", "The Loire à Vélo route is honestly the best thing about living here 🚲"),
    ("negative", "Rain. Again. Loire Valley, I thought you were sunny"),
    ("neutral", "Anyone else watching the debate tonight?"),
    (
        "positive",
        "Finally finished painting the spare room myself. Never again, but it looks great",
    ),
    ("neutral", "Martin from next door just lent us his ladder, French neighbours are the best"),
)
SPAM: tuple[str, ...] = (
    "🔥 DEVIS GRATUIT 🔥 Rénovation façade, toiture, isolation à 1€ !! Angers et tout le 49 📞 Cliquez ici {url} #renovation #Angers",
    "Gagnez un bon d'achat de 500€ 🎁 RT + follow et c'est peut-être vous ! {url}",
    "💰 Gagnez 3000€/semaine depuis chez vous, DM moi 💰 {url}",
    "{brand} boostez votre visibilité : +5000 abonnés en 48h 🚀 {url}",
)
