"""The user list of 利用者管理 and the staff list as .xlsx, written through core.sheets.writing (streamed:
memory does not grow with the list)."""

from django.utils import timezone

from jichitai.core.sheets.writing import streamed_table
from jichitai.core.wareki import format_date

from .services import ROLE_LABELS

COLUMNS = [("氏名", 18), ("ユーザー名", 18), ("役割", 14), ("所属", 22), ("最終ログイン", 18), ("二要素認証", 12),
           ("ロック", 10), ("状態", 10)]


def _user_values(row) -> list:
    last = timezone.localtime(row.last_login).replace(tzinfo=None) if row.last_login else "—"
    two_factor = "未設定" if not row.two_factor else "有効"
    locked = "—" if row.locked is None else ("ロック中" if row.locked else "なし")
    return [row.name, row.username, ROLE_LABELS.get(row.role, row.role), row.scope, last, two_factor, locked,
            "有効" if row.active else "無効"]


def users_workbook(rows, scope_name: str) -> bytes:
    return streamed_table("利用者一覧", f"{scope_name} 利用者一覧", f"{format_date(timezone.localdate())}現在", COLUMNS,
                          4, (_user_values(row) for row in rows))


STAFF_COLUMNS = [("職員番号", 12), ("氏名", 18), ("所属課室", 22), ("役割", 18), ("配属日", 16), ("退職日", 16)]


def staff_workbook(people, municipality_name: str, day) -> bytes:
    """The staff list as shown (the filter's rows), with the department and role each held on `day`."""
    return streamed_table("職員一覧", f"{municipality_name} 職員一覧", f"{format_date(day)}現在", STAFF_COLUMNS, 4,
                          ([person.staff_number, person.name, person.department or "—", person.role_label,
                            format_date(person.since) if person.since else "記録開始前から",
                            format_date(person.retired_on) if person.retired_on else ""] for person in people))
