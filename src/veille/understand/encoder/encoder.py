"""Embed texts: tokenise, look up and normalise embeddings, run the layers, mean-pool."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort  # type: ignore[import-untyped]

from veille.understand.encoder.branch import Branch
from veille.understand.encoder.graph import build
from veille.understand.encoder.modelfile import ModelFile, ModelFileError, dequantise
from veille.understand.encoder.tokenizer import Tokenizer

__all__ = ["DIM", "Encoder", "ModelFileError"]

DIM = 384
PREFIX = "query: "  # e5's prefix for classification and clustering inputs
TOKENS_PER_RUN = 2048  # rows x padded length of one batch: big enough for full matrix kernels
ROWS_PER_RUN = 64


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Encoder:
    def __init__(
        self,
        path: Path | None = None,
        threads: int | None = None,
        quantised: bool = True,
        branch: Path | None = None,
    ) -> None:
        """branch: a file of fine-tuned top layers (branch.py), run by embed_tuned."""
        model = ModelFile(path)
        self.sizes = model.sizes
        self.tokenizer = Tokenizer(model.vocabulary)
        vocab = model.vocabulary
        self._bos, self._eos, self._pad = vocab.bos, vocab.eos, vocab.pad
        self._words = model.blocks("emb.word", model.sizes.vocab, model.sizes.hidden)
        self._positions = model.floats("emb.pos").reshape(-1, model.sizes.hidden)
        self._type = model.floats("emb.type")[: model.sizes.hidden]
        self._ln = (model.floats("emb.ln.w"), model.floats("emb.ln.b"))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or cores()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._model, self._quantised, self._options = model, quantised, options
        self._plain = self._session(build(model, quantised), options)
        self._branch = Branch.load(branch) if branch is not None else None
        # A graph of its own, so that embed never pays for the branch's layers; built on first
        # use, so that a process that never asks for it never pays for it either.
        self._tuned: ort.InferenceSession | None = None

    @staticmethod
    def _session(graph: onnx.ModelProto, options: ort.SessionOptions) -> ort.InferenceSession:
        return ort.InferenceSession(
            graph.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 384) L2-normalised vectors. A text longer than the model's 512 positions is
        cut into windows whose mean-pooled vectors are averaged, weighted by length."""
        return self._pooled(texts, ["last"])[0]

    def embed_tuned(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The vectors of embed, and those of the branch's layers (run on the same states
        below the branch): one pass through the shared layers for both."""
        if self._branch is None:
            raise ModelFileError("this encoder was loaded without a branch")
        vectors, tuned = self._pooled(texts, ["last", "tuned"])
        return vectors, tuned

    def _pooled(self, texts: Sequence[str], outputs: list[str]) -> list[np.ndarray]:
        window = self.sizes.max_positions - 2
        rows: list[list[int]] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            ids = self.tokenizer.content(PREFIX + text)
            for start in range(0, max(len(ids), 1), window):
                rows.append([self._bos, *ids[start : start + window], self._eos])
                owner.append(i)
        pooled = [np.zeros((len(rows), DIM), dtype=np.float32) for _ in outputs]
        order = sorted(range(len(rows)), key=lambda r: len(rows[r]))
        at = 0
        while at < len(order):
            batch = [order[at]]
            while (
                at + len(batch) < len(order)
                and len(batch) < ROWS_PER_RUN
                and (len(batch) + 1) * len(rows[order[at + len(batch)]]) <= TOKENS_PER_RUN
            ):
                batch.append(order[at + len(batch)])
            for out, values in zip(
                pooled, self._run([rows[r] for r in batch], outputs), strict=True
            ):
                out[batch] = values
            at += len(batch)
        weights = np.array([len(r) - 2 or 1 for r in rows], dtype=np.float32)
        results: list[np.ndarray] = []
        for values in pooled:
            out = np.zeros((len(texts), DIM), dtype=np.float32)
            np.add.at(out, owner, values * weights[:, None])
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            results.append(out / np.maximum(norms, 1e-12))
        return results

    def inputs(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The graph's inputs for rows of token ids: the embedded tokens after the embedding
        LayerNorm, and the padding mask."""
        length = max(len(r) for r in batch)
        ids = np.full((len(batch), length), self._pad, dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.int32)
        for i, row in enumerate(batch):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        h = self.sizes.hidden
        x = dequantise(self._words[ids.reshape(-1)]).reshape(len(batch), length, h)
        x += self._positions[:length] + self._type
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        x = (x - mean) / np.sqrt(var + self.sizes.eps) * self._ln[0] + self._ln[1]
        return x.astype(np.float32), mask

    def _run(self, batch: list[list[int]], outputs: list[str]) -> list[np.ndarray]:
        """Mean of each output's hidden states over each row's tokens (not normalised)."""
        x, mask = self.inputs(batch)
        session = self._plain
        if outputs != ["last"]:
            if self._tuned is None:
                graph = build(self._model, self._quantised, self._branch)
                self._tuned = self._session(graph, self._options)
            session = self._tuned
        states = session.run(outputs, {"hidden": x, "mask": mask})
        weights = mask[..., None].astype(np.float32)
        return [(last * weights).sum(axis=1) / weights.sum(axis=1) for last in states]
