"""A logging filter that masks anything that looks like an individual number, in every log line."""

import logging

from .mynumber import mask_my_numbers

_FORMATTER = logging.Formatter()


class MaskMyNumbers(logging.Filter):
    """Formats the record once and masks the result: the message (request paths and query strings included),
    the exception text and the stack. When the exception's text holds a number, the record keeps only the masked
    text (exc_text, which every formatter prints) and drops the exception itself, so that no handler can format
    it again from the original."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_my_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info != (None, None, None):
            text = record.exc_text or _FORMATTER.formatException(record.exc_info)
            if mask_my_numbers(text) != text:
                record.exc_text, record.exc_info = mask_my_numbers(text), None
        elif record.exc_text:
            record.exc_text = mask_my_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_my_numbers(record.stack_info)
        return True
