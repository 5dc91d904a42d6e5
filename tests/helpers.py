"""Shared test helpers: workbooks built in memory, and a snapshot of the database to compare before/after."""

from django.apps import apps
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts import two_factor_services
from jichitai.demo.seed_sheets import workbook_bytes  # noqa: F401 - re-exported for the tests
from jichitai.processes import rules

SEED_HEADER = ["別表1事務"] + [name for _, name in rules.COLUMNS]


def progress_sheet(rows: list[list], date_line: str = "令和8年4月1日現在") -> bytes:
    return workbook_bytes({"進捗状況": [
        ["〇〇市役所 業務フロー等進捗状況"], [], [date_line], ["〇完了 △着手 ×未着手 -不要"], SEED_HEADER, *rows,
    ]})


def db_state() -> dict[str, list]:
    """Every row of every project table, as tuples: equal before and after means nothing was written."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in {"orgs", "processes", "audit", "handling", "risk", "training", "measures", "linkage", "checklist", "pia", "planning", "cloud",
                                   "incidents"}:
            state[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return state


def run_kind(kind, sheets, *, today, municipality=None, association_name=None, actor=None, options=None):
    """One import kind on sheets {name: rows} as run_import runs it, with a fixed `today`: (report, parsed).

    Writes (in a transaction) only when the report has no error.
    """
    from django.db import transaction

    from jichitai.core.sheets.reading import guard_cells
    from jichitai.core.sheets.report import ImportReport
    from jichitai.exchange.imports import Context, Sheet

    report = ImportReport()
    context = Context(actor, report, today, municipality, association_name, dict(options or {}))
    for name, rows in sheets.items():
        guard_cells(name, rows, report)
    parsed = kind.parse([Sheet(name, rows) for name, rows in sheets.items()], context)
    if report.ok:
        with transaction.atomic():
            kind.apply(parsed, context)
    return report, parsed


def enrol_two_factor_on_the_web(client, username) -> None:
    """The signed-in user registers an authenticator on 「2段階認証」, as the app would: the code computed from
    the secret the page was made from."""
    assert client.post("/account/2fa/enrol/").status_code == 302
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    page = client.post("/account/2fa/confirm/", {"confirm-code": code_for(device)})
    assert page.status_code == 200 and "2段階認証を有効にしました" in page.content.decode()


def code_for(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def as_if_time_passed(device):
    """A code is accepted once per 30-second step and a wrong one makes the next wait: start afresh, as if the
    next step had come."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor_services.begin_enrolment(user=user)
    codes = two_factor_services.confirm_enrolment(user=user, code=code_for(device))
    device.refresh_from_db()
    as_if_time_passed(device)
    return device, codes


def get_counting_queries(client, url) -> tuple[int, str]:
    """A page's query count and its HTML (a 200 expected)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def ids_in_table(page: str, link: str) -> list[int]:
    """The ids of the rows linked from a page's table body, in order: `link` a pattern like /m/\\d+/staff/(\\d+)/."""
    import re

    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [int(pk) for pk in re.findall(f'href="{link}"', body)]
