"""Seeds of the drawing of lots: derived streams, and the commitment published before a draw (R12).

The secretariat's seed is a random 128-bit hex string. Before the draw only ``commitment(seed)``
(a SHA-256 hash) is published; after it, the seed itself, so anyone can check that the seed was
fixed beforehand and re-run the draw. A short seed could be guessed from its hash, so the portal
only commits seeds of full length; ``portal-draw simulate`` accepts any seed because it publishes
nothing.
"""

import hashlib
import hmac
import random
import secrets

PREFIX = "review-portal-draw-seed:"


def new_seed():
    """A fresh seed for a recorded draw: 32 hex digits from the operating system's random source."""
    return secrets.token_hex(16)


def commitment(seed):
    """The hash published before the draw: SHA-256 of a fixed prefix and the seed, in hex."""
    return hashlib.sha256((PREFIX + str(seed)).encode("utf-8")).hexdigest()


def verify_commitment(seed, published):
    """True when ``seed`` is the one committed to by ``published``."""
    return hmac.compare_digest(commitment(seed), str(published).lower())


def derived(seed, *purpose):
    """An integer derived from the seed for one purpose (one year, one redraw...), stable across platforms."""
    text = ":".join([str(seed), *map(str, purpose)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def rng(seed, *purpose):
    """A ``random.Random`` for one purpose of the draw."""
    return random.Random(derived(seed, *purpose))
