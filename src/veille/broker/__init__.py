"""The distributed mode: posts go through a NATS JetStream stream to any number of workers.

``stream`` names the stream and its one shared consumer and opens the connection; ``publisher``
is what `veille ingest --broker` and `veille listen --broker` send with; ``worker`` is the
consuming loop of `veille worker`, which runs the in-process pipeline's stages unchanged.
"""
