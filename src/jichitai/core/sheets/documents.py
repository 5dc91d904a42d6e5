"""The one way a .docx written with python-docx becomes bytes, as writing.workbook_bytes is for workbooks."""

import io

from docx.document import Document as WordDocument


def document_bytes(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
