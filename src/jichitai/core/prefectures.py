"""The prefecture of a municipality, from the first two digits of its 団体コード.

The 47 prefectures are data (data/prefectures.tsv, source in data/README.md): 総務省「全国地方公共団体コード」 —
the first two digits of a code are the prefecture's number, 01 北海道 … 47 沖縄県 (JIS X 0401), and a prefecture's
own code is its number, 000 and the check digit (東京都 130001). Numbers 48–99 belong to no prefecture; the demo and
the benches use them for fictional members.
"""

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "prefectures.tsv"


def _load() -> dict[str, tuple[str, str]]:
    """{number: (団体コード, name)} from data/prefectures.tsv (read once, at import)."""
    rows = DATA.read_text(encoding="utf-8").splitlines()[1:]
    return {number: (code, name) for number, code, name in (row.split("\t") for row in rows if row.strip())}


_ROWS = _load()
PREFECTURES = {number: name for number, (_code, name) in _ROWS.items()}
CODES = {number: code for number, (code, _name) in _ROWS.items()}  # the prefecture's own 団体コード: 130001
FICTIONAL = "架空の県"


def prefecture_number(code: str) -> str:
    """"01" … "99": the first two digits of a 団体コード (5 or 6 digits)."""
    return str(code)[:2]


def prefecture_name(number: str) -> str:
    """The prefecture's name, or 「架空の県（99）」 for a number no prefecture has."""
    return PREFECTURES.get(number, f"{FICTIONAL}（{number}）")


def choices(numbers) -> list[tuple[str, str]]:
    """(number, name) for the numbers given, in order: the prefectures a list of members spans."""
    return [(number, prefecture_name(number)) for number in sorted(set(numbers))]


def all_choices() -> list[tuple[str, str]]:
    """Every prefecture, in code order (an association's prefecture)."""
    return list(PREFECTURES.items())
