"""Hand-written cues for intents, given to the trained heads as extra features."""

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
        r"deception|nul(?:le)?|catastroph\w*|toujours pas|aucune reponse|rembours\w*|retard|"
        r"mal fait|bacle|inacceptable|pas content|fuyez|a eviter|ras le bol|en panne|marre)\b"
    ),
    "praise": re.compile(
        r"\b(?:merci|bravo|top|super|genial|excellent|parfait|recommande|au top|"
        r"felicitations?|ravie?|impeccable|delicieu\w*|regal|magnifique|chapeau)\b"
    ),
    "seeks": re.compile(
        r"\b(?:je cherche|on cherche|nous cherchons|cherchons|recherche|qui connait|"
        r"quelqu un connait|vous connaissez|recommand\w* (?:un|une|moi)|besoin d une?|"
        r"devis|conseiller|conseillez|a conseiller|a recommander|des adresses?|qui fait|"
        r"qui livre|ou acheter|ou trouver)\b"
    ),
    "job": re.compile(
        r"\b(?:recrute|recrutons|recrutement|embauche|offre d emploi|cdi|cdd|alternance|"
        r"apprenti|stage|stagiaires?|candidature|cv|postuler|postule|"
        r"cherche (?:un )?(?:emploi|travail|job|poste))\b"
    ),
    "crisis": re.compile(
        r"\b(?:avocat|plainte|tribunal|proces|boycott|intoxication|dangereux|danger|accident|"
        r"blesse|menace\w*|scandale|dgccrf|cnil|police|partagez|faites tourner|raciste|"
        r"sexiste|mise en demeure|fuite de donnees|rappel produit|listeria|urgences|viral\w*)\b"
    ),
}


def cue_vector(text: str) -> list[float]:
    """1.0 for each cue found in the text, in CUES order."""
    folded = fold(text)
    return [1.0 if cue.search(folded) else 0.0 for cue in CUES.values()]
