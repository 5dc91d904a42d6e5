"""Hostile uploads: each refused by `run_import` fast and in bounded memory, with nothing written.

Builds eight files in a temporary directory (each in a child process), then imports each through
jichitai.exchange.imports.run_import(data, actor=None, municipality=m) in a fresh child process (so that
ru_maxrss is that file's alone: Django, the file's bytes and whatever reading it cost), against a migrated
SQLite database copied for the child. It prints one line per file: its size, the head of the refusal, the
seconds run_import took, the child's peak resident memory (the larger of the child's and of any process it
started: the probe of limits.py), and whether the database's row counts were unchanged.

  not-a-zip          an .xlsx that is not a zip (random bytes)
  truncated          a real workbook cut in half
  xxe                a workbook whose sheet declares an external entity (file:///etc/passwd)
  billion-laughs     a workbook whose sheet declares the nested "lol" entities
  zip-bomb           one cell holding a 1 GB string, deflated to about 1 MB
  cells-bomb         1 GB of cells (50 million, 1,000 per row), deflated to about 9 MB
  rows-1048576       a sheet with a value in every one of Excel's 1,048,576 rows
  csv-50mb           a 50 MB CSV

Target (issue 10): every file refused in under 2 s with a peak under 300 MB. The builders take sizes, and
tests/test_hostile_files.py uses them with small sizes and lowered limits.
"""

import argparse
import io
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
GB = 1024 * MB
SHEET = "xl/worksheets/sheet1.xml"
HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = b"</sheetData></worksheet>"


# ---- builders (no Django needed) ----

def base_workbook() -> bytes:
    """A one-sheet workbook from openpyxl, whose sheet the builders replace."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "進捗状況"
    workbook.active["A1"] = "見出し"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet(chunks: Iterable[bytes], level: int = 6) -> bytes:
    """The base workbook with its sheet's XML replaced by `chunks` (streamed into the zip, honest sizes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for member in source.infolist():
            if member.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as stream:
                    for chunk in chunks:
                        stream.write(chunk)
            else:
                target.writestr(member, source.read(member))
    return out.getvalue()


def not_a_zip(size: int = 64 * 1024) -> bytes:
    return random.Random(1).randbytes(size)


