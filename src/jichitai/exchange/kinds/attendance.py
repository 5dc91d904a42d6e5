"""Import of a training attendance sheet (研修受講記録). Validate every row, then write.

Columns (the header row is found wherever it is): 職員番号 · 氏名 · 研修コード · 受講日 · テスト点数 · アンケート.
A session is found by (course, date) among the sessions the municipality organises or takes part in, or is
created with the municipality as organiser. A blank テスト点数 or アンケート leaves an existing record's value.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q

from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, compact, find_header, label_map
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.core.wareki import DateParseError, format_date, parse_date
from jichitai.orgs.models import Staff
from jichitai.training import rules, services
from jichitai.training.models import Course, Session
from jichitai.training.queries import sessions_of

from .base import MUNICIPALITY, header_score

KIND = "attendance"
LABEL = "受講記録"
HINT = "見出し行（職員番号・研修コード・受講日）"
SCOPE = MUNICIPALITY
HEADERS = {
    "staff_number": ("職員番号",),
    "name": ("氏名", "職員氏名"),
    "course": ("研修コード", "コード"),
    "held_on": ("受講日", "実施日"),
    "score": ("テスト点数", "点数", "テスト"),
    "survey": ("アンケート", "アンケート提出"),
}
REQUIRED = ("staff_number", "course", "held_on")
LABELS = label_map(HEADERS)
_DASHES = re.compile(r"[‐‑‒–—―−ー－]")


def course_key(code: str) -> str:
    """①-① and 1-1 are the same code: NFKC turns circled digits into digits; dashes are unified."""
    return _DASHES.sub("-", compact(code))


def detect(sheet) -> int:
    return header_score(sheet.rows, LABELS, REQUIRED)


@dataclass
class Entry:
    staff_id: int
    staff_number: str
    course_id: int
    held_on: dt.date
    test_score: int | None  # None: blank
    survey: bool | None  # None: blank
    cell: str  # the row's 職員番号 cell, for messages


@dataclass
class Parsed:
    sheet: str
    municipality: object
    result: SheetResult
    rows: list[Entry] = field(default_factory=list)
    sessions: dict[tuple[int, dt.date], int] = field(default_factory=dict)  # (course, date) → existing session
    courses: dict[int, Course] = field(default_factory=dict)


def _courses(municipality) -> tuple[dict[str, list[Course]], dict[str, Course]]:
    owners = Q(association__isnull=True, municipality__isnull=True) | Q(municipality=municipality)
    if municipality.association_id:
        owners |= Q(association_id=municipality.association_id)
    by_code, by_key = {}, {}
    for course in Course.objects.filter(owners):
        by_code[compact(course.code)] = course
        by_key.setdefault(course_key(course.code), []).append(course)
    return by_key, by_code


def _score(sheet, raw, ref, report) -> int | None:
    text = cell_text(raw)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,3}", normalise(text)) or not rules.check_score(int(normalise(text))):
        report.error(sheet, ref, f"テスト点数「{text[:10]}」は0〜100の整数で入力してください（未実施は空欄）。")
        return None
    return int(normalise(text))


def _survey(sheet, raw, ref, report) -> bool | None:
    text = normalise(cell_text(raw))
    if not text:
        return None
    try:
        return rules.read_survey(text)
    except rules.UnknownSurveyValue:
        report.error(sheet, ref, f"アンケート「{text[:10]}」は 済・未・有・無・〇・× のいずれかで入力してください。")
        return None


def _date(sheet, raw, ref, report, today) -> dt.date | None:
    if not cell_text(raw):
        report.error(sheet, ref, "受講日が空欄です。")
        return None
    try:
        day = parse_date(raw)
    except DateParseError as exc:
        report.error(sheet, ref, f"受講日を読めません（{exc}）。例: 令和8年6月10日、2026-06-10")
        return None
    if day > today:
        report.error(sheet, ref, f"受講日 {format_date(day)} が未来の日付です。")
        return None
    return day


def parse(sheets, context) -> list[Parsed]:
    parsed = (_parse_sheet(sheet.name, sheet.rows, context.municipality, context.report, context.today)
              for sheet in sheets)
    return [one for one in parsed if one is not None]


def _parse_sheet(sheet: str, rows: Rows, municipality, report: ImportReport, today: dt.date) -> Parsed | None:
    header = find_header(rows, LABELS, REQUIRED)
    if header is None:
        report.error(sheet, "A1", "見出し行（職員番号・研修コード・受講日）が見つかりません。")
        return None
    header_row, cols = header
    staff = {normalise(number): (pk, name) for pk, number, name in
             Staff.objects.filter(municipality=municipality).values_list("id", "staff_number", "name")}
    by_key, by_code = _courses(municipality)
    parsed = Parsed(sheet, municipality, SheetResult(sheet, KIND))
    seen: dict[tuple, str] = {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        cells = {key: (row[c] if c < len(row) else "", cell_ref(r, c)) for key, c in cols.items()}
        if not any(cell_text(value) for value, _ref in cells.values()):
            continue
        number_raw, number_ref = cells["staff_number"]
        number = normalise(cell_text(number_raw))
        person = staff.get(number)
        if not number:
            report.error(sheet, number_ref, "職員番号が空欄です。")
        elif person is None:
            report.error(sheet, number_ref, f"職員番号 {number} は{municipality.name}の職員名簿にありません。")
        elif "name" in cells and cell_text(cells["name"][0]):
            written = compact(cells["name"][0])
            if written != compact(person[1]):
                report.warn(sheet, cells["name"][1], f"氏名「{normalise(cell_text(cells['name'][0]))[:20]}」が職員名簿の"
                                                     f"「{person[1]}」と一致しません（職員番号 {number} として取り込みます）。")
        code_raw, code_ref = cells["course"]
        course = _course(sheet, cell_text(code_raw), code_ref, by_key, by_code, report)
        held_on = _date(sheet, *cells["held_on"], report, today)
        score = _score(sheet, *cells["score"], report) if "score" in cells else None
        survey = _survey(sheet, *cells["survey"], report) if "survey" in cells else None
        if person is None or course is None or held_on is None:
            continue
        key = (person[0], course.pk, held_on)
        if key in seen:
            report.error(sheet, number_ref, f"職員番号 {number} の {course.code}（{format_date(held_on)}）は {seen[key]} と重複しています。")
            continue
        seen[key] = number_ref
        parsed.courses[course.pk] = course
        parsed.rows.append(Entry(person[0], number, course.pk, held_on, score, survey, number_ref))
    if not parsed.rows and not report.errors:
        report.error(sheet, cell_ref(header_row, 0), "受講記録の行がありません。")
    wanted = {(e.course_id, e.held_on) for e in parsed.rows}
    for pk, course_id, held_on in (sessions_of([municipality.pk]).filter(course_id__in=parsed.courses)
                                   .order_by("id").values_list("id", "course_id", "held_on")):
        if (course_id, held_on) in wanted:
            parsed.sessions.setdefault((course_id, held_on), pk)
    parsed.result.rows = len(parsed.rows)
    return parsed


def _course(sheet, code, ref, by_key, by_code, report) -> Course | None:
    if not code:
        report.error(sheet, ref, "研修コードが空欄です。")
        return None
    exact = by_code.get(compact(code))
    if exact is not None:
        return exact
    candidates = by_key.get(course_key(code), [])
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        report.error(sheet, ref, f"研修コード「{code}」に当たる研修が複数あります（{'、'.join(c.code for c in candidates)}）。表記どおりに入力してください。")
        return None
    known = "、".join(sorted(by_code.keys()))[:200]
    report.error(sheet, ref, f"研修コード「{code[:20]}」はカリキュラムにありません。登録済みのコード: {known}")
    return None


def apply(parsed_sheets: list[Parsed], context) -> None:
    """Per (course, date): the session found, or created with the municipality as organiser; then the
    attendance marked as a user marks it, blank cells keeping what is recorded.
    result.created = attendance rows added, result.updated = rows changed."""
    for parsed in parsed_sheets:
        staff = {s.pk: s for s in Staff.objects.filter(pk__in={e.staff_id for e in parsed.rows})}
        groups: dict[tuple[int, dt.date], list[Entry]] = {}
        for one in parsed.rows:
            groups.setdefault((one.course_id, one.held_on), []).append(one)
        for (course_id, held_on), entries in groups.items():
            session = _session_for(parsed, course_id, held_on, entries, context)
            created, updated = services.mark_attendance(
                actor=context.actor, via=context.via, session=session, municipality=parsed.municipality,
                keep_unstated=True,
                entries=[{"staff": staff[e.staff_id], "attended": True, "test_score": e.test_score,
                          "survey_submitted": e.survey} for e in entries])
            parsed.result.created += created
            parsed.result.updated += updated


def _session_for(parsed: Parsed, course_id: int, held_on: dt.date, entries: list[Entry], context) -> Session:
    found = parsed.sessions.get((course_id, held_on))
    if found is not None:
        return Session.objects.get(pk=found)
    session = services.save_session(
        actor=context.actor, via=context.via, organiser_municipality=parsed.municipality,
        course=parsed.courses[course_id], held_on=held_on,
        has_test=any(e.test_score is not None for e in entries), has_survey=any(e.survey is not None for e in entries))
    parsed.sessions[(course_id, held_on)] = session.pk
    return session
