import datetime as dt
from decimal import Decimal

import pytest

from jichitai.handling.models import ApprovalEvent, HandlingRow, ProcessAnalysis
from jichitai.pia.models import Evaluation, SpiFile
from jichitai.risk.models import Countermeasure, RiskRow

RECORDED = dt.datetime(2020, 4, 1, 9, 0, tzinfo=dt.UTC)  # files recorded long before the dates tests look at


def make_file(municipality, name="児童手当情報ファイル", *, processes=(), persons=12_000, handlers=40, **fields):
    spi_file = SpiFile.objects.create(municipality=municipality, name=name, persons=persons, handlers=handlers,
                                      created_at=fields.pop("created_at", RECORDED), **fields)
    spi_file.processes.set(processes)
    return spi_file


def make_evaluation(spi_file, kind="basic", **dates):
    return Evaluation.objects.create(spi_file=spi_file, kind=kind, **dates)


def patch_incidents(monkeypatch) -> dict[int, list[dt.date]]:
    """The incident register's serious incidents, replaced by a dict the test fills: {municipality_id: [date]}.

    The incidents app is written in parallel: these tests depend only on its query's signature."""
    found: dict[int, list[dt.date]] = {}
    monkeypatch.setattr("jichitai.incidents.queries.serious_incident_dates",
                        lambda ids: {mid: days for mid, days in found.items() if mid in set(ids)})
    return found


@pytest.fixture
def incidents(monkeypatch):
    return patch_incidents(monkeypatch)


def make_row(process, row_id, stage, asset, *, handler="担当者", notes="", vulnerability="", threat="",
             measures=(), total=16, residual="8"):
    row = HandlingRow.objects.create(process=process, row_id=row_id, asset_name=asset, kind="paper", stage=stage,
                                     method=f"{asset}を取り扱う", handler=handler, notes=notes, confidentiality=3,
                                     integrity=2, availability=2, asset_value=4)
    if vulnerability:
        risk = RiskRow.objects.create(handling_row=row, vulnerability=vulnerability, vulnerability_rating=2,
                                      threat=threat, threat_rating=2, total=total, residual=Decimal(residual),
                                      residual_risk="誤交付の可能性は残る")
        for position, (text, reduction) in enumerate(measures):
            Countermeasure.objects.create(risk_row=risk, position=position, text=text, reduction=Decimal(reduction))
    return row


def approve(process, when=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)):
    analysis = ProcessAnalysis.objects.create(process=process, status=ProcessAnalysis.Status.APPROVED)
    ApprovalEvent.objects.create(analysis=analysis, action=ApprovalEvent.Action.APPROVED, at=when, by_name="課長")
