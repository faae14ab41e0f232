"""A branch of the encoder: its top layers fine-tuned for one task, beside the original ones.

The file (written by scripts/train_branch.py) holds the index of the first branched
layer ("first"), then for each branched layer n and projection key: "l{n}.{key}.q", the (in,
out) int8 weights; "l{n}.{key}.cs", one float32 scale per output column; "l{n}.{key}.b", the
bias; and the two LayerNorms' "l{n}.{aln,oln}.{w,b}". The layers below are shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from veille.understand.encoder.modelfile import ModelFileError


@dataclass(frozen=True)
class Branch:
    first: int
    arrays: dict[str, np.ndarray]
    path: Path

    @classmethod
    def load(cls, path: Path) -> Branch:
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"cannot read the encoder branch {path}: {exc}") from exc
        if "first" not in arrays:
            raise ModelFileError(f"{path}: not an encoder branch (no 'first' entry)")
        return cls(int(arrays["first"]), arrays, path)

    def _array(self, name: str) -> np.ndarray:
        if name not in self.arrays:
            raise ModelFileError(f"{self.path}: tensor {name} missing")
        return self.arrays[name]

    def weight(self, name: str, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
        """(in, out) float32 weights of a (rows=out, cols=in) projection, and its bias."""
        q, scale = self._array(f"{name}.q"), self._array(f"{name}.cs")
        if q.shape != (cols, rows) or scale.shape != (rows,):
            raise ModelFileError(f"{self.path}: tensor {name} is not {cols} by {rows}")
        return q.astype(np.float32) * scale, self._array(f"{name}.b").astype(np.float32)

    def floats(self, name: str) -> np.ndarray:
        return self._array(name).astype(np.float32)
