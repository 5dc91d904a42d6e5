"""Demo linkages for jichitai.demo: a few processes per member with their 情報連携確認シート rows, some
intra-office linkages without an ordinance, profiles (some without a checker), and the systems register."""

import datetime as dt
import random

from django.db import transaction

from jichitai.audit.services import record
from jichitai.orgs.models import Staff
from jichitai.processes import services as process_services
from jichitai.processes.models import Ordinance, Process

from . import services
from .models import LinkageItem, NumberSystem

BASIS = "番号法第19条第8号に基づく主務省令 第{n}条"
# (連携項目, direction, 相手先, kind, channel): the usual shape of a benefit process's sheet.
NETWORK_ITEMS = (
    ("地方税関係情報", "inquiry", "他市町村長", "other_body", "network"),
    ("住民票関係情報", "inquiry", "他市町村長", "other_body", "network"),
    ("年金給付関係情報", "inquiry", "日本年金機構", "other_body", "network"),
    ("医療保険給付関係情報", "inquiry", "医療保険者", "other_body", "network"),
    ("当該事務に係る給付関係情報", "provision", "他市町村長・都道府県知事", "other_body", "network"),
)
INTRA_ITEMS = (
    ("生活保護関係情報", "inquiry", "市長（福祉課）→教育委員会", "same_body_organ", "intra_office"),
    ("就学援助関係情報", "provision", "教育委員会", "same_body_organ", "intra_office"),
)
PERSON_ITEM = ("所得証明書", "inquiry", "本人", "person", "submission")
TROUBLE = "情報提供ネットワークシステムの障害時は、本人に証明書類の提出を求め、復旧後に照会結果と突合する。"
WRONG_DATA = "照会結果が届出内容と異なる場合は、提供元に照会内容を確認し、結果を記録して課長に報告する。"


@transaction.atomic
def populate(municipalities, today: dt.date, rng: random.Random) -> dict:
    """Linkage items for a few processes per member, profiles for some, and the systems from the register.

    Idempotent per member: a member that already has linkage items is left as it is (systems are synced
    again, which changes nothing).
    """
    totals = {"items": 0, "profiles": 0, "systems": 0}
    for index, municipality in enumerate(municipalities):
        if not LinkageItem.objects.filter(process__municipality=municipality).exists():
            items, profiles = _member(municipality, index, today, rng)
            totals["items"] += items
            totals["profiles"] += profiles
        totals["systems"] += services.sync_systems_from_register(municipality, via="demo")["created"]
        _package_without_basis(municipality)
    return totals


def _member(municipality, index: int, today: dt.date, rng: random.Random) -> tuple[int, int]:
    processes = list(Process.objects.filter(municipality=municipality, beppyo_item__isnull=False).order_by("id"))
    chosen = rng.sample(processes, min(len(processes), rng.randint(3, 5)))
    # Most members have the 庁内連携 article in their number ordinance; every third has not made it yet,
    # and one has passed it with a future date (not yet in force).
    intra_ordinance = None
    if index % 3 != 2:
        effective = dt.date(2016, 1, 1) if index != 1 else today + dt.timedelta(days=90)
        name = f"{municipality.name}行政手続における特定の個人を識別するための番号の利用等に関する条例"
        intra_ordinance = Ordinance.objects.filter(municipality=municipality, name=name, article="第5条").first()
        if intra_ordinance is None:
            intra_ordinance = process_services.create_ordinance(
                actor=None, via="demo", municipality=municipality, name=name, article="第5条", effective_on=effective,
                notes="同一団体の他の機関への特定個人情報の提供（庁内連携）")
    staff = list(Staff.objects.filter(municipality=municipality, role=Staff.Role.HANDLER).order_by("id"))
    items = profiles = 0
    for p_index, process in enumerate(chosen):
        rows = rng.sample(NETWORK_ITEMS, rng.randint(2, 4))
        if p_index == 0:
            rows.append(rng.choice(INTRA_ITEMS))
        if rng.random() < 0.4:
            rows.append(PERSON_ITEM)
        sheet = []  # the process's 情報連携確認シート, one dict per row
        for data_item, direction, counterpart, kind, channel in rows:
            intra = channel == "intra_office"
            sheet.append({
                "data_item": data_item, "direction": direction, "counterpart": counterpart, "counterpart_kind": kind,
                "channel": channel, "notes": "",
                "legal_basis": "" if intra else BASIS.format(n=rng.randint(2, 60)) if channel == "network"
                else "当該事務の根拠法施行規則（添付書類）",
                "ordinance_id": intra_ordinance.pk if intra and intra_ordinance else None})
        items += services.replace_items(actor=None, via="demo", process=process, rows=sheet)["created"]
        if rng.random() < 0.6:
            checker = rng.choice(staff) if staff and rng.random() < 0.7 else None
            services.save_profile(actor=None, via="demo", process=process, consistency_checker=checker,
                                  trouble_procedure=TROUBLE,
                                  wrong_data_procedure=WRONG_DATA if rng.random() < 0.8 else "")
            profiles += 1
    record(actor=None, via="demo", action="demo.linkage", obj=municipality, municipality=municipality,
           after={"processes": len(chosen), "items": items, "profiles": profiles})
    return items, profiles


def _package_without_basis(municipality) -> None:
    """The seed's checklist item 1: a package system already serving a process that has no legal basis."""
    unbased = Process.objects.filter(municipality=municipality, beppyo_item__isnull=True,
                                     ordinance__isnull=True).first()
    if unbased is None:
        return
    system = NumberSystem.objects.filter(municipality=municipality, name="福祉総合システム").first()
    if system is None:
        system = services.save_system(actor=None, via="demo", municipality=municipality, name="福祉総合システム",
                                      notes="パッケージ標準機能で個人番号を保持")
    if not system.processes.filter(pk=unbased.pk).exists():
        services.save_system(actor=None, via="demo", municipality=municipality, system=system,
                             processes=[*system.processes.all(), unbased])
