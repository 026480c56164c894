"""Chinese Unified Social Credit Codes (统一社会信用代码, GB 32100-2015).

A USCC is 18 characters: registration authority (1), organisation type (1), the registering authority's
administrative division code (6, GB/T 2260), the organisation code (9) and a check character (1). Two
things make it worth parsing rather than comparing as a string:

- the check character catches typing errors, so a match on a *valid* code is near-decisive evidence of
  identity, while a code that fails its check is itself worth a warning;
- positions 3-8 say where the company was registered: `65xxxx` is the XUAR. That is a signal about the
  company's seat, weaker about any one of its facilities.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: The 31 characters GB 32100-2015 allows (no I, O, S, V, Z), in the order that gives their values.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(rf"^[{ALPHABET}]{{2}}\d{{6}}[{ALPHABET}]{{9}}[{ALPHABET}]$")
_CANDIDATE = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")


@dataclass(frozen=True)
class Uscc:
    """A parsed code. `valid` is the checksum verdict; a shape-valid code with a bad check is kept."""

    code: str
    division_code: str
    valid: bool

    @property
    def province_code(self) -> str:
        """The first two digits of the division: `65` is the XUAR."""
        return self.division_code[:2]


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (raises KeyError on a character outside the set)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(text: str) -> str:
    """Upper-case, full-width folded, with spaces and dashes removed: how people mistype codes."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return re.sub(r"[\s\-_.]", "", folded)


def parse_uscc(text: str | None) -> Uscc | None:
    """Parse a registration number as a USCC; `None` when it does not have a USCC's shape at all."""
    if not text:
        return None
    code = normalise_uscc(text)
    if not _SHAPE.match(code):
        return None
    return Uscc(code=code, division_code=code[2:8], valid=check_character(code[:17]) == code[17])


def find_usccs(text: str) -> list[Uscc]:
    """Every USCC-shaped token in free text (e.g. a remarks or identifiers field)."""
    found: list[Uscc] = []
    for token in _CANDIDATE.findall(normalise_uscc(text) if len(text) == 18 else text.upper()):
        parsed = parse_uscc(token)
        if parsed is not None:
            found.append(parsed)
    return found
