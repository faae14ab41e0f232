"""Veille rule text → X filtered-stream rule text, refusing what X cannot run and saying why.

This is a text-level translation (tokens, not an AST): Veille's language is a superset of X's
operators, so a rule that only uses X operators is sent as it is (``AND`` dropped, ``NOT x``
written ``-x``), and any other construct is refused with the reason shown to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Operators of the X API v2 filtered stream (docs.x.com, "Build a rule"), with fixed values
# where X only accepts a list.
X_OPERATORS: frozenset[str] = frozenset(
    {
        "from", "to", "url", "retweets_of", "context", "entity", "conversation_id", "bio",
        "bio_name", "bio_location", "place", "place_country", "point_radius", "bounding_box",
        "is", "has", "lang", "sample", "followers_count", "tweets_count", "following_count",
        "listed_count", "url_title", "url_description", "in_reply_to_tweet_id",
        "retweets_of_tweet_id", "quotes_of_tweet_id", "source", "list",
    }
)  # fmt: skip
_IS_VALUES = frozenset({"retweet", "reply", "quote", "verified", "nullcast"})
_HAS_VALUES = frozenset(
    {"hashtags", "cashtags", "links", "mentions", "media", "images", "videos", "geo"}
)
DEFAULT_MAX_LENGTH = 512  # X's limit on the self-serve tiers (1,024 on the bigger ones)

_TOKEN = re.compile(r'-?"(?:[^"\\]|\\.)*"(?:~\d+)?|[()]|[^\s()]+')


@dataclass(frozen=True)
class RuleTranslation:
    """Either ``x_rule`` (sendable) or ``reason`` (why it cannot be sent), never both."""

    rule: str
    x_rule: str | None
    reason: str | None


def translate_rule(rule: str, *, max_length: int = DEFAULT_MAX_LENGTH) -> RuleTranslation:
    """Translate one Veille rule; refusals name the token and the reason."""

    def refuse(reason: str) -> RuleTranslation:
        return RuleTranslation(rule=rule, x_rule=None, reason=reason)

    tokens = _TOKEN.findall(rule)
    if not tokens:
        return refuse("the rule is empty")
    out: list[str] = []
    depth = 0
    positive = False
    pending_not = False
    for token in tokens:
        if token == "(":
            depth += 1
            out.append("-(" if pending_not else "(")
            pending_not = False
            continue
        if token == ")":
            depth -= 1
            if depth < 0:
                return refuse("a closing parenthesis has no opening one")
            out.append(")")
            continue
        if token == "AND":
            continue
        if token == "OR":
            out.append("OR")
            continue
        if token == "NOT":
            pending_not = True
            continue
        if token.lower() in {"and", "or", "not"} or re.fullmatch(r"NEAR/\d+|near/\d+", token):
            return refuse(f"{token!r}: X has no such operator (write AND/OR/NOT in capitals)")
        negated = pending_not or token.startswith("-")
        pending_not = False
        bare = token[1:] if token.startswith("-") else token
        reason = _unsupported(bare)
        if reason:
            return refuse(f"{bare!r}: {reason}")
        positive = positive or not negated
        out.append(f"-{bare}" if negated else bare)
    if depth != 0:
        return refuse("a parenthesis is not closed")
    if pending_not:
        return refuse("NOT at the end of the rule negates nothing")
    if not positive:
        return refuse("X needs at least one term that is not negated")
    x_rule = " ".join(out).replace("( ", "(").replace(" )", ")")
    if len(x_rule) > max_length:
        return refuse(f"the rule is {len(x_rule)} characters long, X accepts {max_length}")
    return RuleTranslation(rule=rule, x_rule=x_rule, reason=None)


def _unsupported(token: str) -> str | None:
    if token.startswith('"'):
        if re.search(r'"~\d+$', token):
            return "X has no proximity search on phrases"
        return None
    if token.startswith("/") and token.endswith("/") and len(token) > 1:
        return "X does not run regular expressions"
    if "*" in token or "?" in token:
        return "X has no wildcards; list the words with OR"
    if token.startswith(("@", "#", "$")):
        return None if len(token) > 1 else "an operator with nothing after it"
    if ":" in token:
        name, _, value = token.partition(":")
        if name.startswith(("http", "www")):
            return "quote URLs or use url:"
        if name not in X_OPERATORS:
            return f"X has no {name}: operator (Veille evaluates it after matching)"
        if not value:
            return f"{name}: needs a value"
        if name == "is" and value not in _IS_VALUES:
            return f"X does not know is:{value}"
        if name == "has" and value not in _HAS_VALUES:
            return f"X does not know has:{value}"
    return None
