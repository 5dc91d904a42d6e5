"""The import kinds: one module per kind of sheet, each with the same interface, registered here.

A kind module defines

    KIND    its name in reports and in `--format json` ("progress")
    LABEL   what users call it (「進捗表」)
    HINT    what a sheet of this kind must have, for the message when none is found
    SCOPE   what the import must name: MUNICIPALITY, ASSOCIATION, EITHER, or ANY (nothing required)
    detect(sheet) -> int
            0 when the sheet is not of this kind; otherwise how sure: TITLE for a title naming the kind,
            HEADER plus the number of header labels found for a header row
    parse(sheets, context) -> list of parsed sheets
            validates everything and reports every problem with its sheet and cell on context.report; each
            parsed sheet carries its SheetResult as `.result`; nothing is written
    apply(parsed, context) -> None
            writes through the services of the apps that own the data (the same actions, audited the same
            way, as a user's edit), and fills in the results' counts

The order below is the order in which kinds write: members before their staff, staff before attendance,
handling tables before the risk analyses and the handling records that refer to them. Reading is shared (core.sheets.reading).
"""

from . import (
    analysis,
    attendance,
    framework,
    handling_records,
    linkage,
    municipalities,
    priorities,
    progress,
    roster,
    systems,
)
from .base import ANY, ASSOCIATION, EITHER, HEADER, MUNICIPALITY, TITLE  # noqa: F401 - the kinds' vocabulary

KINDS = (municipalities, roster, progress, analysis, handling_records, linkage, attendance, systems, priorities,
         framework)


def by_name(name: str):
    for kind in KINDS:
        if name == kind.KIND:
            return kind
    raise KeyError(name)
