"""The e5 encoder layers as an ONNX graph, its weights taken from the model file.

Input: the embedded tokens after the embedding LayerNorm, (batch, tokens, hidden), and the
padding mask (batch, tokens) as int32 1/0. Output: the last hidden states. Embedding look-up
and pooling stay in numpy: the word table is 250,037 rows and only the rows used are expanded.

Projections run in int8 (ONNX Runtime's MatMulIntegerToFloat, VNNI on AVX-512), weights
scaled per output column and activations per token row: a post's vector never depends on the
other posts of its batch (one scale per batch, as in DynamicQuantizeMatMul, would make it so),
and rows keep the FFN's post-GELU outliers that one scale per matrix flattens. Vectors stay
within 0.998 cosine of the float graph (tests/understand/test_encoder.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from veille.understand.encoder.branch import Branch
from veille.understand.encoder.modelfile import ModelFile, ModelFileError, dequantise

OPSET = 17
# ONNX Runtime's contrib operators (Gelu is only in the standard set from opset 20).
MICROSOFT_OPS = frozenset({"MultiHeadAttention", "Gelu", "MatMulIntegerToFloat"})
Weights = Callable[[str, int, int], tuple[np.ndarray, np.ndarray]]  # name, rows, cols -> w, b
Floats = Callable[[str], np.ndarray]


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.weights: list[onnx.TensorProto] = []
        self._quantised: dict[str, tuple[str, str]] = {}  # q, k and v share their input

    def constant(self, name: str, value: np.ndarray) -> str:
        self.weights.append(numpy_helper.from_array(value, name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        domain = "com.microsoft" if op in MICROSOFT_OPS else ""
        self.nodes.append(helper.make_node(op, inputs, [output], domain=domain, **attrs))
        return output

    def quantise_rows(self, x: str) -> tuple[str, str]:
        """x as uint8 (zero point 128) with one scale per row, and that (rows, 1) scale."""
        if x in self._quantised:
            return self._quantised[x]
        peak = self.node("ReduceMax", [self.node("Abs", [x], f"{x}.abs")], f"{x}.peak", axes=[-1])
        floor = self.constant(f"{x}.floor", np.array(1e-6, dtype=np.float32))
        step = self.constant(f"{x}.step", np.array(127.0, dtype=np.float32))
        scale = self.node("Div", [self.node("Max", [peak, floor], f"{x}.max"), step], f"{x}.sc")
        rounded = self.node("Round", [self.node("Div", [x, scale], f"{x}.div")], f"{x}.round")
        shift = self.constant(f"{x}.shift", np.array(128.0, dtype=np.float32))
        shifted = self.node("Add", [rounded, shift], f"{x}.shifted")
        self._quantised[x] = self.node("Cast", [shifted], f"{x}.u8", to=TensorProto.UINT8), scale
        return self._quantised[x]

    def linear(
        self, x: str, name: str, w: np.ndarray, bias: np.ndarray, rows: tuple[str, str] | None
    ) -> str:
        """x @ w + bias; int8 when rows (x quantised per row) is given."""
        if rows is None:
            out = self.node("MatMul", [x, self.constant(f"{name}.w", w)], f"{name}.mm")
        else:
            column = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0
            q = np.clip(np.round(w / column), -127, 127).astype(np.int8)
            ins = [
                rows[0],
                self.constant(f"{name}.w", q),
                self.constant(f"{name}.one", np.array(1.0, dtype=np.float32)),
                self.constant(f"{name}.cs", column.astype(np.float32)),
                self.constant(f"{name}.za", np.array(128, dtype=np.uint8)),
            ]
            by_col = self.node("MatMulIntegerToFloat", ins, f"{name}.i")
            out = self.node("Mul", [by_col, rows[1]], f"{name}.mm")
        return self.node("Add", [out, self.constant(f"{name}.b", bias)], f"{name}.y")


def build(
    model: ModelFile, quantised: bool = True, branch: Branch | None = None
) -> onnx.ModelProto:
    """quantised=False keeps every projection in float32, as a reference. With a branch, the
    graph also outputs "tuned": the branch's layers run on the states entering its first layer."""
    s = model.sizes
    g = _Graph()

    def from_file(name: str, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
        """(in, out) float32 for x @ w, and the bias."""
        weight = np.ascontiguousarray(dequantise(model.blocks(f"{name}.w", rows, cols)).T)
        return weight, model.floats(f"{name}.b")

    def layers(x: str, numbers: range, weights: Weights, norms: Floats, tag: str) -> str:
        def linear(x: str, name: str, rows: int, cols: int) -> str:
            w, b = weights(name, rows, cols)
            return g.linear(x, tag + name, w, b, g.quantise_rows(x) if quantised else None)

        def norm(x: str, name: str) -> str:
            gamma = g.constant(f"{tag}{name}.w", norms(f"{name}.w"))
            beta = g.constant(f"{tag}{name}.b", norms(f"{name}.b"))
            y = f"{tag}{name}.y"
            return g.node("LayerNormalization", [x, gamma, beta], y, axis=-1, epsilon=s.eps)

        for n in numbers:
            q, k, v = (linear(x, f"l{n}.{key}", s.hidden, s.hidden) for key in "qkv")
            ctx = g.node(
                "MultiHeadAttention", [q, k, v, "", "mask"], f"{tag}l{n}.ctx", num_heads=s.heads
            )
            attended = linear(ctx, f"l{n}.ao", s.hidden, s.hidden)
            x = norm(g.node("Add", [x, attended], f"{tag}l{n}.res1"), f"l{n}.aln")
            inner = linear(x, f"l{n}.fi", s.ffn, s.hidden)
            inner = g.node("Gelu", [inner], f"{tag}l{n}.gelu")
            inner = linear(inner, f"l{n}.fo", s.hidden, s.ffn)
            x = norm(g.node("Add", [x, inner], f"{tag}l{n}.res2"), f"l{n}.oln")
        return x

    dims = ["batch", "tokens"]
    outputs = [helper.make_tensor_value_info("last", TensorProto.FLOAT, [*dims, s.hidden])]
    if branch is not None and not 0 < branch.first < s.layers:
        raise ModelFileError(f"the encoder's branch starts at layer {branch.first}: no such layer")
    split = branch.first if branch is not None else s.layers
    x = layers("hidden", range(split), from_file, model.floats, "")
    top = layers(x, range(split, s.layers), from_file, model.floats, "")
    g.node("Identity", [top], "last")
    if branch is not None:
        tuned = layers(x, range(split, s.layers), branch.weight, branch.floats, "b.")
        g.node("Identity", [tuned], "tuned")
        outputs.append(helper.make_tensor_value_info("tuned", TensorProto.FLOAT, [*dims, s.hidden]))
    graph = helper.make_graph(
        g.nodes,
        "e5",
        [
            helper.make_tensor_value_info("hidden", TensorProto.FLOAT, [*dims, s.hidden]),
            helper.make_tensor_value_info("mask", TensorProto.INT32, dims),
        ],
        outputs,
        g.weights,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets)
