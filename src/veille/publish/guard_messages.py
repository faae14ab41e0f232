"""The guard's explanations, in French and English. Each says what was seen and why it matters;
`{term}` is the text concerned, the other fields are named in the template."""

from __future__ import annotations

from veille.publish.guard_models import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    "politics_named": (
        "« {term} » fait entrer le message dans la politique : une partie de vos clients "
        "peut le lire comme une prise de position de l'entreprise.",
        '"{term}" brings the post into politics: some customers may read it as the '
        "business taking sides.",
    ),
    "politics_stance": (
        "Prise de position politique (« {term} ») : c'est le genre de message qui divise "
        "vos clients et qu'on vous ressortira. Publiez-le seulement si c'est un choix assumé.",
        'Political stance ("{term}"): this kind of post splits your customers and can be '
        "quoted back at you. Publish it only as a deliberate choice.",
    ),
    "politics_term": (
        "« {term} » touche à l'actualité politique : vérifiez que le message reste neutre.",
        '"{term}" touches on political news: check the post stays neutral.',
    ),
    "groups": (
        "« {term} » vise un groupe de personnes avec mépris : une partie de vos clients en "
        "fait partie ou s'en sentira visée.",
        '"{term}" targets a group of people with scorn: some of your customers belong to it '
        "or will feel targeted.",
    ),
    "groups_general": (
        "« {term} » met tout un groupe dans le même sac : ce genre de généralité passe pour "
        "du mépris, même dit en passant.",
        '"{term}" lumps a whole group together: such generalisations read as contempt, even '
        "said in passing.",
    ),
    "mockery": (
        "« {term} » : la blague se fait aux dépens de quelqu'un. Celui qui est visé (ou qui "
        "s'y reconnaît) ne rira pas, et la capture circulera.",
        '"{term}": the joke is at someone\'s expense. Whoever is targeted (or recognises '
        "themselves) will not laugh, and the screenshot will travel.",
    ),
    "religion": (
        "« {term} » parle de religion, un sujet sensible : un message d'entreprise peut y "
        "être mal reçu ou mal interprété.",
        '"{term}" is about religion, a sensitive subject: a business post about it can be '
        "badly received or misread.",
    ),
    "religion_factual": (
        "« {term} » : mention religieuse factuelle, en général sans problème ; vérifiez le ton.",
        '"{term}": a factual religious mention, usually fine; check the tone.',
    ),
    "sarcasm": (
        "« {term} » sonne ironique ou sarcastique : à l'écrit, sans le ton de la voix, "
        "l'ironie est souvent prise au premier degré ou comme du mépris.",
        '"{term}" reads as irony or sarcasm: in writing, without a tone of voice, irony is '
        "often taken literally or as contempt.",
    ),
    "humour": (
        "« {term} » signale de l'humour : relisez le message comme un inconnu le lirait.",
        '"{term}" signals a joke: reread the post as a stranger would.',
    ),
    "insult": (
        "« {term} » est une insulte ou un gros mot : publié par une entreprise, il sera "
        "capturé et partagé. À retirer.",
        '"{term}" is an insult or a swear word: from a business account it will be '
        "screenshotted and shared. Remove it.",
    ),
    "aggression": (
        "« {term} » est agressif : une réponse sèche en public donne souvent raison à "
        "l'autre. Répondez calmement, ou en message privé.",
        '"{term}" is aggressive: a curt public reply usually makes the other side look '
        "right. Answer calmly, or in a private message.",
    ),
    "negative_competitor": (
        "Vous dites du mal de « {name} » (« {term} ») : dénigrer un concurrent nommé peut "
        "être du dénigrement au sens de la loi et se retourne souvent contre vous.",
        'You speak ill of "{name}" ("{term}"): disparaging a named competitor can be '
        "unlawful denigration and often backfires.",
    ),
    "negative_person": (
        "Propos négatif sur une personne nommée (« {name} », « {term} ») : risque de "
        "diffamation et d'escalade publique.",
        'Negative statement about a named person ("{name}", "{term}"): risk of defamation '
        "and of a public row.",
    ),
    "negative_generic": (
        "Critique des concurrents (« {name} », « {term} ») : même sans nom, cela peut être "
        "perçu comme du dénigrement.",
        'Criticism of competitors ("{name}", "{term}"): even without a name it can be '
        "seen as denigration.",
    ),
    "phone": (
        "Numéro de téléphone « {term} » : s'il n'est pas celui de l'entreprise, c'est une "
        "donnée personnelle à ne pas publier.",
        'Phone number "{term}": unless it is the business\'s own, it is personal data that '
        "should not be published.",
    ),
    "phone_own": (
        "Numéro de téléphone publié comme contact : vérifiez que c'est bien le bon.",
        "Phone number given as a contact: check it is the right one.",
    ),
    "plate": (
        "Plaque d'immatriculation « {term} » : elle permet d'identifier le propriétaire.",
        'Number plate "{term}": it identifies the owner.',
    ),
    "email": (
        "Adresse e-mail « {term} » : si ce n'est pas celle de l'entreprise, c'est une donnée "
        "personnelle.",
        'E-mail address "{term}": unless it is the business\'s own, it is personal data.',
    ),
    "email_own": (
        "Adresse e-mail publiée comme contact : vérifiez qu'elle est juste.",
        "E-mail address given as a contact: check it is correct.",
    ),
    "iban": (
        "Coordonnées bancaires (IBAN) : ne les publiez jamais dans un message public.",
        "Bank details (IBAN): never publish them in a public post.",
    ),
    "card": (
        "Ce qui ressemble à un numéro de carte bancaire : ne le publiez jamais.",
        "What looks like a payment card number: never publish it.",
    ),
    "social_security": (
        "Ce qui ressemble à un numéro de sécurité sociale : donnée personnelle protégée.",
        "What looks like a French social security number: protected personal data.",
    ),
    "address": (
        "Adresse « {term} » : si c'est celle d'un client ou d'un chantier, vous révélez où "
        "habite quelqu'un.",
        'Address "{term}": if it is a customer\'s or a job site, you reveal where someone lives.',
    ),
    "address_own": (
        "Adresse publiée comme la vôtre : vérifiez qu'elle est juste.",
        "Address given as your own: check it is correct.",
    ),
    "client_listed": (
        "« {term} » est un de vos clients : le nommer en public demande son accord.",
        '"{term}" is one of your clients: naming them in public needs their consent.',
    ),
    "person_named": (
        "Vous nommez une personne (« {term} ») : a-t-elle accepté d'apparaître en public ?",
        'You name a person ("{term}"): have they agreed to appear in public?',
    ),
    "price_public": (
        "Prix « {term} » : normal pour un tarif public ; vérifiez qu'il est à jour et "
        "qu'il précise HT ou TTC.",
        'Price "{term}": fine for a public price list; check it is current and says whether '
        "tax is included.",
    ),
    "price_quote": (
        "Montant « {term} » lié à un devis, une remise ou un client : ces chiffres sont "
        "confidentiels et d'autres clients demanderont le même prix.",
        'Amount "{term}" tied to a quote, a discount or a client: such figures are '
        "confidential and other customers will ask for the same price.",
    ),
    "confidential": (
        "« {term} » : information interne ou confidentielle (salaires, marges, mots de passe, "
        "santé d'un salarié...). Elle n'a rien à faire dans un message public.",
        '"{term}": internal or confidential information (pay, margins, passwords, an '
        "employee's health...). It does not belong in a public post.",
    ),
    "accusation": (
        "« {term} » accuse quelqu'un d'une faute ou d'un délit : sans décision de justice, "
        "c'est un risque de diffamation.",
        '"{term}" accuses someone of wrongdoing or a crime: without a court ruling this is '
        "a defamation risk.",
    ),
    "health_claim": (
        "« {term} » est une allégation de santé : elles sont très encadrées (seul un "
        "médicament peut prétendre soigner) et peuvent valoir une amende.",
        '"{term}" is a health claim: such claims are tightly regulated (only a medicine may '
        "claim to cure) and can bring a fine.",
    ),
    "guarantee": (
        "« {term} » est une promesse ou une garantie absolue : elle vous engage et peut être "
        "jugée trompeuse si elle n'est pas tenue à la lettre.",
        '"{term}" is an absolute promise or guarantee: it binds you and can be judged '
        "misleading if not kept to the letter.",
    ),
    "crisis_promo": (
        "Une alerte de crise est ouverte et ce message fait de la promotion (« {term} ») : "
        "publier une offre pendant une crise paraît indifférent. Attendez ou adaptez.",
        'A crisis alert is open and this post is promotional ("{term}"): an offer during a '
        "crisis looks tone-deaf. Wait, or rework it.",
    ),
    "tone_caps": (
        "Message écrit en majuscules : en ligne, cela se lit comme des cris.",
        "Post written in capitals: online this reads as shouting.",
    ),
    "tone_caps_words": (
        "Mots en majuscules (« {term} ») : ils se lisent comme des cris.",
        'Words in capitals ("{term}"): they read as shouting.',
    ),
    "tone_exclamation": (
        "« {term} » : une rafale de points d'exclamation ou d'interrogation paraît énervée "
        "ou peu professionnelle.",
        '"{term}": a burst of exclamation or question marks looks angry or unprofessional.',
    ),
    "length": (
        "Trop long pour {network} : {count} caractères comptés pour une limite de {limit}. "
        "Le réseau refusera le message : raccourcissez-le ou faites une variante.",
        "Too long for {network}: {count} characters counted for a limit of {limit}. The "
        "network will refuse it: shorten it or write a variant.",
    ),
    "link_malformed": (
        "Le lien « {term} » semble mal formé : il ne mènera nulle part.",
        'The link "{term}" looks malformed: it will lead nowhere.',
    ),
    "link_cost": (
        "Lien sur {network} : avec la tarification à l'usage de l'API de {network}, "
        "un message qui contient un lien coûte bien plus cher (plusieurs fois le prix) "
        "qu'un message sans lien. Gardez-le seulement s'il est utile.",
        "Link on {network}: under {network}'s pay-per-use API pricing, "
        "a post containing a link costs many times as much as one without. "
        "Keep it only if it is worth it.",
    ),
    "hashtags": (
        "{count} hashtags : au-delà de 3, le message ressemble à de la publicité ou à du "
        "spam et se lit moins.",
        "{count} hashtags: beyond 3 a post looks like an ad or spam and gets read less.",
    ),
    "late_night": (
        "Publication prévue à {time} (heure locale, {zone}) : un message d'entreprise en "
        "pleine nuit surprend et une réaction éventuelle attendra le matin.",
        "Scheduled for {time} local time ({zone}): a business post in the middle of the "
        "night surprises, and any reaction will wait till morning.",
    ),
    "control_chars": (
        "Caractère invisible ou de contrôle ({term}) : il peut masquer ou inverser du texte, "
        "ou faire refuser le message. Retirez-le.",
        "Invisible or control character ({term}): it can hide or reverse text, or get the "
        "post refused. Remove it.",
    ),
    "empty": (
        "Le brouillon est vide : il n'y a rien à publier.",
        "The draft is empty: there is nothing to publish.",
    ),
    # The learned risk model (guard_learned.py): {what} names the risk, {score} its probability.
    "learned": (
        "« {term} » se lit comme {what_fr} (modèle appris sur des brouillons étiquetés, "
        "probabilité {score}) : aucun mot de nos listes, mais des messages de ce genre ont fait "
        "des couacs. Relisez ce passage comme un client qui ne vous connaît pas.",
        '"{term}" reads as {what_en} (model learned from labelled drafts, probability '
        "{score}): no word of our lists, but posts like this one have backfired. Reread this "
        "passage as a customer who does not know you would.",
    ),
}


def explain(key: str, lang: Lang, **fields: str) -> str:
    """The explanation `key` in `lang`, with its fields filled in."""
    french, english = MESSAGES[key]
    return (french if lang == "fr" else english).format(**fields)
