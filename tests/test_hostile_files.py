"""Hostile files are refused fast, with a Japanese message naming the limit's setting, and nothing is written.

The files are bench/hostile_uploads.py's builders at small sizes, against limits lowered with override_settings
where a real size would be slow to build. Each case goes through run_import and through the web upload; the
HTTP layer refuses an oversized body with 413 before reading it (there is no import endpoint in the API: its
oversized bodies are refused the same way, as JSON).
"""

import io
import time
import zipfile

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from bench import hostile_uploads as hostile
from jichitai.core.middleware import UploadLimitMiddleware
from jichitai.core.sheets import limits as limits_module
from jichitai.core.sheets.reading import read_workbook
from jichitai.exchange.imports import run_import
from jichitai.processes.models import ProgressChange
from tests.helpers import db_state, progress_sheet

MB = 1024 * 1024
SECONDS = 2  # the bound for a refusal


def limits(**lowered):
    """override_settings with some IMPORT_LIMITS changed: limits(ROWS_PER_SHEET=10)."""
    return override_settings(IMPORT_LIMITS={**settings.IMPORT_LIMITS,
                                            **{f"JICHITAI_MAX_{name}": value for name, value in lowered.items()}})


def padded(data: bytes, size: int) -> bytes:
    """The workbook with a stored member of random bytes added, `size` bytes in all (calamine ignores it)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("docProps/padding.bin", b"")
    overhead = len(out.getvalue())
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("docProps/padding.bin", hostile.not_a_zip(size - overhead))
    assert len(out.getvalue()) == size
    return out.getvalue()


# (id, builder, lowered limits, what the message must contain)
CASES = [
    ("not-a-zip", lambda: hostile.not_a_zip(4096), {}, "読み込めません"),
    ("truncated", hostile.truncated, {}, "壊れています"),
    ("xxe", hostile.xxe, {}, "DOCTYPE"),
    ("billion-laughs", hostile.billion_laughs, {}, "DOCTYPE"),
    ("zip-bomb-unpacked", lambda: hostile.zip_bomb(3 * MB), {"UNPACKED_MB": 2}, "JICHITAI_MAX_UNPACKED_MB"),
    ("zip-bomb-ratio", lambda: hostile.zip_bomb(3 * MB), {}, "JICHITAI_MAX_COMPRESSION_RATIO"),
    ("cells-bomb-unpacked", lambda: hostile.cells_bomb(3 * MB), {"UNPACKED_MB": 2}, "JICHITAI_MAX_UNPACKED_MB"),
    # Cells without references: the scan cannot place them, the child process counts them (limits._probe).
    ("cells-bomb-cells", lambda: hostile.cells_bomb(MB // 2), {"CELLS": 10_000}, "JICHITAI_MAX_CELLS"),
    ("tall-sheet", lambda: hostile.tall_sheet(2_000), {"ROWS_PER_SHEET": 1_000}, "JICHITAI_MAX_ROWS_PER_SHEET"),
    # 700 bytes whose dense grid would be 1,048,576 × 16,384 cells: calamine would abort the process.
    ("last-row-and-column", hostile.sparse_corners, {}, "JICHITAI_MAX_ROWS_PER_SHEET"),
    ("wide-sheet", lambda: hostile.sparse_corners(10, "XFD"), {"CELLS": 100_000}, "JICHITAI_MAX_CELLS"),
    ("upload-size", lambda: hostile.big_csv(2 * MB), {"UPLOAD_MB": 1}, "JICHITAI_MAX_UPLOAD_MB"),
    ("csv-size", lambda: hostile.big_csv(3 * MB // 2), {"CSV_MB": 1}, "JICHITAI_MAX_CSV_MB"),
    ("csv-rows", lambda: hostile.big_csv(20_000), {"ROWS_PER_SHEET": 100}, "JICHITAI_MAX_ROWS_PER_SHEET"),
]
IDS = [case[0] for case in CASES]


@pytest.fixture(scope="module")
def files():
    return {name: build() for name, build, _lowered, _expected in CASES}


@pytest.mark.parametrize(("name", "lowered", "expected"), [case[::2] + (case[3],) for case in CASES], ids=IDS)
def test_run_import_refuses(files, name, lowered, expected, municipality, process):
    before = db_state()
    with limits(**lowered):
        started = time.perf_counter()
        report = run_import(files[name], actor=None, municipality=municipality)
        seconds = time.perf_counter() - started
    assert not report.ok and len(report.errors) == 1
    message = report.errors[0].message
    assert expected in message, message
    assert "上限" in message if expected.startswith("JICHITAI_") else "ファイル" in message or "ブック" in message
    assert seconds < SECONDS
    assert db_state() == before


@pytest.mark.parametrize(("name", "lowered", "expected"), [case[::2] + (case[3],) for case in CASES], ids=IDS)
def test_web_upload_refuses(files, name, lowered, expected, client_for, admin_user, municipality, process):
    client = client_for(admin_user)
    before = db_state()
    upload = io.BytesIO(files[name])
    upload.name = "進捗.csv" if name.startswith(("csv", "upload")) else "進捗.xlsx"
    with limits(**lowered):
        response = client.post(f"/m/{municipality.code}/import/", {"file": upload})
    html = response.content.decode()
    if name == "upload-size":  # the body itself is over the limit: refused before the view
        assert response.status_code == 413
    else:
        assert response.status_code == 400
    assert expected in html
    assert db_state() == before


def test_the_limit_is_the_boundary(municipality, process):
    """A sheet exactly at the row and cell limits imports; one row or cell fewer allowed refuses it."""
    data = progress_sheet([["児童手当事務", "〇", "", "", "", "", ""]])
    grid = read_workbook(data)["進捗状況"]
    rows, cells = len(grid), len(grid) * max(len(row) for row in grid)
    with limits(ROWS_PER_SHEET=rows - 1):
        assert "JICHITAI_MAX_ROWS_PER_SHEET" in run_import(data, actor=None, municipality=municipality).errors[0].message
    with limits(CELLS=cells - 1):
        assert "JICHITAI_MAX_CELLS" in run_import(data, actor=None, municipality=municipality).errors[0].message
    assert not ProgressChange.objects.exists()
    with limits(ROWS_PER_SHEET=rows, CELLS=cells):
        report = run_import(data, actor=None, municipality=municipality)
    assert report.ok, report.errors
    assert ProgressChange.objects.filter(process=process).count() == 1


def test_a_workbook_just_under_the_upload_limit_imports(municipality, process):
    data = progress_sheet([["児童手当事務", "〇", "", "", "", "", ""]])
    with limits(UPLOAD_MB=1):
        assert "JICHITAI_MAX_UPLOAD_MB" in run_import(padded(data, MB + 1), actor=None,
                                                      municipality=municipality).errors[0].message
        report = run_import(padded(data, MB), actor=None, municipality=municipality)
    assert report.ok, report.errors


def test_an_ordinary_workbook_is_bounded_by_the_scan_alone(monkeypatch):
    """What openpyxl (and Excel) write is measured without the child process: no cost for normal imports."""
    monkeypatch.setattr(limits_module, "_probe", lambda *args: pytest.fail("probe started"))
    data = hostile.with_sheet([hostile.HEAD, *(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="C{n}" s="1"/></row>'
                                               .encode() for n in range(1, 5_001)), hostile.TAIL])
    assert limits_module.check_workbook(data, limits_module.Limits.current())
    assert len(read_workbook(data)["進捗状況"]) == 5_000


# ---- the HTTP layer: 413 before the body is read ----

class Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def oversized_request(path: str):
    request = RequestFactory().post(path, data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(21 * MB)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    return request


@pytest.mark.parametrize("path", ["/m/992011/import/", "/api/v1/processes/1/handling-rows"])
def test_middleware_refuses_without_reading_the_body(path):
    middleware = UploadLimitMiddleware(lambda request: pytest.fail("the view was called"))
    response = middleware(oversized_request(path))
    assert response.status_code == 413
    body = response.content.decode()
    assert "JICHITAI_MAX_UPLOAD_MB" in body and "20 MB" in body
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/json"
    else:
        assert response["Content-Type"].startswith("text/html") and "ファイルが大きすぎます" in body


def test_api_body_over_the_limit_is_413_json(client, admin_user, process):
    client.force_login(admin_user)
    before = db_state()
    with limits(UPLOAD_MB=1):
        response = client.post(f"/api/v1/processes/{process.pk}/handling-rows",
                               data=b'{"name": "' + b"x" * (2 * MB) + b'"}', content_type="application/json")
    assert response.status_code == 413
    assert "JICHITAI_MAX_UPLOAD_MB" in response.json()["detail"] and "1 MB" in response.json()["detail"]
    assert db_state() == before


def test_web_upload_under_the_limit_reaches_the_view(client_for, admin_user, municipality, process):
    upload = io.BytesIO(padded(progress_sheet([["児童手当事務", "〇", "", "", "", "", ""]]), MB))
    upload.name = "進捗.xlsx"
    with limits(UPLOAD_MB=1):
        response = client_for(admin_user).post(f"/m/{municipality.code}/import/", {"file": upload})
    assert response.status_code == 200
    assert ProgressChange.objects.filter(process=process).count() == 1
