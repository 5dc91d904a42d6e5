"""What an uploaded file may cost the server, checked before anything in it is unpacked or parsed.

The limits are settings (`IMPORT_LIMITS`); every refusal is a WorkbookError naming the limit, its value and the
setting. In order:

1. the file's size (JICHITAI_MAX_UPLOAD_MB); a CSV's (JICHITAI_MAX_CSV_MB); a JSON document's containers
   (JICHITAI_MAX_CELLS);
2. a zip (.xlsx, .ods, anything starting with PK), from its central directory alone: the members' unpacked
   sizes (JICHITAI_MAX_UNPACKED_MB) and each member's compression ratio (JICHITAI_MAX_COMPRESSION_RATIO);
   not a zip though it starts with PK: damaged;
3. every member then streamed (never past its declared size, which zipfile and calamine both enforce):
   no DOCTYPE or ENTITY declaration in any XML part, and in each sheetData the reference of every cell:
   rows per sheet (JICHITAI_MAX_ROWS_PER_SHEET) and the sheets' rows × columns (JICHITAI_MAX_CELLS),
   stopping at the first limit crossed;
4. what that scan cannot bound — an .xls, .ods or .xlsb, a sheet written in an unusual form, shared strings
   long enough to matter — is opened first in a child process under a memory ceiling, which reports each
   sheet's size, or dies instead of the server.

Why 3 and 4: python-calamine builds every sheet as a dense grid (rows × columns × 32 bytes) holding its own
copy of each shared string per cell, before Python sees any of it. A 700-byte sheet with values in A1 and
XFD1048576 asks for 550 GB and aborts the process; one 4 MB shared string used by 200 cells takes 800 MB.
reading.py then checks calamine's own dimensions of each sheet before converting it to Python objects.
"""

import io
import json
import re
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from operator import itemgetter

from django.conf import settings

MB = 1024 * 1024
CHUNK = MB  # a zip member is streamed in pieces of this size
RATIO_FREE_BYTES = MB  # a smaller member may compress well (printer settings, repeated styles): it is no bomb
DIRECTORY_BYTES = MB  # a zip's list of members; a real workbook's is a few kilobytes
CELL_BYTES = 32  # one cell of calamine's grid
PROBE_SECONDS = 20
PROBE_FLOOR = 64 * MB  # the child's memory allowance never drops below this, whatever the settings
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and password-protected .xlsx)

DAMAGED = ("ファイルを読み込めません。ZIP 形式（.xlsx/.ods）として壊れています。"
           "Excel で開けるか確かめて、保存し直してください。")
DOCTYPE = ("ブックの XML に DOCTYPE（実体の宣言）があります。外部実体や実体の展開による攻撃を防ぐため、"
           "このファイルは読み込みません。")
UNSUPPORTED_MEMBER = ("ブックの ZIP に、暗号化された部品か対応していない圧縮方式の部品があります。"
                      "Excel で .xlsx として保存し直してください。")
DIRECTORY = f"ブックの ZIP のファイル一覧が大きすぎる（{DIRECTORY_BYTES // MB} MB 超）ため、読み込みません。"
TIMEOUT = f"ブックの読み込みに時間がかかりすぎる（{PROBE_SECONDS} 秒超）ため、中止しました。"


class WorkbookError(ValueError):
    """The file cannot be read as a workbook at all, or goes over a limit."""


def _exceeded(what: str, value: str, setting: str) -> WorkbookError:
    return WorkbookError(f"{what}が上限（{value}、設定 {setting}）を超えています。")


