"""An ordinary day of conversation: customers, leads, jobs, rivals, news and noise."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from veille.demo import phrases as ph
from veille.demo.business import AREA_COMMUNES
from veille.demo.clock import Rhythm, is_weekend, reply_delay, sample_moment
from veille.demo.drafts import Builder, Draft
from veille.demo.ids import news_url
from veille.demo.people import OUTLETS, Person

SOCIAL_WEIGHTS = (("x", 63), ("bluesky", 21), ("mastodon", 16))
_AREA_WEIGHTS = (30, 6, 6, 5, 4, 3, 3, 2, 2, 2, 2, 2)
_ANYWHERE = (*AREA_COMMUNES, "Saumur", "Cholet", "Segré", "Nantes", "Paris")
_SOCIAL_HASHTAGS = ("#Angers", "#Anjou", "#49", "#MaineEtLoire")
_HOME_HASHTAGS = ("#peinture", "#renovation", "#deco", "#travaux", "#Angers")
_BUSINESS_KINDS = ("business", "chain", "craftsman")
_OUTLET_SECTIONS = {"local": "angers", "regional": "maine-et-loire", "trade": "metiers"}


def _count(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, mean**0.5))) if mean > 0 else 0


def _network(rng: random.Random) -> str:
    return rng.choices([n for n, _ in SOCIAL_WEIGHTS], weights=[w for _, w in SOCIAL_WEIGHTS])[0]


def area_place(rng: random.Random) -> str:
    return rng.choices(AREA_COMMUNES, weights=_AREA_WEIGHTS)[0]


def _casual(rng: random.Random) -> float:
    return rng.uniform(0.3, 0.95)


class DayWriter:
    """Writes one calendar day of posts into the builder."""

    def __init__(self, builder: Builder, day: date) -> None:
        self.b = builder
        self.rng = builder.rng
        self.day = day
        self.weekend = is_weekend(day)
        self.article_number = self.rng.randrange(100_000, 999_999)

    # -- helpers ---------------------------------------------------------------------------

    def when(self, rhythm: Rhythm = "social") -> datetime:
        return sample_moment(self.rng, self.day, rhythm)

    def someone(self, network: str, lang: str) -> Person:
        return self.b.cast.pick(self.rng, network, lang)

    def target(self, who: str, network: str) -> str:
        return self.b.brand_form(network) if who == "business" else self.b.comp_form(who, network)

    def write(
        self,
        templates: Sequence[ph.Template],
        *,
        kind: str,
        intents: Sequence[str],
        lang: str = "fr",
        network: str | None = None,
        author: Person | None = None,
        entities: dict[str, str] | None = None,
        refers: dict[str, str] | None = None,
        at: datetime | None = None,
        rhythm: Rhythm = "social",
        tags: Sequence[str] = _SOCIAL_HASHTAGS,
        casual: float | None = None,
        parent: Draft | None = None,
        media: Sequence[str] = (),
        link: str | None = None,
        about_business: bool | None = None,
        quoted: Draft | None = None,
    ) -> Draft:
        network = network or (parent.network if parent else _network(self.rng))
        author = author or self.someone(network, lang)
        sentiment, template = self.rng.choice(templates)
        entities = dict(entities or {})
        urls: list[str] = []
        if link is not None:
            shown, full = self.b.short_link(link, network)
            entities["url"] = shown
            urls.append(full)
        text, named = self.b.compose(
            template,
            lang=lang,
            sentiment=sentiment,
            entities=entities,
            casual=_casual(self.rng) if casual is None else casual,
            tags=tags,
        )
        if "url" not in named:
            urls = []
        referents = [(refers or {})[slot] for slot in named if slot in (refers or {})]
        return self.b.add(
            network=network,
            author=author,
            created_at=at or self.when(rhythm),
            text=text,
            lang=lang,
            kind=kind,
            sentiment=sentiment,
            intents=intents,
            referents=referents,
            parent=parent,
            quoted=quoted,
            urls=urls,
            media=media,
            about_business=about_business,
        )

    def replies(self, root: Draft, count: int, banks: Sequence[Sequence[ph.Template]]) -> None:
        """Answers under `root`, each to the root or to an earlier answer of the thread."""
        thread = [root]
        for _ in range(count):
            parent = thread[-1] if len(thread) > 1 and self.rng.random() < 0.3 else root
            at = parent.created_at + reply_delay(self.rng)
            bank = self.rng.choice(banks)
            lang = root.lang if root.lang == "en" else "fr"
            entities, refers = self.reply_entities(root.network)
            sentiment, template = self.rng.choice(bank)
            kind, intents = _reply_kind(bank, sentiment)
            if lang == "en":
                sentiment, template, kind, intents = "neutral", "{react_en}", "noise", ("other",)
            reply = self.write(
                ((sentiment, template),),
                kind=kind,
                intents=intents,
                lang=lang,
                parent=parent,
                at=at,
                entities=entities,
                refers=refers,
                tags=(),
            )
            thread.append(reply)

    def reply_entities(self, network: str) -> tuple[dict[str, str], dict[str, str]]:
        rival = self.rng.choice(("chain", "craftsman"))
        entities = {
            "brand": self.b.brand_form(network),
            "comp": self.b.comp_form(rival, network),
            "place": area_place(self.rng),
        }
        return entities, {"brand": "business", "comp": rival}

    def business_answer(self, root: Draft, topic: str) -> None:
        """The business (or its boss) answers on X or Bluesky, within working hours."""
        if root.network not in ("x", "bluesky"):
            return
        key = "owner" if root.network == "x" and self.rng.random() < 0.25 else "business"
        author = self.b.cast.special(key, root.network)
        at = root.created_at + reply_delay(self.rng) * 3
        template = self.rng.choice(ph.BUSINESS_REPLIES[topic])
        link = "https://www.peintures-martin.fr/devis"
        self.write(
            (("positive" if topic != "complaint" else "neutral", template),),
            kind="business_reply",
            intents=("other",),
            parent=root,
            author=author,
            at=at,
            entities={"place": area_place(self.rng)},
            casual=0.05,
            tags=(),
            link=link,
        )

    def article(
        self,
        articles: Sequence[ph.Article],
        *,
        kind: str,
        scope: str,
        referents: Sequence[str] = (),
        competitor: str | None = None,
    ) -> Draft:
        """A news article: the outlet is the author, the URL is the id, title + summary the text."""
        outlet = self.rng.choice([o for o in OUTLETS if o.scope == scope])
        sentiment, title, summary = self.rng.choice(articles)
        title, _ = self.b.compose(title, lang=outlet.lang, sentiment=sentiment, entities={},
                                  casual=0.0)  # fmt: skip
        summary, _ = self.b.compose(summary, lang=outlet.lang, sentiment=sentiment, entities={},
                                    casual=0.0)  # fmt: skip
        at = self.when("news")
        self.article_number += self.rng.randrange(1, 40)
        section = _OUTLET_SECTIONS.get(scope, "france")
        url = news_url(outlet.domain, section, at, title, self.article_number)
        return self.b.add(
            network="news",
            author=self.b.cast.outlets[outlet.key],
            created_at=at,
            text=f"{title}\n\n{summary}",
            lang=outlet.lang,
            kind=kind,
            sentiment=sentiment,
            intents=("other",),
            referents=referents,
            competitor=competitor,
            urls=[url],
            media=["link_card"] if self.rng.random() < 0.6 else [],
        )

    def share(self, article: Draft, author: Person, network: str, comment: str) -> Draft:
        """A social post linking to an article: same kind and watches as the article."""
        title = article.text.split("\n", 1)[0]
        shown, full = self.b.short_link(article.urls[0], network)
        return self.b.add(
            network=network,
            author=author,
            created_at=article.created_at + timedelta(minutes=self.rng.randrange(2, 90)),
            text=f"{comment}{title} {shown}".strip(),
            lang=article.lang,
            kind=article.kind,
            sentiment=article.sentiment,
            intents=article.intents,
            competitor=article.competitor,
            referents=[w for w in ("chain",) if article.competitor == "Couleurs de Loire"],
            urls=[full],
            media=["link_card"],
        )

    def maybe_reposts(self, draft: Draft, chance: float, most: int = 3) -> None:
        if draft.network != "x" or self.rng.random() >= chance:
            return
        for _ in range(self.rng.randint(1, most)):
            who = self.someone("x", draft.lang)
            if who.username != draft.author.username:
                self.b.repost(draft, who, reply_delay(self.rng, fast=True))

    # -- the day's content ---------------------------------------------------------------

    def run(self) -> None:
        w = self.weekend
        for _ in range(_count(self.rng, 2.6)):
            self.customer_post("praise", "business")
        for _ in range(_count(self.rng, 2.0)):
            self.customer_post("praise", self.rng.choice(("chain", "craftsman")))
        for _ in range(_count(self.rng, 0.9)):
            self.customer_post("complaint", "business")
        for _ in range(_count(self.rng, 1.6)):
            self.customer_post("complaint", self.rng.choice(("chain", "craftsman")))
        for _ in range(_count(self.rng, 2.0)):
            self.customer_post("question", "business")
        for _ in range(_count(self.rng, 1.5)):
            self.customer_post("question", self.rng.choice(("chain", "craftsman")))
        for _ in range(_count(self.rng, 0.9)):
            self.owner_mention()
        for _ in range(_count(self.rng, 4.5 if w else 3.5)):
            self.lead()
        for _ in range(_count(self.rng, 5.0)):
            self.non_lead()
        for _ in range(_count(self.rng, 2.0 if w else 6.0)):
            self.job()
        for _ in range(_count(self.rng, 1.0 if w else 3.0)):
            self.competitor_news()
        for _ in range(_count(self.rng, 5.0 if w else 13.0)):
            self.sector_news()
        for _ in range(_count(self.rng, 8.0 if w else 14.0)):
            self.local_news()
        for _ in range(_count(self.rng, 0.8 if w else 2.2)):
            self.business_post()
        for _ in range(_count(self.rng, 84.0 if w else 74.0)):
            self.noise()
        for _ in range(_count(self.rng, 2.0)):
            self.spam(self.rng.choice(ph.SPAM[1:]))
        if self.rng.random() < 0.06 or (w and self.rng.random() < 0.2):
            self.business_thread()
        if self.rng.random() < 0.25:
            self.spam(ph.SPAM[0], copies=self.rng.randint(4, 12))

    def customer_post(self, intent: str, who: str) -> None:
        lang = "en" if self.rng.random() < 0.08 else "fr"
        banks = {
            "praise": (ph.PRAISE_FR, ph.PRAISE_EN),
            "complaint": (ph.COMPLAINT_FR, ph.COMPLAINT_EN),
            "question": (ph.QUESTION_FR, ph.QUESTION_EN),
        }[intent]
        network = _network(self.rng)
        entities = {"target": self.target(who, network), "place": area_place(self.rng)}
        media = ["photo"] if intent == "praise" and self.rng.random() < 0.45 else []
        post = self.write(
            banks[0] if lang == "fr" else banks[1],
            kind=intent,
            intents=(intent,),
            lang=lang,
            network=network,
            entities=entities,
            refers={"target": who},
            rhythm="work" if intent != "praise" else "social",
            tags=_HOME_HASHTAGS,
            media=media,
        )
        reply_banks = {
            "praise": (ph.PRAISE_REPLIES,),
            "complaint": (ph.COMPLAINT_REPLIES,),
            "question": (ph.QUESTION_REPLIES, ph.LEAD_REPLIES_OTHER),
        }[intent]
        if self.rng.random() < 0.55:
            self.replies(post, self.rng.randint(1, 4), reply_banks)
        if who == "business" and self.rng.random() < 0.6:
            self.business_answer(post, intent)
        self.maybe_reposts(post, 0.15)

    def owner_mention(self) -> None:
        network = self.rng.choice(("x", "x", "bluesky"))
        post = self.write(
            ph.OWNER_FR,
            kind="praise",
            intents=("praise",),
            network=network,
            entities={
                "owner": self.b.owner_form(network),
                "brand": self.b.brand_form(network),
                "place": area_place(self.rng),
            },
            refers={"owner": "owner", "brand": "business"},
            rhythm="work",
            about_business=True,
        )
        if post.sentiment == "neutral":
            post.kind, post.intents = "question", ("question",)
        if network == "x" and self.rng.random() < 0.5:
            self.business_answer(post, "praise" if post.kind == "praise" else "question")

    def lead(self) -> None:
        lang = "en" if self.rng.random() < 0.1 else "fr"
        post = self.write(
            ph.LEAD_FR if lang == "fr" else ph.LEAD_EN,
            kind="lead",
            intents=("lead", "question"),
            lang=lang,
            entities={"place": area_place(self.rng)},
            rhythm="social",
            tags=("#Angers", "#travaux", "#peinture"),
        )
        if self.rng.random() < 0.8:
            banks = (ph.LEAD_REPLIES_BRAND, ph.LEAD_REPLIES_COMP, ph.LEAD_REPLIES_OTHER)
            self.replies(post, self.rng.randint(1, 6), banks)
        if self.rng.random() < 0.3:
            self.business_answer(post, "lead")
        self.maybe_reposts(post, 0.2)

    def non_lead(self) -> None:
        roll = self.rng.random()
        if roll < 0.35:  # a painter, but far away
            templates, place = ph.LEAD_FR, self.rng.choice(ph.BANKS["far_painter_place"])
        elif roll < 0.75:
            templates, place = ph.OTHER_TRADE_FR, self.rng.choice(_ANYWHERE)
        elif roll < 0.88:
            templates, place = ph.ARTIST_REQUEST_FR, area_place(self.rng)
        else:
            templates, place = ph.DIY_REQUEST_FR, area_place(self.rng)
        post = self.write(
            templates,
            kind="non_lead_request",
            intents=("question",),
            entities={"place": place},
            tags=(),
        )
        if self.rng.random() < 0.5:
            self.replies(post, self.rng.randint(1, 3), (ph.LEAD_REPLIES_OTHER,))

    def job(self) -> None:
        roll = self.rng.random()
        if roll < 0.07:
            self.write(ph.JOB_EN, kind="job", intents=("job",), lang="en", network="x",
                       author=self.b.cast.special("business"), casual=0.0, tags=(),
                       link="https://www.peintures-martin.fr/recrutement")  # fmt: skip
            return
        if roll < 0.55:
            hirer = self.rng.choice(
                ("business", "chain", "craftsman", "jobs", "jobs", "artisans49")
            )
            network = "x"
            author = self.b.cast.special(hirer, network)
            who = hirer if hirer in _BUSINESS_KINDS else self.rng.choice(_BUSINESS_KINDS)
            entities = {"target": self.target(who, network), "place": area_place(self.rng)}
            templates = ph.JOB_HIRING_FR
            if hirer in _BUSINESS_KINDS:  # a firm advertises its own jobs only
                templates = tuple(t for t in templates if "{target}" in t[1])
            self.write(
                templates,
                kind="job",
                intents=("job",),
                network=network,
                author=author,
                entities=entities,
                refers={"target": who},
                rhythm="work",
                casual=0.05,
                tags=("#emploi", "#recrutement"),
                link=f"https://emploi-anjou.fr/offre/{self.rng.randrange(10_000, 99_999)}",
            )
            return
        self.write(
            ph.JOB_SEEKING_FR,
            kind="job",
            intents=("job",),
            entities={"place": area_place(self.rng)},
            tags=("#emploi", "#alternance", "#Angers"),
        )

    def competitor_news(self) -> None:
        roll = self.rng.random()
        if roll < 0.45:
            network = self.rng.choice(("x", "x", "bluesky"))
            self.write(ph.CHAIN_NEWS_FR, kind="competitor_news", intents=("other",),
                       network=network, author=self.b.cast.special("chain", network),
                       casual=0.0, tags=(), rhythm="work",
                       link="https://www.couleursdeloire.fr/actus")  # fmt: skip
        elif roll < 0.75:
            self.write(ph.CRAFTSMAN_NEWS_FR, kind="competitor_news", intents=("other",),
                       network="x", author=self.b.cast.special("craftsman"), casual=0.3,
                       tags=(), rhythm="work", media=["photo"])  # fmt: skip
        else:
            art = self.article(ph.CHAIN_ARTICLES_FR, kind="competitor_news", scope="regional",
                               referents=("chain",), competitor="Couleurs de Loire")  # fmt: skip
            if self.rng.random() < 0.5:
                self.share(art, self.b.cast.special("newspaper"), "x", "")

    def sector_news(self) -> None:
        roll = self.rng.random()
        if roll < 0.45:
            english = self.rng.random() < 0.12
            art = self.article(
                ph.SECTOR_ARTICLES_EN if english else ph.SECTOR_ARTICLES_FR,
                kind="sector_news",
                scope="english" if english else "trade",
            )
            if self.rng.random() < 0.4:
                network = self.rng.choice(("x", "bluesky"))
                self.share(art, self.b.cast.special("trade", network), network, "")
            return
        link = f"https://www.batihebdo.fr/actu/{self.rng.randrange(10_000, 99_999)}"
        author = None
        if self.rng.random() < 0.25:
            author = self.b.cast.special(self.rng.choice(("artisans49", "trade")), "x")
        elif self.rng.random() < 0.15:
            author = self.b.cast.special("climate", "mastodon")
        post = self.write(
            ph.SECTOR_SOCIAL_FR,
            kind="sector_news",
            intents=("other",),
            network=author.network if author else None,
            author=author,
            rhythm="work",
            tags=("#btp", "#renovation", "#artisan"),
            link=link,
        )
        if self.rng.random() < 0.3:
            self.replies(post, self.rng.randint(1, 3), (ph.COMPLAINT_REPLIES,))

    def local_news(self) -> None:
        roll = self.rng.random()
        if roll < 0.4:
            art = self.article(ph.LOCAL_ARTICLES_FR, kind="local_news", scope="local")
            if self.rng.random() < 0.5:
                network = self.rng.choice(("x", "x", "bluesky", "mastodon"))
                self.share(art, self.b.cast.special("newspaper", network), network, "📰 ")
            return
        if roll < 0.48:
            self.write(ph.LOCAL_EN, kind="local_news", intents=("other",), lang="en",
                       tags=())  # fmt: skip
            return
        author = self.b.cast.special("city") if self.rng.random() < 0.15 else None
        post = self.write(
            ph.LOCAL_SOCIAL_FR,
            kind="local_news",
            intents=("other",),
            network="x" if author else None,
            author=author,
            tags=("#Angers",),
        )
        if self.rng.random() < 0.35:
            react = (("neutral", "{react_fr}"),)
            self.replies(post, self.rng.randint(1, 4), (react,))
        self.maybe_reposts(post, 0.1)

    def business_post(self) -> None:
        network = self.rng.choice(("x", "x", "bluesky"))
        post = self.write(
            ph.BUSINESS_POSTS_FR,
            kind="business_reply",
            intents=("other",),
            network=network,
            author=self.b.cast.special("business", network),
            entities={"place": area_place(self.rng)},
            rhythm="work",
            casual=0.05,
            tags=(),
            media=["photo"],
            link="https://www.peintures-martin.fr",
        )
        if self.rng.random() < 0.4:
            self.replies(post, self.rng.randint(1, 3), (ph.PRAISE_REPLIES,))
        self.maybe_reposts(post, 0.3)

    def business_thread(self) -> None:
        parts = self.rng.choice(ph.BUSINESS_THREAD_FR)
        author = self.b.cast.special("business", "x")
        place = area_place(self.rng)
        at = self.when("work")
        parent: Draft | None = None
        for part in parts:
            parent = self.write(
                (("positive", part),),
                kind="business_reply",
                intents=("other",),
                network="x",
                author=author,
                entities={"place": place},
                casual=0.0,
                tags=(),
                at=at,
                parent=parent,
                media=["photo"] if parent is None else [],
            )
            at += timedelta(seconds=self.rng.randrange(30, 240))

    def noise(self) -> None:
        if self.rng.random() < 0.05:
            art = self.article(ph.NEWS_NOISE_ARTICLES_FR, kind="noise", scope="local")
            if self.rng.random() < 0.3:
                self.share(art, self.b.cast.special("newspaper"), "x", "")
            return
        lang = "en" if self.rng.random() < 0.2 else "fr"
        author: Person | None = None
        if self.rng.random() < 0.04:
            author = self.b.cast.special(self.rng.choice(("bons_plans", "humour", "owner")), "x")
            lang = "fr"
        templates = ph.NOISE_FR if lang == "fr" else ph.NOISE_EN
        if lang == "fr" and self.rng.random() < 0.006:
            templates = ph.HOMONYMS_FR
        post = self.write(
            templates,
            kind="noise",
            intents=("other",),
            lang=lang,
            network="x" if author else None,
            author=author,
            entities={"place": self.rng.choice(_ANYWHERE)},
            tags=_SOCIAL_HASHTAGS,
        )
        if self.rng.random() < 0.22:
            react = (("neutral", "{react_fr}"),)
            self.replies(post, self.rng.randint(1, 4), (react,))
        self.maybe_reposts(post, 0.08 if author is None else 0.6)

    def spam(self, template: str, copies: int = 0) -> None:
        """A spam post; `copies` more bots post the very same text, labelled as duplicates."""
        link = f"https://bit.ly/{self.rng.randrange(10**6, 10**7):x}"
        entities = {"brand": "@peinturesmartin"}
        first = self.write((("neutral", template),), kind="spam", intents=("other",),
                           network="x", author=self.rng.choice(self.b.cast.bots),
                           entities=entities, refers={"brand": "business"}, casual=0.0,
                           tags=(), link=link, about_business=False)  # fmt: skip
        for _ in range(copies):
            bot = self.rng.choice(self.b.cast.bots)
            later = first.created_at + timedelta(seconds=self.rng.randrange(5, 3 * 3600))
            self.b.copy(first, bot, later)


def _reply_kind(bank: Sequence[ph.Template], sentiment: str) -> tuple[str, tuple[str, ...]]:
    """Label a public reply by the bank it came from."""
    if bank is ph.LEAD_REPLIES_BRAND or bank is ph.LEAD_REPLIES_COMP:
        if sentiment == "neutral":
            return "noise", ("other",)
        return ("praise", ("praise",)) if sentiment == "positive" else ("complaint", ("complaint",))
    if bank is ph.COMPLAINT_REPLIES:
        return ("complaint", ("complaint",)) if sentiment == "negative" else ("noise", ("other",))
    if bank is ph.PRAISE_REPLIES:
        return ("praise", ("praise",)) if sentiment == "positive" else ("question", ("question",))
    return "noise", ("other",)
