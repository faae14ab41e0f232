"""The one error a rule can raise: what is wrong, where, in French and English."""

from __future__ import annotations


class RuleError(ValueError):
    """A rule that cannot be used. ``column`` is 1-based, counted in characters."""

    def __init__(
        self, column: int, message_fr: str, message_en: str, *, rule_id: str | None = None
    ) -> None:
        self.column = column
        self.message_fr = message_fr
        self.message_en = message_en
        self.rule_id = rule_id
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        """The message with its column, e.g. "parenthèse non fermée, colonne 17"."""
        if lang == "en":
            text = f"{self.message_en}, column {self.column}"
            return f"rule {self.rule_id}: {text}" if self.rule_id is not None else text
        text = f"{self.message_fr}, colonne {self.column}"
        return f"règle {self.rule_id} : {text}" if self.rule_id is not None else text

    def caret(self, source: str) -> str:
        """The rule on one line and a caret under the column."""
        line = source.replace("\t", " ").replace("\r", " ").replace("\n", " ")
        return f"  {line}\n  {' ' * (self.column - 1)}^"

    def render(self, source: str, lang: str = "fr") -> str:
        """Message, rule line and caret line, ready for a terminal."""
        return f"{self.message(lang)}\n{self.caret(source)}"

    def with_rule_id(self, rule_id: str) -> RuleError:
        return RuleError(self.column, self.message_fr, self.message_en, rule_id=rule_id)
