"""Evidence columns: what other apps' records say a progress cell should read.

The apps that hold the evidence (handling, linkage, pia, …) register a provider in their AppConfig.ready(),
so the register never imports them. A provider takes (process_ids, as_of) and returns
{process_id: {column key: status}} for the processes its records speak about, in a fixed number of queries.
"""

import datetime as dt
from collections.abc import Callable

Provider = Callable[[object, dt.date], dict[int, dict[str, str]]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def evidence(process_ids, as_of: dt.date) -> dict[int, dict[str, str]]:
    """Every provider's cells merged: {process_id: {column: status}}; a process without evidence is absent."""
    derived: dict[int, dict[str, str]] = {}
    for provider in _PROVIDERS:
        for pid, columns in provider(process_ids, as_of).items():
            derived.setdefault(pid, {}).update(columns)
    return derived
