"""The one error a rule can raise: what is wrong and where, said in the reader's language from
the catalogs (an English msgid and its named fields, like every refusal)."""

from __future__ import annotations

from collections.abc import Mapping

from veille.translations import Language, Refusal, Words, translator


class RuleError(Refusal):
    """A rule that cannot be used. ``column`` is 1-based, counted in characters."""

    def __init__(
        self,
        column: int,
        message: str,
        *,
        rule_id: str | None = None,
        fields: Mapping[str, object] | None = None,
    ) -> None:
        self.column = column
        self.rule_id = rule_id
        self.what = Words(message, **(fields or {}))
        super().__init__(message, **(fields or {}))
        self.args = (self.message_in("fr"),)  # str(): French, the interface's first language

    def message_in(self, lang: Language) -> str:
        """The message with its column, e.g. "parenthèse non fermée, colonne 17"."""
        words = translator(lang)
        text = words.gettext("%(what)s, column %(column)s") % {
            "what": self.what.in_language(lang),
            "column": self.column,
        }
        if self.rule_id is None:
            return text
        return words.gettext("rule %(rule)s: %(error)s") % {"rule": self.rule_id, "error": text}

    def in_language(self, lang: Language) -> str:
        return self.message_in(lang)

    def caret(self, source: str) -> str:
        """The rule on one line and a caret under the column."""
        line = source.replace("\t", " ").replace("\r", " ").replace("\n", " ")
        return f"  {line}\n  {' ' * (self.column - 1)}^"

    def render(self, source: str, lang: str = "fr") -> str:
        """Message, rule line and caret line, ready for a terminal."""
        return f"{self.message_in('en' if lang == 'en' else 'fr')}\n{self.caret(source)}"

    def with_rule_id(self, rule_id: str) -> RuleError:
        return RuleError(self.column, self.what.message, rule_id=rule_id, fields=self.what.fields)
