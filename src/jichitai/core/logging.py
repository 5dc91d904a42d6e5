"""A logging filter that masks anything that looks like an individual number, in every log line."""

import logging

from .mynumber import mask_my_numbers


class MaskMyNumbers(logging.Filter):
    """Formats the record once and masks the result; request paths and query strings included."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_my_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
