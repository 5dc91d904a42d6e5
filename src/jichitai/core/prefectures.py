"""The prefecture of a municipality, from the first two digits of its 団体コード (pure).

Source: 総務省「全国地方公共団体コード」 — the first two digits are the prefecture's number, 01 北海道 … 47 沖縄県
(JIS X 0401). Numbers 48–99 belong to no prefecture; the demo and the benches use them for fictional members.
"""

NAMES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
    "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
PREFECTURES = {f"{number:02d}": name for number, name in enumerate(NAMES, start=1)}
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
