"""Veille: listen, react, speak and know on X, Bluesky, Mastodon and news feeds."""

__version__ = "0.1.0"