@dataclass(frozen=True)
class Limits:
    upload_mb: int
    unpacked_mb: int
    ratio: int
    rows: int
    cells: int
    csv_mb: int

    @classmethod
    def current(cls) -> "Limits":
        values = settings.IMPORT_LIMITS
        return cls(values["JICHITAI_MAX_UPLOAD_MB"], values["JICHITAI_MAX_UNPACKED_MB"],
                   values["JICHITAI_MAX_COMPRESSION_RATIO"], values["JICHITAI_MAX_ROWS_PER_SHEET"],
                   values["JICHITAI_MAX_CELLS"], values["JICHITAI_MAX_CSV_MB"])

    @property
    def upload_bytes(self) -> int:
        return self.upload_mb * MB

    @property
    def unpacked_bytes(self) -> int:
        return self.unpacked_mb * MB

    # ---- refusals: the limit, its value, its setting ----

    def too_large(self) -> WorkbookError:
        return _exceeded("ファイルのサイズ", f"{self.upload_mb} MB", "JICHITAI_MAX_UPLOAD_MB")

    def too_large_unpacked(self) -> WorkbookError:
        return _exceeded("展開後のサイズ", f"{self.unpacked_mb} MB", "JICHITAI_MAX_UNPACKED_MB")

    def too_compressed(self) -> WorkbookError:
        return _exceeded("圧縮率", f"{self.ratio} 倍", "JICHITAI_MAX_COMPRESSION_RATIO")

    def too_many_rows(self, sheet: str | None = None) -> WorkbookError:
        what = f"シート「{sheet}」の行数" if sheet else "シートの行数"
        return _exceeded(what, f"{self.rows:,} 行", "JICHITAI_MAX_ROWS_PER_SHEET")

    def too_many_cells(self, what: str = "ブックのセル数") -> WorkbookError:
        return _exceeded(what, f"{self.cells:,} セル", "JICHITAI_MAX_CELLS")

    def too_large_csv(self) -> WorkbookError:
        return _exceeded("CSV ファイルのサイズ", f"{self.csv_mb} MB", "JICHITAI_MAX_CSV_MB")

    def too_large_to_open(self) -> WorkbookError:
        return WorkbookError(
            f"ブックを開くと、セル数の上限（{self.cells:,} セル、設定 JICHITAI_MAX_CELLS）か展開後のサイズの上限"
            f"（{self.unpacked_mb} MB、設定 JICHITAI_MAX_UNPACKED_MB）を超えます。")

    # ---- checks ----

    def check_upload(self, data: bytes) -> None:
        if len(data) > self.upload_bytes:
            raise self.too_large()

    def check_csv(self, data: bytes) -> None:
        if len(data) > self.csv_mb * MB:
            raise self.too_large_csv()

    def check_json(self, data: bytes) -> None:
        """Every object or array is a Python container: at most as many as a workbook has cells."""
        if data.count(b"{") + data.count(b"[") > self.cells:
            raise self.too_many_cells("JSON の要素（オブジェクト・配列）の数")

    def check_sheet(self, sheet: str | None, rows: int, columns: int, cells_before: int) -> int:
        """Refuse a sheet of `rows` × `columns` (from A1) over a limit; the workbook's cells so far with it."""
        if rows > self.rows:
            raise self.too_many_rows(sheet)
        cells = cells_before + rows * columns
        if cells > self.cells:
            raise self.too_many_cells()
        return cells

    def csv_rows(self, reader) -> list[list[str]]:
        """The rows of a csv.reader, stopping at the first row over a limit."""
        rows, cells = [], 0
        for row in reader:
            cells += len(row)
            if len(rows) >= self.rows:
                raise _exceeded("CSV の行数", f"{self.rows:,} 行", "JICHITAI_MAX_ROWS_PER_SHEET")
            if cells > self.cells:
                raise self.too_many_cells("CSV のセル数")
            rows.append(row)
        return rows


def is_workbook(data: bytes) -> bool:
    """A file only calamine reads: a zip (starting with PK) or an OLE compound file (.xls)."""
    return data[:2] == b"PK" or data[:8] == OLE_MAGIC


def check_workbook(data: bytes, limits: Limits) -> bool:
    """Refuse a workbook over a limit (WorkbookError) before calamine opens it in this process.

    False when calamine cannot read it at all (found by the child process).
    """
    if data[:2] == b"PK" and _ZipScan(data, limits).bounded():
        return True
    return _probe(data, limits)


# ---- the zip: directory, then every member streamed ----

