"""A small polarity lexicon (French and English), written for Veille.

The XLM-T tweets are mostly about politics and the environment; customers talk about
service, delays and quality. These words give the linear models a prior on that vocabulary:
each hit becomes one shared feature whose weight is learned, flipped after a negation.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


POSITIVE = _words(
    """
    merci bravo super génial genial excellent excellente parfait parfaite parfaitement top
    impeccable magnifique sublime superbe recommande recommandé recommandée recommandons ravi
    ravie ravis content contente contents satisfait satisfaite satisfaits adore adoré adorons
    délicieux délicieuse délicieuses delicieux régal félicitations chapeau efficace efficaces
    réactif réactive rapide rapides soigneux soigné soignée pro professionnel professionnelle
    sympa agréable accueillant accueillante chaleureux merveille merveilleux formidable
    incroyable bonheur heureux heureuse plaisir meilleur meilleure meilleurs nickel bien
    beau belle bon bonne bons bonnes qualité honnête fiable divin divine tuerie coeur cœur
    thanks thank great awesome amazing love loved lovely excellent perfect best recommend
    recommended happy glad wonderful fantastic nice good delicious friendly helpful
    """
)

NEGATIVE = _words(
    """
    nul nulle nuls honte honteux honteuse inadmissible inacceptable scandale scandaleux
    arnaque arnaqueur déçu déçue déçus décevant décevante deception déception catastrophe
    catastrophique horrible affreux lamentable pire mauvais mauvaise mauvaises médiocre
    retard retards attente panne cassé cassée bâclé bâclée sale sales dégoûté dégoûtée
    dégoûtant désagréable malpoli impoli incompétent incompétents incompétence plainte
    rembourser remboursement escroc escroquerie fuyez éviter marre ras inutilisable
    problème problèmes bug bugs plante lent lente cher chère chers trop jamais pas colère
    triste malheureusement hélas dommage rassis brûlé raté ratée tromper trompé menteur
    terrible awful worst bad poor horrible disappointed disappointing never waste rude slow
    broken refund scam angry hate useless
    """
)

NEGATIONS = _words("pas plus jamais aucun aucune rien ni sans not no never don't isn't")
