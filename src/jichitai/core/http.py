"""Downloads: one way to answer with a file, its type and a name the browser keeps (Japanese included)."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation

from jichitai.core.sheets.writing import is_formula_like
from jichitai.core.wareki import current_style, use_date_style

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SVG = "image/svg+xml; charset=utf-8"
CSV = "text/csv; charset=utf-8"
BOM = "\ufeff"  # Excel reads a CSV file as UTF-8 (not Shift_JIS) only when it begins with one


def _disposition(filename: str) -> str:
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f'attachment; filename="{fallback}"'
    if fallback != filename:  # RFC 6266: the real name, percent-encoded UTF-8, for a Japanese file name
        disposition += f"; filename*=UTF-8''{quote(filename)}"
    return disposition


def attachment(data: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename, XLSX)


def docx_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename, DOCX)


class _Line:
    """csv.writer's file: writerow returns the line instead of keeping it."""

    def write(self, text: str) -> str:
        return text


def csv_cell(value: object) -> object:
    """Text Excel would take for a formula (=, +, -, @, tab, CR first) gets a leading apostrophe: shown, not run."""
    return "'" + value if is_formula_like(value) else value


def _in_request_context(rows: Iterable[Sequence]) -> Iterator[Sequence]:
    """The rows, each computed in the date style and language of the request (taken now, while the view runs): a
    streamed body is produced after the view has returned, when the middleware has already put both back."""
    style, language = current_style(), translation.get_language()

    def each() -> Iterator[Sequence]:
        iterator = iter(rows)
        while True:
            with use_date_style(style), translation.override(language):
                try:
                    row = next(iterator)
                except StopIteration:
                    return
            yield row

    return each()


def csv_response(header: Sequence[str], rows: Iterable[Sequence], filename: str) -> StreamingHttpResponse:
    """A CSV download streamed a row at a time (pass a queryset's .iterator() and memory stays flat whatever the
    size): UTF-8 with a BOM so that Excel shows Japanese, CRLF line ends, formula-like text neutralised."""
    writer = csv.writer(_Line())
    body = _in_request_context(rows)

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow([csv_cell(value) for value in header])
        for row in body:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type=CSV)
    response["Content-Disposition"] = _disposition(filename)
    return response
