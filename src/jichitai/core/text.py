"""Text normalisation shared by imports and matching."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalise(text: object) -> str:
    """NFKC, trimmed, runs of white space (ideographic space included) folded to one space."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(text))).strip()