def truncated() -> bytes:
    data = with_sheet([HEAD, *(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'.encode() for n in range(1, 2001)),
                       TAIL])
    return data[:len(data) // 2]


def xxe() -> bytes:
    return with_sheet([b'<?xml version="1.0" encoding="UTF-8"?>\n'
                       b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                       b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                       b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', TAIL])


def billion_laughs() -> bytes:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'.encode() for n in range(1, 10))
    return with_sheet([b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [' + entities + b"]>\n"
                       b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                       b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', TAIL])


def zip_bomb(unpacked: int = GB) -> bytes:
    """One cell holding one string of `unpacked` bytes of the same letter: deflate's best case, about 1,000 : 1."""
    chunk = b"a" * MB
    return with_sheet([HEAD, b'<row r="1"><c r="A1" t="inlineStr"><is><t>',
                       *(chunk for _ in range(unpacked // MB)), b"</t></is></c></row>", TAIL], level=9)


def cells_bomb(unpacked: int = GB, columns: int = 1000) -> bytes:
    """About `unpacked` bytes of cells: rows of `columns` boolean cells placed one after another (no reference,
    as a writer may), one in four TRUE at random: about 110 : 1."""
    rng = random.Random(1)

    def row() -> bytes:
        return b"".join([b"<row>", *(b'<c t="b"><v>%d</v></c>' % (rng.random() < 0.25) for _ in range(columns)),
                         b"</row>"])

    # Eight different pieces of about 1 MB, in turn: each further apart than deflate's 32 KB window.
    pieces = [b"".join(row() for _ in range(max(1, MB // (21 * columns)))) for _ in range(8)]
    count = max(1, unpacked // len(pieces[0]))
    return with_sheet([HEAD, *(pieces[n % 8] for n in range(count)), TAIL], level=9)


def tall_sheet(rows: int = 1_048_576) -> bytes:
    """A value in every row of the sheet, down to `rows` (Excel's last row by default)."""
    def chunks():
        yield HEAD
        for start in range(1, rows + 1, 10_000):
            yield "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
                          for n in range(start, min(start + 10_000, rows + 1))).encode()
        yield TAIL

    return with_sheet(chunks())


def sparse_corners(last_row: int = 1_048_576, last_column: str = "XFD") -> bytes:
    """Two cells, A1 and the sheet's far corner: a tiny file whose dense grid would be rows × columns."""
    return with_sheet([HEAD, b'<row r="1"><c r="A1"><v>1</v></c></row>',
                       f'<row r="{last_row}"><c r="{last_column}{last_row}"><v>1</v></c></row>'.encode(), TAIL])


def big_csv(size: int = 50 * MB) -> bytes:
    line = "事務名,業務フロー,特定個人情報,リスク評価,関連情報連携洗出,条例案上程,PIA提出\n".encode()
    row = "児童手当事務,〇,△,×,-,〇,△\n".encode()
    return line + row * ((size - len(line)) // len(row) + 1)


FILES = {
    "not-a-zip": lambda: not_a_zip(),
    "truncated": truncated,
    "xxe": xxe,
    "billion-laughs": billion_laughs,
    "zip-bomb": lambda: zip_bomb(GB),
    "cells-bomb": lambda: cells_bomb(GB),
    "rows-1048576": lambda: tall_sheet(1_048_576),
    "csv-50mb": lambda: big_csv(50 * MB),
}


# ---- measuring, one child process per file ----

CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from django.apps import apps
from jichitai.exchange.imports import run_import
from jichitai.orgs.models import Municipality

def counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}

data = open(sys.argv[1], "rb").read()
municipality = Municipality.objects.get(code=sys.argv[2])
before = counts()
started = time.perf_counter()
report = run_import(data, actor=None, municipality=municipality)
seconds = time.perf_counter() - started
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"ok": report.ok, "errors": [p.message for p in report.errors], "seconds": seconds,
                  "peak_mb": peak / 1024, "unchanged": counts() == before}, ensure_ascii=False))
"""


def prepare_database(directory: Path) -> tuple[dict, str]:
    """A migrated SQLite database with one municipality; the environment a child needs to use it."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="jichitai.settings", JICHITAI_DEBUG="1",
               JICHITAI_DATA_DIR=str(directory), PYTHONPATH=str(ROOT / "src"))
    for name in [n for n in env if n.startswith("JICHITAI_MAX_")]:
        del env[name]  # the defaults are measured
    sys.path.insert(0, str(ROOT / "src"))
    from jichitai.core.codes import with_check_digit

    code = with_check_digit("99201")
    setup = ("import django; django.setup()\n"
             "from django.core.management import call_command\n"
             "call_command('migrate', verbosity=0)\n"
             "from jichitai.orgs.models import Municipality\n"
             f"Municipality.objects.get_or_create(code='{code}', defaults={{'name': 'デモ市'}})\n")
    subprocess.run([sys.executable, "-c", setup], env=env, check=True)  # noqa: S603
    return env, code


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    ram = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return (f"{os.cpu_count()} cores ({model}), {ram / MB:.1f} GiB RAM, Python {platform.python_version()}, "
            f"SQLite")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", help="build the files into this directory and keep them")
    parser.add_argument("--build", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("only", nargs="*", help="names of the files to run (all by default)")
    args = parser.parse_args()
    if args.build:
        name, path = args.build
        Path(path).write_bytes(FILES[name]())
        return 0
    directory = Path(args.keep or tempfile.mkdtemp(prefix="jichitai-hostile-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        env, code = prepare_database(directory)
        database = directory / "jichitai.sqlite3"
        pristine = database.read_bytes()
        print(machine())
        print("| file | size | refused with | s | peak MB | DB unchanged |")
        print("|---|---:|---|---:|---:|---|")
        failures = 0
        for name in FILES:
            if args.only and name not in args.only:
                continue
            path = directory / f"{name}.{'csv' if name.startswith('csv') else 'xlsx'}"
            if not path.exists():  # built by a child: this process stays small, and each measuring child
                # starts from this process's peak (Linux keeps ru_maxrss across fork and exec)
                subprocess.run([sys.executable, __file__, "--build", name, str(path)], check=True)  # noqa: S603
            database.write_bytes(pristine)
            done = subprocess.run([sys.executable, "-c", CHILD, str(path), code], env=env,  # noqa: S603
                                  capture_output=True, text=True, check=False)
            if done.returncode:
                print(f"| {name} | | child failed: {done.stderr.strip().splitlines()[-1:]} | | | |")
                failures += 1
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            head = result["errors"][0] if result["errors"] else "(accepted)"
            size = path.stat().st_size
            shown = f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.1f} KB"
            good = (not result["ok"] and result["unchanged"] and result["seconds"] < 2
                    and result["peak_mb"] < 300)
            failures += not good
            print(f"| {name} | {shown} | {head} | {result['seconds']:.3f} | {result['peak_mb']:.0f} | "
                  f"{'yes' if result['unchanged'] else 'NO'} |")
        print("all refused, each under 2 s and 300 MB" if not failures else f"{failures} file(s) missed the target")
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
