"""The .ics writer against RFC 5545, read back with a small unfolding parser (no calendar library is installed)."""

import datetime as dt

from jichitai.todo import ical

STAMP = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def unfold(data: bytes) -> list[str]:
    """RFC 5545 §3.1: CRLF followed by one space or tab continues the previous line."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF, no bare LF
    lines = []
    for raw in text.split("\r\n")[:-1]:
        if raw[:1] in (" ", "\t"):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append("\n" if value[i + 1] in "nN" else value[i + 1])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def events(data: bytes) -> list[dict]:
    found, current = [], None
    for line in unfold(data):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return found


def test_escape_and_fold_on_character_boundaries():
    summary = "【漏えい等の報告】確報の提出：メール誤送信, 住民; 課\\室\n二行目" * 3
    data = ical.calendar("やること（テスト市）", [{"uid": "incident-1-5-final@jichitai", "date": dt.date(2026, 12, 31),
                                                 "summary": summary, "description": "a\nb", "url": "http://x/m/1/"}],
                         STAMP)
    for raw in data.split(b"\r\n"):
        assert len(raw) <= 75
        raw.decode("utf-8")  # each physical line is whole UTF-8: no character was split
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    (event,) = events(data)
    assert unescape(event["SUMMARY"]) == summary
    assert event["DTSTART;VALUE=DATE"] == "20261231"
    assert event["DTEND;VALUE=DATE"] == "20270101"
    assert event["UID"] == "incident-1-5-final@jichitai"
    assert event["DTSTAMP"] == "20261204T090000Z"
    assert unescape(event["DESCRIPTION"]) == "a\nb"


def test_fold_keeps_short_lines_and_splits_long_ones():
    assert ical.fold("SUMMARY:abc") == "SUMMARY:abc"
    folded = ical.fold("X:" + "あ" * 60)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == "X:" + "あ" * 60


def test_escape():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
