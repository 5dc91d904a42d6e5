"""What every kind shares: the scopes an import may need, detection scores, the per-sheet result."""

from jichitai.core.sheets.reading import find_header

MUNICIPALITY, ASSOCIATION, EITHER, ANY = "municipality", "association", "either", "any"
TITLE, HEADER = 100, 10  # a title naming the kind beats any header


def header_score(rows, labels, required) -> int:
    """HEADER plus the labels found, when a header row with every required label is near the top; else 0."""
    found = find_header(rows, labels, required)
    return HEADER + len(found[1]) if found else 0
