from __future__ import annotations

import pytest

from veille.understand import near_duplicates


def test_reposts_copies_and_templated_spam_group_with_their_first_member() -> None:
    texts = [
        "Super peintre à Angers, je recommande @martinpeinture https://t.co/abc",
        "Gagnez un iPhone 15 ! Cliquez ici http://promo.example/1 @paul",
        "RT @marie: Super peintre à Angers, je recommande @martinpeinture https://t.co/xyz",
        "Le pain de la boulangerie du coin est vraiment très bon",
        "Gagnez un iPhone 16 ! Cliquez ici http://promo.example/2 @jeanne",
        "Super peintre à Angers, je recommande vivement @martinpeinture !",
        "Mon garagiste m'a encore fait attendre deux heures",
    ]
    assert near_duplicates(texts) == [0, 1, 0, 3, 1, 0, 6]


def test_different_posts_on_the_same_topic_stay_apart() -> None:
    texts = [
        "Qui connaît un bon peintre à Angers ?",
        "Qui connaît un bon plombier à Nantes ?",
        "Je cherche un peintre pour ma cuisine",
    ]
    assert near_duplicates(texts) == [0, 1, 2]


def test_bare_links_group_only_when_identical() -> None:
    assert near_duplicates(["https://a.fr/1", "https://b.fr/2", "https://a.fr/1"]) == [0, 1, 0]


def test_threshold_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        near_duplicates(["a"], threshold=0)
