"""Pure rules of business flows and the information-asset handling table (情報資産取扱手順表).

Sources: 特定個人情報の適正な取扱いに関するガイドライン（行政機関等・地方公共団体等編）の管理段階
① 取得 ② 利用 ③ 保存 ④ 提供 ⑤ 削除・廃棄; the seed's 「軽自動車税 情報資産取扱手順表」 (H30.1.10),
which writes 保管 for 保存 and 廃棄 for 削除・廃棄 (DOMAIN.md §4).
"""

import re
import unicodedata

STAGES: tuple[tuple[str, str], ...] = (
    ("acquire", "取得"),
    ("use", "利用"),
    ("store", "保存"),
    ("provide", "提供"),
    ("dispose", "削除・廃棄"),
)
STAGE_LABEL = dict(STAGES)
STAGE_KEYS = tuple(key for key, _ in STAGES)
_STAGE_ALIASES = {
    "取得": "acquire", "入手": "acquire",
    "利用": "use", "使用": "use",
    "保存": "store", "保管": "store",
    "提供": "provide", "提供・移転": "provide",
    "削除・廃棄": "dispose", "削除/廃棄": "dispose", "削除廃棄": "dispose", "廃棄": "dispose", "削除": "dispose",
}

KINDS: tuple[tuple[str, str], ...] = (("paper", "紙"), ("electronic", "電子"), ("other", "その他"))
KIND_LABEL = dict(KINDS)
_KIND_ALIASES = {"紙": "paper", "紙媒体": "paper", "電子": "electronic", "電子媒体": "electronic",
                 "データ": "electronic", "その他": "other"}

# Swim lanes of the business flow (issue 3 / seed 「軽自動車税 業務フロー」).
LANES: tuple[tuple[str, str], ...] = (
    ("resident", "住民"),
    ("counter", "窓口"),
    ("staff", "担当課員"),
    ("chief", "課長"),
    ("system", "システム"),
    ("contractor", "委託先"),
)
LANE_LABEL = dict(LANES)

_ROW_ID = re.compile(r"^\d+(?:-\d+)*$")


class UnknownValue(ValueError):
    pass


def _clean(value: object) -> str:
    return unicodedata.normalize("NFKC", "" if value is None else str(value)).strip().replace(" ", "")


def read_stage(value: object) -> str:
    text = _clean(value).replace("･", "・")
    if text in _STAGE_ALIASES:
        return _STAGE_ALIASES[text]
    if text in STAGE_KEYS:
        return text
    raise UnknownValue(text)


def read_kind(value: object) -> str:
    text = _clean(value)
    if text in _KIND_ALIASES:
        return _KIND_ALIASES[text]
    if text in KIND_LABEL:
        return text
    raise UnknownValue(text)


def read_row_id(value: object) -> str:
    """「1-2」 (also １－２, 1‐2). Whole numbers typed as 1.0 become '1'."""
    text = _clean(value)
    for dash in "‐－−–—ー―":
        text = text.replace(dash, "-")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not _ROW_ID.match(text):
        raise UnknownValue(text)
    return text


def row_id_sort_key(row_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in row_id.split("-"))
