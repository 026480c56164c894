"""Loaders: turn what customers and public sources hand us into validated records.

`loaders.bundle` reads and validates a supply-chain bundle (the interchange contract); it never writes.
"""

from loaders.bundle import (
    BUNDLE_FILES,
    ParsedBundle,
    read_bundle,
    validate_bundle,
    validate_cycles,
    validate_references,
)

__all__ = [
    "BUNDLE_FILES",
    "ParsedBundle",
    "read_bundle",
    "validate_bundle",
    "validate_cycles",
    "validate_references",
]
