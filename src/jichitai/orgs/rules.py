"""Pure rules of departments and staff over time. No Django.

Personnel records keep a period per position (人事記録: 発令日 and 退職日): a transfer (異動) takes effect on its
発令日, so the earlier position ends the day before; a person's 退職日 is their last day in office; a section's
廃止日 is the first day it no longer exists (機構改革 take effect on their 施行日, usually 4月1日).
"""

import datetime as dt

from jichitai.core.wareki import format_wareki

# valid_from of the history rows made for people and sections registered before their history was kept:
# "since before the records began". It is the first day core.wareki accepts.
SINCE_RECORDS = dt.date(1868, 1, 1)

ONE_DAY = dt.timedelta(days=1)


def covers(valid_from: dt.date, valid_to: dt.date | None, day: dt.date) -> bool:
    """A period with both ends inclusive (valid_to None: open) contains `day`."""
    return valid_from <= day and (valid_to is None or day <= valid_to)


def in_office(retired_on: dt.date | None, day: dt.date) -> bool:
    """Still in office on `day`: the 退職日 is the last day in office."""
    return retired_on is None or day <= retired_on


def department_exists(abolished_on: dt.date | None, day: dt.date) -> bool:
    """A section exists on `day` unless abolished on or before it (the 廃止日 is its first day gone)."""
    return abolished_on is None or day < abolished_on


def name_on(names: list[tuple[str, dt.date, dt.date | None]], day: dt.date, current: str) -> str:
    """The name a section bore on `day`, from its (name, valid_from, valid_to) rows; before the first row (or with
    none) the earliest known name, which is the current one when it was never renamed."""
    for name, valid_from, valid_to in names:
        if covers(valid_from, valid_to, day):
            return name
    earliest = min(names, key=lambda row: row[1], default=None)
    return earliest[0] if earliest is not None and day < earliest[1] else current


def change_date_problem(day: dt.date, current_from: dt.date | None, today: dt.date) -> str | None:
    """Why a transfer, role change or rename cannot take effect on `day` (Japanese), or None.

    Not in the future (the current department and role are today's), and after the current position began
    (an earlier date would rewrite a period already recorded)."""
    if day > today:
        return "将来の日付は指定できません。発令日を迎えてから登録してください。"
    if current_from is not None and day <= current_from:
        return f"日付は現在の期間の開始日（{format_wareki(current_from)}）より後にしてください。"
    return None
