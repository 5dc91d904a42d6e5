"""Downloads: one way to answer with a file, its type and a name the browser keeps (Japanese included)."""

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SVG = "image/svg+xml; charset=utf-8"


def attachment(data: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f'attachment; filename="{fallback}"'
    if fallback != filename:  # RFC 6266: the real name, percent-encoded UTF-8, for a Japanese file name
        disposition += f"; filename*=UTF-8''{quote(filename)}"
    response["Content-Disposition"] = disposition
    return response


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename, XLSX)


def docx_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename, DOCX)
