"""Day 11: a complaint about Peintures Martin goes viral over about six hours.

12:30 (Paris) a neighbour posts photos of sanding dust from an old façade in a courtyard
where children play, and a rude answer from a worker. An influencer quotes it, replies and
reposts pile up, a local journalist asks questions, the newspaper writes, and at 17:45 the
business answers. Volume rises, peaks mid-afternoon and fades after the answer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from veille.demo.clock import at_local
from veille.demo.content import DayWriter
from veille.demo.drafts import Draft
from veille.demo.ids import news_url
from veille.demo.people import Person
from veille.demo.phrases import Template

CRISIS_START = (12, 31)
ANSWER_AT = (17, 45)
# Crisis posts per hour from 12:00 (root at 12:31): rising, a peak, then fading after 17:45.
HOURLY = (5, 18, 60, 64, 42, 28, 8, 4, 2)
_STREET = "rue Bressigny"

ROOT = (
    "Les peintres de {brand} ont poncé la façade de l'immeuble {street} SANS bâche ni "
    "aspiration. De la poussière de vieille peinture (au plomb ??) partout dans la cour où "
    "jouent les enfants. Quand j'ai demandé, le gars m'a répondu de « rentrer chez moi ». "
    "Scandaleux. #Angers"
)
OUTRAGE: tuple[Template, ...] = (
    ("negative", "C'est dingue ça !! {brand} vous avez une explication ?"),
    ("negative", "Du plomb près des enfants ?? 😱 faut appeler l'ARS direct"),
    ("negative", "J'habite à côté, j'ai vu le nuage de poussière hier, c'était horrible"),
    ("negative", "Honteux. Et le mec qui vous envoie bouler en plus..."),
    ("negative", "Signalé à la mairie. Inadmissible de bosser comme ça"),
    ("negative", "Partagez, faut que ça se sache"),
    ("negative", "Je les avais contactés pour un devis, je vais annuler direct"),
    ("negative", "Et après on s'étonne que les gens fassent plus confiance aux artisans 😡"),
    (
        "negative",
        "Mais {brand} c'est pas eux qui se vantent d'être « soigneux » sur leur site ? 🤡",
    ),
    ("negative", "Mes enfants jouent dans cette cour aussi. Je suis furieuse."),
    ("negative", "{brand} répondez au lieu de vous cacher"),
    ("negative", "Boycott {brand} 👎"),
    ("negative", "C'est quelle entreprise ? Je veux savoir qui éviter"),
    ("negative", "Faut porter plainte, le ponçage de peinture au plomb c'est hyper encadré"),
)
DOUBT: tuple[Template, ...] = (
    ("neutral", "Attendons la version de l'entreprise avant de lyncher tout le monde"),
    ("neutral", "On sait même pas si c'est du plomb, il faut un diagnostic"),
    ("positive", "J'ai bossé avec {brand} l'an dernier, toujours carré. Bizarre cette histoire"),
    ("neutral", "Quelqu'un a plus d'infos ? C'est où exactement ?"),
    ("neutral", "Ça arrive qu'un ouvrier dérape, reste à voir ce que fait la boîte"),
)
QUOTES: tuple[Template, ...] = (
    ("negative", "Voilà pourquoi il faut toujours vérifier les artisans 😡"),
    ("negative", "Bon. {brand} il va falloir s'expliquer là. Des enfants quoi."),
    ("negative", "Angevins, vous connaissez ? Ça fait froid dans le dos"),
    ("negative", "Ça se passe à Angers, et personne ne réagit ?"),
)
ELSEWHERE: tuple[Template, ...] = (
    (
        "negative",
        "Vous avez vu l'histoire de {brand} à Angers ? Poussière de plomb dans une cour "
        "d'immeuble avec des enfants...",
    ),
    ("negative", "Le chantier de {brand} {street} fait scandale, et franchement il y a de quoi"),
    ("neutral", "Ça chauffe pour {brand} sur les réseaux, quelqu'un sait ce qui s'est passé ?"),
)  # fmt: skip
AFTER_ANSWER: tuple[Template, ...] = (
    ("positive", "Merci pour la réponse rapide, c'est la moindre des choses"),
    ("negative", "Trop facile les excuses maintenant que ça a fait le buzz"),
    ("neutral", "Bonne réaction, à voir les résultats du diagnostic"),
    ("negative", "Et les enfants qui ont respiré ça, on leur dit quoi ?"),
)
ANSWER = (
    "Nous avons vu vos messages sur notre chantier {street}. Le ponçage est arrêté depuis cet "
    "après-midi, un diagnostic plomb est demandé et nous avons contacté la riveraine pour la "
    "rencontrer. Le comportement de notre salarié n'est pas acceptable : toutes nos excuses. "
    "{owner}, gérant"
)


class CrisisWriter:
    """Writes the crisis into the builder; `day` is the crisis day (Paris calendar)."""

    def __init__(self, writer: DayWriter, day: date) -> None:
        self.w = writer
        self.b = writer.b
        self.rng = writer.rng
        self.day = day
        self.answer_at = at_local(day, *ANSWER_AT)
        self.answers: list[Draft] = []

    def crisis_post(
        self,
        templates: tuple[Template, ...],
        *,
        at: datetime,
        network: str,
        parent: Draft | None = None,
        quoted: Draft | None = None,
        author: Person | None = None,
    ) -> Draft:
        entities = {"brand": self.b.brand_form(network), "street": _STREET}
        sentiment = self.rng.choice(templates)[0]
        chosen = self.rng.choice([t for t in templates if t[0] == sentiment])
        intents = ("crisis", "complaint") if sentiment == "negative" else ("crisis",)
        if "?" in chosen[1]:
            intents = (*intents, "question")
        return self.w.write(
            (chosen,),
            kind="crisis",
            author=author,
            intents=intents,
            network=network,
            parent=parent,
            quoted=quoted,
            at=at,
            entities=entities,
            refers={"brand": "business"},
            about_business=True,
            tags=("#Angers", "#scandale"),
        )

    def run(self) -> None:
        root = self.root()
        self.answer(root)
        self.journalist(root)
        self.newspaper()
        # The influencer whose quote makes it take off.
        boost = self.crisis_post(QUOTES[1:2], at=at_local(self.day, 13, 38), network="x",
                                 quoted=root, author=self.b.cast.special("humour"))  # fmt: skip
        boost.likes = 2400
        start = at_local(self.day, 12, 0)
        for hour, count in enumerate(HOURLY):
            for _ in range(count):
                at = start + timedelta(hours=hour, seconds=self.rng.randrange(3600))
                if at <= root.created_at:
                    at = root.created_at + timedelta(seconds=self.rng.randrange(60, 1800))
                self.reaction(root, at)

    def root(self) -> Draft:
        author = self.b.cast.special("complainer")
        at = at_local(self.day, *CRISIS_START)
        text, named = self.b.compose(
            ROOT,
            lang="fr",
            sentiment="negative",
            entities={"brand": "@peinturesmartin", "street": _STREET},
            casual=0.3,
        )
        return self.b.add(
            network="x",
            author=author,
            created_at=at,
            text=text,
            lang="fr",
            kind="crisis",
            sentiment="negative",
            intents=("crisis", "complaint"),
            referents=["business"] if "brand" in named else [],
            about_business=True,
            media=["photo", "photo", "video"],
        )

    def reaction(self, root: Draft, at: datetime) -> Draft:
        after = at > self.answer_at
        roll = self.rng.random()
        if roll < 0.3:
            return self.b.repost(root, self.w.someone("x", "fr"), at - root.created_at)
        if roll < 0.38:
            return self.crisis_post(QUOTES, at=at, network="x", quoted=root)
        if roll < 0.5:
            network = self.rng.choice(("bluesky", "mastodon", "x"))
            return self.crisis_post(ELSEWHERE, at=at, network=network)
        bank = AFTER_ANSWER if after else (DOUBT if roll < 0.6 else OUTRAGE)
        parent = self.answers[0] if after and self.rng.random() < 0.5 else root
        if parent.created_at >= at:
            parent = root
        return self.crisis_post(bank, at=at, network="x", parent=parent)

    def journalist(self, root: Draft) -> None:
        author = self.b.cast.special("journalist")
        at = at_local(self.day, 15, 22)
        self.b.add(
            network="x", author=author, created_at=at, parent=root,
            text="Bonjour, Claire Besnard, journaliste à L'Écho d'Anjou. Pourriez-vous me "
            "contacter en DM ? Merci", lang="fr", kind="crisis", sentiment="neutral",
            intents=("crisis", "question"), about_business=True,
        )  # fmt: skip
        self.b.add(
            network="x", author=author, created_at=at + timedelta(minutes=6),
            text=f"@peinturesmartin bonjour, pouvez-vous me joindre au sujet de votre chantier "
            f"{_STREET} ? Claire Besnard, L'Écho d'Anjou", lang="fr", kind="crisis",
            sentiment="neutral", intents=("crisis", "question"), referents=["business"],
        )  # fmt: skip

    def newspaper(self) -> None:
        title = (
            "Angers : un chantier de peinture mis en cause après des poussières "
            "près d'une cour d'enfants"
        )
        summary = (
            "Une riveraine de la rue Bressigny dénonce le ponçage d'une façade sans protection. "
            "L'entreprise Peintures Martin, sollicitée, indique avoir suspendu le chantier."
        )
        at = at_local(self.day, 18, 5)
        url = news_url("echo-anjou.fr", "angers", at, title, self.rng.randrange(100_000, 999_999))
        article = self.b.add(
            network="news", author=self.b.cast.outlets["echo"], created_at=at,
            text=f"{title}\n\n{summary}", lang="fr", kind="crisis", sentiment="negative",
            intents=("crisis",), referents=["business"], urls=[url], media=["link_card"],
        )  # fmt: skip
        for network in ("x", "bluesky", "mastodon"):
            shown, full = self.b.short_link(url, network)
            self.b.add(
                network=network, author=self.b.cast.special("newspaper", network),
                created_at=at + timedelta(minutes=self.rng.randrange(3, 12)),
                text=f"📰 {title} {shown}", lang="fr", kind="crisis", sentiment="negative",
                intents=("crisis",), about_business=True, urls=[full], media=["link_card"],
            )  # fmt: skip
        del article

    def answer(self, root: Draft) -> None:
        for network in ("x", "bluesky"):  # the X answer comes first: replies go under it
            entities = {"street": _STREET, "owner": "Julien Martin"}
            text, _ = self.b.compose(
                ANSWER, lang="fr", sentiment="neutral", casual=0.0, entities=entities
            )
            answer = self.b.add(
                network=network, author=self.b.cast.special("business", network),
                created_at=self.answer_at + timedelta(minutes=2 if network == "bluesky" else 0),
                text=text, lang="fr", kind="business_reply", sentiment="neutral",
                intents=("crisis",), about_business=True, referents=["owner"],
                parent=root if network == "x" else None,
            )  # fmt: skip
            self.answers.append(answer)
        complainer = self.b.cast.special("complainer")
        self.b.add(
            network="x", author=complainer, created_at=self.answer_at + timedelta(minutes=41),
            parent=root, text="Ils m'ont appelée. Rendez-vous demain sur place. À suivre.",
            lang="fr", kind="crisis", sentiment="neutral", intents=("crisis",),
            about_business=True,
        )  # fmt: skip