# Cell references as every common writer puts them: the first attribute, upper case, no $ (Excel, LibreOffice,
# openpyxl, xlsxwriter). Any other form of a cell sends the workbook to the child process.
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_OPEN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"[^>]*(?<!/)>')
_EMPTY_CELL = re.compile(rb'<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"(?: [a-z]+="[0-9A-Za-z]*")*/>')
_PREFIX = re.compile(rb"(?:[^\s<>/:!?=\"']+:)?")
_SHARED_ITEM = re.compile(rb"<(?:[^\s<>/:!?=\"']+:)?si[\s>/]")
_SHEET_ENTRY = re.compile(rb"<(?:[^\s<>/:!?=\"']+:)?sheet[\s>/]")
_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)""")
_TAG_END = frozenset(b" \t\r\n/>")
_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")  # <!DOCTYPE, <!ENTITY …; not a comment or CDATA


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _segments(stream):
    """The member in pieces cut just before a '<': no tag is ever split between two pieces."""
    carry = b""
    while chunk := stream.read(CHUNK):
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut > 0:
            yield buffer[:cut]
            carry = buffer[cut:]
        elif len(buffer) > 4 * CHUNK:  # a long run without '<': go on, keeping a little overlap
            yield buffer
            carry = buffer[-16:]
        else:
            carry = buffer
    if carry:
        yield carry


def _sheet_data_tags(segment: bytes):
    """(start, end, opens) of each sheetData start or end tag, with any prefix."""
    at = segment.find(b"sheetData")
    while at >= 0:
        lt = segment.rfind(b"<", 0, at)
        name = segment[lt + 1:at]
        closing = name[:1] == b"/"
        if lt >= 0 and at + 9 < len(segment) and segment[at + 9] in _TAG_END \
                and _PREFIX.fullmatch(name[1:] if closing else name):
            end = segment.find(b">", at)
            end = len(segment) if end < 0 else end + 1
            yield lt, end, not closing and segment[end - 2:end] != b"/>"
        at = segment.find(b"sheetData", at + 9)


@dataclass
class _Sheet:
    """One sheetData: the furthest row and column holding a value (from A1), and its cell elements."""
    rows: int = 0
    columns: int = 0
    elements: int = 0


class _ZipScan:
    def __init__(self, data: bytes, limits: Limits):
        self.data = data
        self.limits = limits
        self.plain = True  # every cell in the usual form, every XML part UTF-8
        self.cells = 0  # the sheets' rows × columns so far
        self.elements = 0  # cell elements in all sheets
        self.sheets = 0  # parts with a sheetData
        self.entries = 0  # <sheet> entries of the workbook part
        self.longest_shared = 0  # bytes of the longest shared-string item

    def bounded(self) -> bool:
        """Refuse what goes over a limit; True when calamine's grids are known to fit, False when unknown."""
        members = self._directory()
        names = {member.filename.lower() for member in members}
        if names & {"content.xml", "mimetype", "xl/workbook.bin"}:
            self.plain = False  # calamine may read it as .ods or .xlsb: the scan below does not model those
        archive = zipfile.ZipFile(io.BytesIO(self.data))
        try:
            for member in members:
                with archive.open(member) as stream:
                    self._member(member.filename.lower(), stream)
        except WorkbookError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:  # bad CRC, bad deflate
            raise WorkbookError(DAMAGED) from exc
        # A shared string is copied into every cell showing it, and a sheet listed twice is built twice.
        copies = 1 + max(0, self.entries - self.sheets)
        if self.elements * self.longest_shared * copies > self.limits.unpacked_bytes:
            return False
        return self.plain

    def _directory(self) -> list[zipfile.ZipInfo]:
        """The members, from the central directory alone (nothing is decompressed)."""
        end = self.data.rfind(b"PK\x05\x06", max(0, len(self.data) - 65_557))
        if end < 0 or len(self.data) < end + 22:
            raise WorkbookError(DAMAGED)
        if int.from_bytes(self.data[end + 12:end + 16], "little") > DIRECTORY_BYTES:
            raise WorkbookError(DIRECTORY)
        try:
            members = zipfile.ZipFile(io.BytesIO(self.data)).infolist()
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise WorkbookError(DAMAGED) from exc
        unpacked = 0
        for member in members:
            if member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise WorkbookError(UNSUPPORTED_MEMBER)
            unpacked += member.file_size
            if unpacked > self.limits.unpacked_bytes:
                raise self.limits.too_large_unpacked()
            if member.file_size > RATIO_FREE_BYTES \
                    and member.file_size > self.limits.ratio * max(member.compress_size, 1):
                raise self.limits.too_compressed()
        return members

    def _member(self, name: str, stream) -> None:
        shared = name.endswith("sharedstrings.xml")
        workbook = name.endswith("workbook.xml")
        sheet, inside, xml, offset, item = None, False, False, 0, None
        for index, segment in enumerate(_segments(stream)):
            if index == 0:
                xml = self._first(segment)
            if xml and _DECLARATION.search(segment):
                raise WorkbookError(DOCTYPE)
            if shared:
                for match in _SHARED_ITEM.finditer(segment):
                    if item is not None:
                        self.longest_shared = max(self.longest_shared, offset + match.start() - item)
                    item = offset + match.start()
            if workbook:
                self.entries += len(_SHEET_ENTRY.findall(segment))
            start = 0
            for tag_start, tag_end, opens in _sheet_data_tags(segment):
                if inside:
                    self._cells(sheet, segment, start, tag_start)
                elif opens and sheet is None:
                    sheet = _Sheet()
                    self.sheets += 1
                inside, start = opens, tag_end
            if inside:
                self._cells(sheet, segment, start, len(segment))
            offset += len(segment)
        if item is not None:
            self.longest_shared = max(self.longest_shared, offset - item)
        if sheet:
            self.cells += sheet.rows * sheet.columns

    def _first(self, segment: bytes) -> bool:
        """Whether the member is XML; an XML part not in UTF-8 is left to the child process."""
        if segment[:2] in (b"\xff\xfe", b"\xfe\xff"):
            self.plain = False
            return False
        head = segment[:1024].removeprefix(b"\xef\xbb\xbf").lstrip()
        if head[:1] != b"<":
            return not head  # only white space so far: treated as XML
        encoding = _ENCODING.match(head)
        if b"\x00" in head[:64] or (encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8")):
            self.plain = False
        return True

    def _cells(self, sheet: _Sheet, segment: bytes, start: int, end: int) -> None:
        """Count the cells of a piece of sheetData; refuse as soon as the sheet or the workbook is too large."""
        if not self.plain or start >= end:
            return
        elements = segment.count(b"<c", start, end)
        if segment.count(b":c", start, end):  # a cell with a namespace prefix (<x:c …>)
            self.plain = False
            return
        if segment.count(b"/>", start, end):  # empty cells (<c r="B2" s="1"/>) hold no value in calamine
            values = _OPEN_CELL.findall(segment, start, end)
            found = len(values) + len(_EMPTY_CELL.findall(segment, start, end))
        else:
            values = _CELL.findall(segment, start, end)
            found = len(values)
        if found != elements:
            self.plain = False
            return
        sheet.elements += elements
        self.elements += elements
        if values:
            sheet.rows = max(sheet.rows, max(map(int, set(map(itemgetter(1), values)))))
            sheet.columns = max(sheet.columns, max(map(_column, set(map(itemgetter(0), values)))))
            self.limits.check_sheet(None, sheet.rows, sheet.columns, self.cells)


# ---- the child process: calamine opens the workbook under a memory ceiling ----

_PROBE = r"""
import io, json, resource, sys
from python_calamine import CalamineWorkbook
budget, rows_limit, cells_limit = map(int, sys.argv[1:4])
data = sys.stdin.buffer.read()
try:
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (size + budget, size + budget))
except (OSError, StopIteration, ValueError):
    pass  # not Linux: only the parent's time limit applies
try:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = 0
    for name in workbook.sheet_names:
        end = workbook.get_sheet_by_name(name).end
        rows, columns = (end[0] + 1, end[1] + 1) if end else (0, 0)
        print(json.dumps([name, rows, columns]), flush=True)
        cells += rows * columns
        if rows > rows_limit or cells > cells_limit:
            break
except MemoryError:
    raise
except Exception:
    print("null", flush=True)
"""


def _probe(data: bytes, limits: Limits) -> bool:
    """Open the workbook in a child process first: refuse it over a limit or when opening it exhausts the
    child's memory (calamine aborts rather than fail); False when calamine cannot read it."""
    budget = max(PROBE_FLOOR, limits.cells * CELL_BYTES + limits.unpacked_bytes)
    try:
        # Our own interpreter and code; the file only ever goes to the child's standard input.
        done = subprocess.run([sys.executable, "-I", "-c", _PROBE, str(budget), str(limits.rows), str(limits.cells)],  # noqa: S603
                              input=data, capture_output=True, timeout=PROBE_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise WorkbookError(TIMEOUT) from exc
    cells = 0
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        sheet = json.loads(line)
        if sheet is None:
            return False
        name, rows, columns = sheet
        cells = limits.check_sheet(name, rows, columns, cells)
    if done.returncode != 0:
        raise limits.too_large_to_open()
    return True
