"""The dated items as an iCalendar file (RFC 5545) that a calendar application imports: one all-day event each.

Text values escape backslash, semicolon, comma and newlines (§3.3.11); lines end in CRLF and are folded at 75
octets, never inside a UTF-8 character (§3.1); every event has a UID that stays the same for the same duty, so
importing the file again updates the events instead of adding copies.
"""

import datetime as dt
from collections.abc import Iterable

PRODID = "-//Jichitai//やること//JA"
LIMIT = 75  # octets per line, excluding the CRLF


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """The line in pieces of at most 75 octets; each continuation starts with a space (which counts)."""
    pieces, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LIMIT if not pieces else LIMIT - 1
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def calendar(name: str, events: Iterable[dict], stamp: dt.datetime) -> bytes:
    """`events`: dicts with uid, date, summary and optionally description and url. `stamp`: an aware datetime."""
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape(PRODID)}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{stamp_text}",
                  f"DTSTART;VALUE=DATE:{_date(event['date'])}",
                  f"DTEND;VALUE=DATE:{_date(event['date'] + dt.timedelta(days=1))}",
                  f"SUMMARY:{escape(event['summary'])}", "TRANSP:TRANSPARENT"]
        if event.get("description"):
            lines.append(f"DESCRIPTION:{escape(event['description'])}")
        if event.get("url"):
            lines.append(f"URL:{event['url']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")
