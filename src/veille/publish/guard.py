"""The blunder guard: reads a draft and explains each risk before anything is published.

It never blocks: it returns every risk it sees, with a severity, the span of text concerned and
an explanation in French or English, and the user decides. See docs/guard.md.
"""

from __future__ import annotations

from veille.publish import guard_lexicon as lex
from veille.publish.guard_cues import cues
from veille.publish.guard_learned import RISKS, shipped_model
from veille.publish.guard_messages import explain
from veille.publish.guard_models import (
    SEVERITY_RANK,
    Flag,
    GuardContext,
    GuardInputError,
    GuardReport,
    Severity,
)
from veille.publish.guard_rules import DETECTORS, Draft, Finding, compile_terms, control_chars
from veille.publish.guard_text import fold
from veille.translations import N_

__all__ = ["MAX_TEXT_CHARS", "Flag", "GuardContext", "GuardInputError", "GuardReport", "check"]

# Far beyond any post (Mastodon allows 500): past this the input is not a draft.
MAX_TEXT_CHARS = 200_000


def check(text: str, *, context: GuardContext | None = None) -> GuardReport:
    """Every risk in `text` as Flags, and the overall risk (the highest severity, else low)."""
    if not isinstance(text, str):
        raise GuardInputError(N_("text: expected a string, got %(kind)s"), kind=type(text).__name__)
    if len(text) > MAX_TEXT_CHARS:
        raise GuardInputError(
            N_(
                "text: %(length)s characters is too long for a draft; "
                "the guard reads at most %(most)s"
            ),
            length=len(text),
            most=MAX_TEXT_CHARS,
        )
    context = context or GuardContext()
    draft = Draft(text, fold(text), context)
    if not text.strip():
        findings = [Finding("empty", "high", 0, len(text), "empty"), *control_chars(draft)]
    else:
        findings = rule_findings(draft)
        if context.learned:
            findings += learned_findings(draft, findings)
    flags = [_flag(finding, context) for finding in _dedupe(findings)]
    risk: Severity = max(
        (flag.severity for flag in flags), key=SEVERITY_RANK.__getitem__, default="low"
    )
    return GuardReport(risk=risk, flags=flags)


# Rule kinds that already explain a learned risk: the rule's flag is the more precise one.
EXPLAINED_BY: dict[str, frozenset[str]] = {
    "politics": frozenset({"politics"}),
    "groups": frozenset({"politics", "insult"}),
    "religion": frozenset({"religion"}),
    "insult": frozenset({"insult", "aggression"}),
    "irony": frozenset({"sarcasm"}),
    "mockery": frozenset({"sarcasm", "insult"}),
    "denigration": frozenset({"negative_mention", "accusation"}),
    "confidential": frozenset({"confidential", "personal_data", "client_name", "price"}),
    "legal": frozenset({"accusation", "health_claim", "guarantee"}),
    "crisis_promo": frozenset({"crisis_promo"}),
}


RELIGION_LOOKALIKES = compile_terms(lex.RELIGION_LOOKALIKES)


def settled(category: str, draft: Draft, found: list[Finding]) -> bool:
    """The rules read the draft's religious words as a shop fact (a feast's opening hours, a
    church restored, halal meat) or as no religion at all (« prière de ne pas... », « place de
    l'Église ») and saw no jab: the model's guess does not overrule them."""
    if category != "religion":
        return False
    religious = [f.severity for f in found if f.kind == "religion"]
    if any(severity != "low" for severity in religious):
        return False
    return bool(religious) or RELIGION_LOOKALIKES.search(draft.folded.text) is not None


def rule_findings(draft: Draft) -> list[Finding]:
    """What the rules and word lists see in a draft that is not empty."""
    return [finding for detect in DETECTORS for finding in detect(draft)]


def learned_findings(draft: Draft, found: list[Finding]) -> list[Finding]:
    """The learned model's risks that no rule flag (medium or above) explains already."""
    serious = {f.kind for f in found if SEVERITY_RANK[f.severity] >= 1}
    model = shipped_model()
    # The rules have run: their findings give the cues without running them again.
    seen = cues(draft, [(f.kind, f.severity) for f in found]) if model.cue_count else None
    out = []
    for risk in model.risks(draft.text, open_crisis=draft.context.open_crisis, cues=seen):
        if serious & EXPLAINED_BY[risk.category] or settled(risk.category, draft, found):
            continue
        fields = {
            "term": draft.term(risk.start, risk.end),
            "what": RISKS[risk.category][1],
            "score": f"{risk.probability:.2f}",
        }
        out.append(Finding(risk.kind, "medium", risk.start, risk.end, "learned", fields))
    return out


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One flag per kind and span (the most severe; per network for length), in text order."""
    best: dict[tuple[str, int, int, str], Finding] = {}
    for finding in findings:
        # Length flags share the whole-text span but differ by network: keep one per network.
        key = (finding.kind, finding.start, finding.end, finding.fields.get("network", ""))
        kept = best.get(key)
        if kept is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[kept.severity]:
            best[key] = finding
    # A span inside a larger span of the same kind and severity adds nothing.
    kept_findings = [
        f
        for f in best.values()
        if not any(
            o is not f
            and o.kind == f.kind
            and SEVERITY_RANK[o.severity] >= SEVERITY_RANK[f.severity]
            and o.start <= f.start
            and f.end <= o.end
            and (o.start, o.end) != (f.start, f.end)
            for o in best.values()
        )
    ]
    return sorted(kept_findings, key=lambda f: (f.start, f.end, f.kind))


def _flag(finding: Finding, context: GuardContext) -> Flag:
    explanation = explain(finding.message, context.lang, **finding.fields)
    return Flag(finding.kind, finding.severity, finding.start, finding.end, explanation)
