"""Notices on the municipality's register page that other apps supply (an overdue incident report, …).

An app registers a provider in its AppConfig.ready(); a provider takes (municipality ids, today) and
returns a list of Notice. The register shows them above the matrix without importing the app.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    heading: str  # translated by the provider
    items: list[dict]  # each: url, title, text


Provider = Callable[[list[int], dt.date], list[Notice]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def notices(municipality_ids: list[int], today: dt.date) -> list[Notice]:
    return [notice for provider in _PROVIDERS for notice in provider(municipality_ids, today) if notice.items]
