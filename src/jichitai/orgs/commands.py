"""What commands need from organisations: a municipality named by its code."""

from jichitai.core.codes import is_valid_municipality_code
from jichitai.core.commands import InvalidInput

from .models import Municipality


def municipality_from_code(code: str | None) -> Municipality:
    """The municipality with this 6-digit 全国地方公共団体コード, or InvalidInput (exit 2) saying why not."""
    if not is_valid_municipality_code(code or ""):
        raise InvalidInput(f"団体コード「{code}」が正しくありません（6桁、6桁目はチェックデジット）。")
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise InvalidInput(f"団体コード {code} の団体が登録されていません。")
    return municipality
