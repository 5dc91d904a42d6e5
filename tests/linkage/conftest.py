import datetime as dt

import pytest

from jichitai.linkage.models import LinkageItem
from jichitai.processes.models import Ordinance

ORDINANCE_NAME = "テスト市行政手続における特定の個人を識別するための番号の利用等に関する条例"


@pytest.fixture
def ordinance(municipality):
    return Ordinance.objects.create(municipality=municipality, name=ORDINANCE_NAME, article="第5条",
                                    effective_on=dt.date(2016, 1, 1))


def make_item(process, data_item="地方税関係情報", *, position=0, direction="inquiry", counterpart="他市町村長",
              counterpart_kind="other_body", channel="network", legal_basis="主務省令 第2条", ordinance=None,
              notes="", **extra):
    return LinkageItem.objects.create(process=process, position=position, data_item=data_item, direction=direction,
                                      counterpart=counterpart, counterpart_kind=counterpart_kind, channel=channel,
                                      legal_basis=legal_basis, ordinance=ordinance, notes=notes, **extra)
