"""The guard's branch of the encoder: its file, and its head's share of each draft's risks."""

from __future__ import annotations

import numpy as np

from veille.publish.guard import check
from veille.publish.guard_learned import CATEGORIES, RiskModel, shipped_model
from veille.understand.embeddings import GUARD_BRANCH, embed, embed_guard
from veille.understand.encoder import Encoder

DRAFTS = [
    "Dimanche, votez pour la liste de Claire Morel, la seule qui défend nos commerces !",
    "Nouvelle confiture fraise-rhubarbe en boutique dès samedi, venez goûter.",
    "Encore un coup des écolos, ces incapables ! Appelez-nous au 06 12 34 56 78",
]


def test_the_guard_branch_shares_the_lower_layers_and_changes_the_top() -> None:
    encoder = Encoder(threads=2, branch=GUARD_BRANCH)
    plain, tuned = encoder.embed_tuned(DRAFTS)
    np.testing.assert_allclose(plain, embed(DRAFTS), atol=1e-5)
    assert (plain * tuned).sum(axis=1).max() < 0.99
    np.testing.assert_allclose(np.linalg.norm(tuned, axis=1), 1.0, atol=1e-4)


def test_each_drafts_risks_blend_the_branchs_head_in() -> None:
    model = shipped_model()
    assert model.tuned is not None and 0 < model.tuned_share <= 1
    assert model.tuned.labels == CATEGORIES and model.tuned.multilabel
    alone = RiskModel(model.head, model.thresholds, model.cue_count).probabilities(DRAFTS)
    plain, tuned = embed_guard(DRAFTS)
    np.testing.assert_allclose(plain, embed(DRAFTS), atol=1e-5)
    branch = model.tuned.predict_dense(tuned)
    share = model.tuned_share
    np.testing.assert_allclose(
        model.probabilities(DRAFTS), (1 - share) * alone + share * branch, rtol=1e-4, atol=1e-6
    )


def test_with_the_branch_a_stance_is_flagged_on_its_sentence_and_an_advert_is_not() -> None:
    text = "Belle semaine à tous. " + DRAFTS[0]
    [flag] = [f for f in check(text).flags if f.kind == "politics"]
    assert text[flag.start : flag.end].startswith("Dimanche, votez")
    assert "modèle appris" in flag.explanation
    assert check(DRAFTS[1]).risk == "low"
