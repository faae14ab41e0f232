"""The one-hidden-layer head learns what a linear head cannot, and comes back whole from disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from veille.understand.linear import fit
from veille.understand.mlp import MlpHead, fit_mlp


def _either_not_both(n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Two signs; the label is one of them without the other (what no line separates)."""
    rng = np.random.default_rng(7)
    signs = rng.integers(0, 2, size=(n, 2)).astype(np.float64)
    x = np.hstack([signs + rng.normal(0, 0.1, size=(n, 2)), rng.normal(0, 1, size=(n, 3))])
    y = (signs[:, :1] != signs[:, 1:]).astype(np.float64)
    return x, y


def test_a_hidden_layer_learns_one_sign_without_the_other() -> None:
    x, y = _either_not_both()
    mlp = fit_mlp(x, y, ("either",), hidden=16, l2=1e-3, epochs=200, learning_rate=0.01)
    linear = fit(lambda w: x @ w, lambda g: x.T @ g, x.shape[1], y, ("either",), multilabel=True)
    truth = y[:, 0] > 0.5
    mlp_right = float(((mlp.predict_dense(x)[:, 0] >= 0.5) == truth).mean())
    linear_right = float(((linear.predict_dense(x)[:, 0] >= 0.5) == truth).mean())
    assert mlp_right >= 0.95
    assert linear_right <= 0.7


def test_the_same_seed_gives_the_same_head_and_it_survives_saving(tmp_path: Path) -> None:
    x, y = _either_not_both(120)
    first = fit_mlp(x, y, ("either",), hidden=8, l2=1e-3, epochs=5, seed=3)
    again = fit_mlp(x, y, ("either",), hidden=8, l2=1e-3, epochs=5, seed=3)
    np.testing.assert_array_equal(first.w1, again.w1)
    path = tmp_path / "head.npz"
    first.save(path)
    loaded = MlpHead.load(path)
    assert loaded.labels == ("either",)
    # float16 weights on disk: the probabilities move by well under a percent.
    assert np.abs(loaded.predict_dense(x) - first.predict_dense(x)).max() < 0.01
