"""Watch rules: an X filtered-stream compatible language, its parser and a compiled matcher.

Documented in docs/rules.md.
"""

from veille.rules.compile import Matcher, compile_rules
from veille.rules.errors import RuleError
from veille.rules.language import Rule, format_tree
from veille.rules.parser import check_rule, parse_rule
from veille.rules.reference import evaluate

__all__ = [
    "Matcher",
    "Rule",
    "RuleError",
    "check_rule",
    "compile_rules",
    "evaluate",
    "format_tree",
    "parse_rule",
]
