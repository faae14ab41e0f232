"""Hand-written cues for intents: a fallback before the trained head, and extra evidence."""

from __future__ import annotations

import re

from veille.understand.entities import fold

CUES: dict[str, re.Pattern[str]] = {
    "question": re.compile(
        r"\?|^(?:qui|quoi|comment|pourquoi|quand|ou|est ce|savez vous|vous savez|"
        r"quelqu un sait)\b"
    ),
    "complaint": re.compile(
        r"\b(?:arnaque|honte|inadmissible|scandale|jamais plus|plus jamais|decu|decue|"
        r"deception|nul(?:le)?|catastroph|toujours pas|aucune reponse|rembours|retard|"
        r"mal fait|bacle|inacceptable|pas content|fuyez|a eviter|ras le bol|en panne)"
    ),
    "praise": re.compile(
        r"\b(?:merci|bravo|top|super|genial|excellent|parfait|recommande|au top|"
        r"felicitation|ravi|ravie|impeccable|delicieu|un regal|magnifique|pro )"
    ),
    "lead": re.compile(
        r"\b(?:je cherche|on cherche|nous cherchons|recherche|qui connait|quelqu un connait|"
        r"vous connaissez|recommand\w* (?:un|une|moi)|besoin d un|besoin d une|devis|"
        r"conseiller un|conseillez|un bon|une bonne)\b"
    ),
    "job": re.compile(
        r"\b(?:recrute|recrutons|embauche|on embauche|offre d emploi|cdi|cdd|alternance|"
        r"stage|candidature|cherche (?:un )?(?:emploi|travail|job|poste)|postuler)\b"
    ),
    "crisis": re.compile(
        r"\b(?:avocat|plainte|porter plainte|tribunal|proces|boycott|intoxication|"
        r"dangereux|danger|accident|blesse|menace|scandale|honte|dgccrf|police|"
        r"partagez massivement|faites tourner|a vomir|raciste|sexiste)\b"
    ),
}


def keyword_scores(text: str) -> dict[str, float]:
    folded = fold(text)
    scores = {name: (0.8 if cue.search(folded) else 0.1) for name, cue in CUES.items()}
    scores["other"] = 0.1 if any(v >= 0.5 for v in scores.values()) else 0.8
    return scores
