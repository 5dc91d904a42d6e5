"""Pure rules of the 情報連携確認シート, the 庁内連携 ordinances and the linkage proficiency check. No Django.

Sources: 番号法 第19条第8号 (情報提供ネットワークシステム, 主務省令), 第9号 (独自利用事務, commission rule),
第11号 (庁内連携: provision to another organ of the same municipality only as its ordinance provides);
the seed's training modules ③–⑤ (業務別連携確認シート) and checklist row 情報連携に係る業務の習熟
(DOMAIN.md §2, §6).
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

DIRECTIONS: tuple[tuple[str, str], ...] = (("inquiry", "照会"), ("provision", "提供"))
COUNTERPART_KINDS: tuple[tuple[str, str], ...] = (
    ("other_body", "他機関"),
    ("same_body_organ", "同一団体の他の機関"),
    ("person", "本人"),
)
CHANNELS: tuple[tuple[str, str], ...] = (
    ("network", "情報提供ネットワークシステム"),
    ("intra_office", "庁内連携"),
    ("submission", "本人提出"),
    ("other", "その他"),
)
DIRECTION_LABEL = dict(DIRECTIONS)
KIND_LABEL = dict(COUNTERPART_KINDS)
CHANNEL_LABEL = dict(CHANNELS)

# When a sheet gives only one of 相手先区分 / 経路, the other follows from it in the usual case.
CHANNEL_FOR_KIND = {"other_body": "network", "same_body_organ": "intra_office", "person": "submission"}
KIND_FOR_CHANNEL = {"network": "other_body", "intra_office": "same_body_organ", "submission": "person"}


class UnknownValue(ValueError):
    pass


def _clean(value: object) -> str:
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return re.sub(r"\s+", "", text).upper()


def compact(value: object) -> str:
    """NFKC without any white space: the key names and ordinances are matched by."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "" if value is None else str(value)))


def read_direction(value: object) -> str:
    """照会 (we receive) or 提供 (we give); also 情報照会, 受領, 提供先 …; both words at once is unknown."""
    text = _clean(value)
    if text in ("INQUIRY", "PROVISION"):
        return text.lower()
    inquiry = any(word in text for word in ("照会", "受領", "入手"))
    provision = "提供" in text
    if inquiry and not provision:
        return "inquiry"
    if provision and not inquiry:
        return "provision"
    raise UnknownValue(text)


def read_counterpart_kind(value: object) -> str:
    """他機関 / 同一団体の他の機関 (庁内) / 本人. 「同一団体の他の機関」 contains 「他の機関」: check it first."""
    text = _clean(value)
    if text.lower() in KIND_LABEL:
        return text.lower()
    if any(word in text for word in ("同一団体", "庁内", "団体内", "同一の地方公共団体")):
        return "same_body_organ"
    if any(word in text for word in ("本人", "申請者", "住民")):
        return "person"
    if any(word in text for word in ("他機関", "他の機関", "他団体", "他の地方公共団体", "外部", "他市町村")):
        return "other_body"
    raise UnknownValue(text)


def read_channel(value: object) -> str:
    """情報提供ネットワークシステム (NWS, 中間サーバー) / 庁内連携 / 本人提出 / その他."""
    text = _clean(value)
    if text.lower() in CHANNEL_LABEL:
        return text.lower()
    if "庁内" in text or "団体内" in text:
        return "intra_office"
    if any(word in text for word in ("ネットワーク", "NWS", "中間サーバ", "情報提供NW")):
        return "network"
    if any(word in text for word in ("本人", "提出", "窓口", "申請")):
        return "submission"
    if text in ("その他", "OTHER", "郵送", "紙"):
        return "other"
    raise UnknownValue(text)


def complete_kind_and_channel(kind: str | None, channel: str | None) -> tuple[str | None, str | None]:
    """Fill a blank 相手先区分 or 経路 from the other; (None, None) stays unknown."""
    if kind and not channel:
        return kind, CHANNEL_FOR_KIND.get(kind)
    if channel and not kind:
        return KIND_FOR_CHANNEL.get(channel), channel
    return kind, channel


# ---- Problems of one linkage item ----

INTRA_OFFICE_WITHOUT_ORDINANCE = "intra_office_without_ordinance"
ORDINANCE_NOT_IN_FORCE = "ordinance_not_in_force"
MISSING_BASIS = "missing_basis"
ITEM_PROBLEMS: tuple[tuple[str, str], ...] = (
    (INTRA_OFFICE_WITHOUT_ORDINANCE, "同一団体の他の機関との連携（庁内連携）に条例の定めがありません（番号法第19条第11号）"),
    (ORDINANCE_NOT_IN_FORCE, "根拠条例がまだ施行されていません"),
    (MISSING_BASIS, "根拠（主務省令等または条例）が記載されていません"),
)
PROBLEM_LABEL = dict(ITEM_PROBLEMS)


@dataclass(frozen=True)
class ItemFacts:
    """What the rules need of a linkage item."""

    channel: str
    counterpart_kind: str
    legal_basis: str
    ordinance_effective_on: dt.date | None  # None when no ordinance is named
    has_ordinance: bool


def is_intra_office(channel: str, counterpart_kind: str) -> bool:
    return channel == "intra_office" or counterpart_kind == "same_body_organ"


def item_problems(item: ItemFacts, as_of: dt.date) -> list[str]:
    """Problem codes, in ITEM_PROBLEMS order; an empty list means the item is complete."""
    problems = []
    if is_intra_office(item.channel, item.counterpart_kind) and not item.has_ordinance:
        problems.append(INTRA_OFFICE_WITHOUT_ORDINANCE)
    if item.has_ordinance and item.ordinance_effective_on is not None and item.ordinance_effective_on > as_of:
        problems.append(ORDINANCE_NOT_IN_FORCE)
    if not (item.legal_basis or "").strip() and not item.has_ordinance:
        problems.append(MISSING_BASIS)
    return problems


def evidence_status(items_count: int, items_with_problems: int) -> str:
    """The progress matrix's 関連情報連携洗出 cell: × no items, △ some item has a problem, 〇 all complete."""
    if items_count <= 0:
        return "not_started"
    if items_with_problems > 0:
        return "started"
    return "done"


# ---- Proficiency (業務習熟): who checks data consistency, and the two procedures ----

MISSING_CHECKER = "missing_checker"
MISSING_TROUBLE_PROCEDURE = "missing_trouble_procedure"
MISSING_WRONG_DATA_PROCEDURE = "missing_wrong_data_procedure"
PROFILE_PROBLEMS: tuple[tuple[str, str], ...] = (
    (MISSING_CHECKER, "データの整合性を確認できる担当者（整合性確認担当者）が決まっていません"),
    (MISSING_TROUBLE_PROCEDURE, "システム障害時の手順が定められていません"),
    (MISSING_WRONG_DATA_PROCEDURE, "誤った情報を受けた場合の手順が定められていません"),
)
PROFILE_PROBLEM_LABEL = dict(PROFILE_PROBLEMS)


@dataclass(frozen=True)
class ProfileFacts:
    has_checker: bool
    trouble_procedure: str
    wrong_data_procedure: str


def profile_problems(profile: ProfileFacts | None, has_linkages: bool) -> list[str]:
    """Only a process that exchanges data needs the checker and the procedures."""
    if not has_linkages:
        return []
    profile = profile or ProfileFacts(False, "", "")
    problems = []
    if not profile.has_checker:
        problems.append(MISSING_CHECKER)
    if not (profile.trouble_procedure or "").strip():
        problems.append(MISSING_TROUBLE_PROCEDURE)
    if not (profile.wrong_data_procedure or "").strip():
        problems.append(MISSING_WRONG_DATA_PROCEDURE)
    return problems


# ---- The register's free-text 「使用システム」 ----

# 「・」 is deliberately not a separator: 「住民記録・税務システム」 is one product name.
_SYSTEM_SEPARATORS = re.compile(r"[、,，\n\r／]")


def split_systems(text: str) -> list[str]:
    """「基幹系パッケージ、福祉総合システム／税務システム」 → three names, NFKC and trimmed, no repeats."""
    names: list[str] = []
    for part in _SYSTEM_SEPARATORS.split(text or ""):
        name = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", part)).strip()
        if name and name not in names:
            names.append(name)
    return names


# ---- 根拠条例 cells: 「条例名 第N条」 or 「条例名」 ----


class UnknownOrdinance(ValueError):
    pass


class AmbiguousOrdinance(ValueError):
    def __init__(self, candidates: list[str]):
        super().__init__(candidates)
        self.candidates = candidates


def match_ordinance(text: str, ordinances: list[tuple[int, str, str]]) -> int:
    """The id of the ordinance named by `text`; `ordinances` are (id, name, article).

    「条例名 第4条」 names one article; 「条例名」 alone is enough when the municipality has one article of it.
    """
    key = compact(text)
    exact = [oid for oid, name, article in ordinances if compact(name) + compact(article) == key]
    if len(exact) == 1:
        return exact[0]
    by_name = [(oid, article) for oid, name, article in ordinances if compact(name) == key]
    if len(by_name) == 1:
        return by_name[0][0]
    if len(by_name) > 1:
        raise AmbiguousOrdinance([article for _oid, article in by_name])
    raise UnknownOrdinance(text)
