"""Fictional demo data: an association like the seed's 「A県市町村振興協会」 with 29 members.

Every name is fictional and every code uses the prefecture number 99, which no prefecture has.
The same builder makes the benchmark datasets (bench/).

Everything is written through the services and importers a user's actions go through, and audited with
via "demo"; a year of history goes in with its own dates (the services' effective dates).
"""

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jichitai.audit.services import record
from jichitai.cloud import demo as cloud_demo
from jichitai.core.codes import with_check_digit
from jichitai.core.reference import load_all
from jichitai.demo import seed_sheets
from jichitai.exchange.imports import run_import
from jichitai.handling import demo as handling_demo
from jichitai.incidents import demo as incidents_demo
from jichitai.linkage import demo as linkage_demo
from jichitai.measures import demo as measures_demo
from jichitai.orgs import services as org_services
from jichitai.orgs.models import Association, Department, Membership, Municipality, Staff
from jichitai.pia import demo as pia_demo
from jichitai.planning import demo as planning_demo
from jichitai.processes import rules
from jichitai.processes import services as process_services
from jichitai.processes.models import LegalBasisItem, Process
from jichitai.processes.summary_services import evaluate_members
from jichitai.training import demo as training_demo

VIA = "demo"  # what every audit entry the demo writes says it came through
ASSOCIATION_NAME = "A県市町村振興協会"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed on purpose, demo only
NAMES = (
    "デモあおば市", "デモかえで市", "デモさくら市", "デモつばき市", "デモひいらぎ市", "デモもみじ市", "デモすずらん市",
    "デモなでしこ市", "デモあじさい市", "デモききょう市", "デモこぶし町", "デモしらかば町", "デモすみれ町",
    "デモたちばな町", "デモつつじ町", "デモなのはな町", "デモはまなす町", "デモひまわり町", "デモふじ町",
    "デモぼたん町", "デモまつば町", "デモみずき町", "デモやまぶき町", "デモゆり町", "デモりんどう町",
    "デモわかば村", "デモあさひ村", "デモいちょう村", "デモかしわ村",
)
DEPARTMENTS = {
    "市民課": ("住民", "戸籍", "印鑑"),
    "税務課": ("税",),
    "子育て支援課": ("児童", "子ども", "母子", "保育", "寡婦", "父子"),
    "保険年金課": ("国民健康保険", "国民年金", "後期高齢者"),
    "福祉課": ("障害", "生活保護", "介護", "福祉", "特別児童扶養"),
    "健康推進課": ("予防接種", "母子保健", "健康", "感染症"),
    "教育総務課": ("学校", "就学", "教育"),
    "防災危機管理課": ("災害", "被災"),
    "情報政策課": (),
}
# The seed's twelve rows (old 別表第一 wording) and their statuses, for the first member.
SEED_ROWS = (
    ("児童福祉法による助産施設における助産の実施又は母子生活支援施設における保護の実施に関する事務であって主務省令で定めるもの", "〇△×--×"),
    ("児童扶養手当法(昭和三十六年法律第二百三十八号)による児童扶養手当の支給に関する事務であって主務省令で定めるもの", "〇△△--×"),
    ("児童手当法による児童手当又は特例給付(同法附則第二条第一項に規定する給付をいう。以下同じ。)の支給に関する事務であって主務省令で定めるもの", "△△×△××"),
    ("特別児童扶養手当等の支給に関する法律(昭和三十九年法律第百三十四号)による特別児童扶養手当の支給に関する事務であって主務省令で定めるもの", "×××--×"),
    ("子ども・子育て支援法(平成二十四年法律第六十五号)による子どものための教育・保育給付の支給又は地域子ども・子育て支援事業の実施に関する事務であって主務省令で定めるもの", "×××△××"),
    ("母子及び寡婦福祉法(昭和三十九年法律第百二十九号)による資金の貸付に関する事務であって主務省令で定めるもの", "×××△××"),
    ("母子及び寡婦福祉法による配偶者のない者で現に児童を扶養しているもの又は寡婦についての便宜の供与に関する事務であって主務省令で定めるもの", "×××△××"),
    ("母子及び寡婦福祉法による母子家庭自立支援給付金の支給に関する事務であって主務省令で定めるもの", "×××△××"),
    ("母子保健法(昭和四十年法律第百四十一号)による保健指導、新生児の訪問指導、健康診査、妊娠の届出、母子健康手帳の交付、妊産婦の訪問指導、低体重児の届出、未熟児の訪問指導、養育医療の給付若しくは養育医療に要する費用の支給又は費用の徴収に関する事務であって主務省令で定めるもの", "×××△××"),
    ("児童福祉法(昭和二十二年法律第百六十四号)による里親の認定、養育里親の登録、療育の給付、障害児入所給付費、高額障害児入所給付費、特定入所障害児食費等給付費若しくは障害児入所医療費の支給、医療の給付等の事業若しくは日常生活上の援助及び生活指導並びに就業の支援の実施、負担能力の認定又は費用の徴収若しくは支払命令に関する事務であって主務省令で定めるもの", "×××--×"),
    ("児童福祉法による障害児通所給付費、特例障害児通所給付費、高額障害児通所給付費、肢体不自由児通所医療費、障害児相談支援給付費若しくは特例障害児相談支援給付費の支給、障害福祉サービスの提供、保育所における保育の実施若しくは措置又は費用の徴収に関する事務であって主務省令で定めるもの", "×××--×"),
    ("身体障害者福祉法(昭和二十四年法律第二百八十三号)による身体障害者手帳の交付に関する事務であって主務省令で定めるもの", "×××--×"),
)
FAMILY_NAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
GIVEN_NAMES = ("一郎", "花子", "健太", "美咲", "翔", "陽子", "大輔", "彩", "誠", "由美")


@dataclass
class DemoResult:
    association: Association
    municipalities: list[Municipality]
    users: list[dict] = field(default_factory=list)
    created: bool = True


# Municipality numbers used under each fictional prefecture: odd numbers from 201 (as cities are numbered), then
# the even ones, 799 in all; prefecture numbers 99 down to 48 follow one another (no prefecture has them).
_NUMBERS = [*range(201, 1000, 2), *range(202, 1000, 2)]
FICTIONAL_PREFECTURES = range(99, 47, -1)


def municipality_code(index: int) -> str:
    """Fictional codes: prefecture 99, 98, … (numbers no prefecture has) + a municipality number + check digit.
    The first 400 are 99201, 99203 … 99999 as the demo has always used."""
    prefecture, number = divmod(index, len(_NUMBERS))
    if not 0 <= index < len(_NUMBERS) * len(FICTIONAL_PREFECTURES):
        raise ValueError(f"no fictional municipality code for index {index}")
    return with_check_digit(f"{FICTIONAL_PREFECTURES[prefecture]:02d}{_NUMBERS[number]:03d}")


def short_name(item: LegalBasisItem) -> str:
    """「児童手当法による…」 → 「児童手当法関係事務（別表81項）」."""
    text = rules.comparable_text(item.process)
    law = re.split(r"による|に基づく|の規定", text, maxsplit=1)[0][:30]
    return f"{law}関係事務（{item.label}）"


def _department_for(item: LegalBasisItem, departments: dict[str, Department]) -> Department:
    for name, words in DEPARTMENTS.items():
        if any(word in item.process for word in words):
            return departments[name]
    return departments["福祉課"]


def _history(rng: random.Random, process_id: int, start: dt.date, today: dt.date, maturity: float):
    """A year of plausible progress: cells move × → △ → 〇, some are 不要 from the start."""
    changes = []
    for key in rules.COLUMN_KEYS:
        if key in ("linkage", "ordinance") and rng.random() < 0.35:
            changes.append((process_id, key, "not_needed", start))
            continue
        steps = sum(rng.random() < maturity for _ in range(2))
        day = start
        for status in ("started", "done")[:steps]:
            day = min(today, day + dt.timedelta(days=rng.randint(20, 150)))
            changes.append((process_id, key, status, day))
    return changes


@transaction.atomic
def build(*, members: int = len(NAMES), seed: int = 2018, with_users: bool = True,
          association_name: str = ASSOCIATION_NAME, first_code_index: int = 0) -> DemoResult:
    """Create the association, its members, people, processes and a year of progress. Idempotent."""
    existing = Association.objects.filter(name=association_name).first()
    if existing is not None:
        result = DemoResult(existing, list(existing.members.all()), created=False)
        if with_users:
            result.users = _users(result.municipalities, existing)
        return result
    load_all()  # the shipped reference data (別表, curriculum, …), as `jichitai loadreference` loads it
    rng = random.Random(seed)  # noqa: S311 - reproducible fictional data, not security
    today = timezone.localdate()
    start = today - dt.timedelta(days=365)
    association, _ = org_services.get_or_create_association(actor=None, via=VIA, name=association_name)
    items = [item for item in LegalBasisItem.objects.all() if item.is_municipal]
    municipalities = []
    for index in range(members):
        name = NAMES[index % len(NAMES)] + ("" if index < len(NAMES) else str(index))
        municipality, _created = org_services.save_municipality(
            actor=None, via=VIA, code=municipality_code(first_code_index + index), name=name,
            population=rng.randint(3_000, 450_000), association=association)
        municipalities.append(municipality)
        departments = org_services.ensure_departments(actor=None, via=VIA, municipality=municipality,
                                                      names=DEPARTMENTS)
        _staff(rng, municipality, departments)
        rows = [
            {"name": short_name(item), "beppyo_item": item, "department": _department_for(item, departments),
             "registered_on": start, "persons_count": rng.randint(50, municipality.population),
             "handlers_count": rng.randint(2, 40),
             "systems": rng.choice(("基幹系パッケージ", "福祉総合システム", "税務システム", ""))}
            for item in items
            if index != 0 or not item.process.startswith(("児童福祉法", "児童扶養手当法", "児童手当法"))
        ]
        ordinance = process_services.create_ordinance(
            actor=None, via=VIA, municipality=municipality,
            name=f"{name}行政手続における特定の個人を識別するための番号の利用等に関する条例", article="第4条",
            effective_on=dt.date(2016, 1, 1))
        rows.append({"name": "子ども医療費助成事務（独自利用事務）", "ordinance": ordinance,
                     "department": departments["子育て支援課"], "registered_on": start})
        if index % 4 == 1:  # some members still have a process without a legal basis: the checklist's item 1
            rows.append({"name": "ひとり親家庭等医療費助成事務", "department": departments["子育て支援課"],
                         "registered_on": start, "notes": "パッケージに個人番号欄あり。条例未整備。"})
        processes = process_services.create_processes_bulk(actor=None, via=VIA, municipality=municipality,
                                                           rows=rows)
        maturity = 0.25 + 0.6 * rng.random()
        history = [c for p in processes for c in _history(rng, p.id, start, today, maturity)]
        process_services.record_progress_bulk(actor=None, via=VIA, municipality=municipality, updates=history)
        record(actor=None, via=VIA, action="demo.load", obj=municipality, municipality=municipality,
               after={"processes": len(processes), "progress_changes": len(history)})
    if municipalities:
        import_sheets(seed_workbook(today), municipality=municipalities[0])
        _model_process(association, municipalities, rng)
        _assign_staff(municipalities)
        handling_demo.populate(municipalities, today, rng, seed_sheets.PROCESS)
        training_demo.populate(association, municipalities, today, rng)
        linkage_demo.populate(municipalities, today, rng)
        measures_demo.populate(municipalities, today, rng)
        incidents_demo.populate(municipalities, today, rng)
        pia_demo.populate(municipalities, today, rng)
        planning_demo.populate(association, today)
        cloud_demo.populate(association, municipalities, today, rng)
        # The association pages open on stored summaries: evaluate them once, as a nightly run would.
        evaluate_members([m.pk for m in municipalities], today)
    result = DemoResult(association, municipalities)
    if with_users:
        result.users = _users(municipalities, association)
    return result


# The guideline's example flow (DOMAIN.md §4) for the seed's 軽自動車税の減免申請.
MODEL_FLOW = (
    ("resident", "減免申請書と本人確認書類を窓口に提出する", "", "acquire"),
    ("counter", "申請書を受領し、記載と添付書類を確認する", "申請書の受領", "acquire"),
    ("staff", "システムで本人確認と個人番号照会を行う", "本人確認と個人番号照会", "use"),
    ("system", "申請内容を入力し、決定通知書を作成する", "入力", "use"),
    ("chief", "減免を決定し、通知書の発行を承認する", "", "use"),
    ("resident", "決定通知書を受け取る", "通知書の郵送", "provide"),
    ("staff", "申請書を特定個人情報ファイルに綴じて保管する", "保管", "store"),
    ("staff", "法定保存期間の経過後、裁断処分する", "廃棄", "dispose"),
)
MODEL_TEMPLATE = "軽自動車税の減免申請（A県モデル）"


def _model_process(association, municipalities, rng: random.Random) -> None:
    """The seed's 軽自動車税 example: documented and approved in the first member, published as a model
    process, and copied with variations into the next five members (one left as an untouched copy)."""
    from jichitai.handling import services as handling

    tax_item = LegalBasisItem.objects.get(item_arabic="24")
    first = municipalities[0]
    process = process_services.create_process(actor=None, via=VIA, municipality=first, name=seed_sheets.PROCESS,
                                              beppyo_item=tax_item, department=first.departments.get(name="税務課"),
                                              registered_on=timezone.localdate() - dt.timedelta(days=365))
    import_sheets(seed_sheets.seed_workbook(), municipality=first)
    for order, (lane, action, function, stage) in enumerate(MODEL_FLOW, start=1):
        handling.save_flow_step(actor=None, via=VIA, process=process, order=order, lane=lane,
                                action=action, business_function=function, stage=stage)
    officer = Staff.objects.filter(municipality=first, department__name="税務課",
                                   role=Staff.Role.PROTECTION_OFFICER).first()
    handling.approve(actor=None, via=VIA, process=process, officer=officer, note="デモ: 課長承認")
    template = handling.publish_template(actor=None, via=VIA, association=association, process=process,
                                         name=MODEL_TEMPLATE, description="講義資料の軽自動車税の例（H30.1.10）")
    for index, member in enumerate(municipalities[1:6], start=1):
        copy = process_services.create_process(actor=None, via=VIA, municipality=member, name=seed_sheets.PROCESS,
                                               beppyo_item=tax_item, department=member.departments.get(name="税務課"))
        handling.copy_template(actor=None, via=VIA, template=template, process=copy)
        rows = {row.row_id: row for row in copy.handling_rows.select_related("risk")}
        if index == 1:  # a member whose counter is still open: its vulnerability stays high
            handling.save_risk_row(actor=None, via=VIA, handling_row=rows["1-2"], vulnerability_rating=3,
                                   countermeasures=None)
        elif index == 2:  # a member that adds an electronic copy and has not analysed it yet
            handling.save_handling_row(actor=None, via=VIA, process=copy, row_id="2-1",
                                       asset_name="減免申請データ", kind="electronic", stage="store",
                                       method="税関係システムに保存する。", confidentiality=3, integrity=3,
                                       availability=2)
        elif index == 3:  # a member that approves the copy as it is
            handling.approve(actor=None, via=VIA, process=copy, note="ひな形どおり")


def _assign_staff(municipalities) -> None:
    """The roster's 担当事務: each department's protection officer and handlers handle its processes."""
    processes: dict[int, set[int]] = {}
    for pid, department_id in Process.objects.filter(municipality__in=municipalities,
                                                      department__isnull=False).values_list("id", "department_id"):
        processes.setdefault(department_id, set()).add(pid)
    wanted: dict[int, dict[int, set[int]]] = {m.pk: {} for m in municipalities}
    for staff_id, department_id, municipality_id in Staff.objects.filter(
            municipality__in=municipalities, department__isnull=False,
            role__in=(Staff.Role.PROTECTION_OFFICER, Staff.Role.HANDLER)).values_list(
                "id", "department_id", "municipality_id"):
        if department_id in processes:
            wanted[municipality_id][staff_id] = processes[department_id]
    for municipality in municipalities:
        process_services.set_assignments_bulk(actor=None, via=VIA, municipality=municipality,
                                              wanted=wanted[municipality.pk])


def _staff(rng: random.Random, municipality: Municipality, departments: dict[str, Department]) -> None:
    people, number = [], 1000
    for name in departments:
        roles = [Staff.Role.PROTECTION_OFFICER] + [Staff.Role.HANDLER] * rng.randint(2, 4)
        if name == "情報政策課":
            roles = [Staff.Role.COORDINATOR, Staff.Role.IT, Staff.Role.IT, Staff.Role.LEGAL]
        for role in roles:
            number += 1
            people.append({"staff_number": f"D{number}", "department": name, "role": role,
                           "name": rng.choice(FAMILY_NAMES) + " " + rng.choice(GIVEN_NAMES)})
    org_services.save_staff_bulk(actor=None, via=VIA, municipality=municipality, people=people)


def import_sheets(data: bytes, **scope) -> None:
    """Import a workbook through the normal import path, audited as via "demo"; the demo's sheets import cleanly."""
    report = run_import(data, actor=None, via=VIA, **scope)
    if not report.ok:
        raise RuntimeError("The demo's sheet did not import: " + "; ".join(map(str, report.errors)))


def seed_workbook(as_of: dt.date) -> bytes:
    """The seed's progress table as a workbook, imported through the normal import path."""
    return seed_sheets.workbook_bytes({"進捗状況": [
        ["〇〇市役所 業務フロー等進捗状況"], [], [f"{as_of.year}年{as_of.month}月{as_of.day}日現在"],
        ["〇完了 △着手 ×未着手 -不要"], ["別表1事務"] + [name for _, name in rules.COLUMNS],
        *([text, *symbols] for text, symbols in SEED_ROWS)]})


def _users(municipalities: list[Municipality], association: Association) -> list[dict]:
    """Demo logins: the secretariat, and an admin and a viewer for the first two members."""
    specs = [("kyogikai", Membership.Role.SECRETARIAT_ADMIN, None)]
    for index, municipality in enumerate(municipalities[:2]):
        prefix = ("aoba", "kaede")[index]
        specs += [(f"{prefix}_admin", Membership.Role.ADMIN, municipality),
                  (f"{prefix}_viewer", Membership.Role.VIEWER, municipality)]
    users = []
    user_model = get_user_model()
    for username, role, municipality in specs:
        user = user_model.objects.filter(username=username).first()
        if user is None or not user.check_password(DEMO_PASSWORD):
            user = org_services.save_user(actor=None, via=VIA, username=username, password=DEMO_PASSWORD)
        if not user.memberships.exists():
            org_services.grant_membership(
                actor=None, via=VIA, user=user, role=role, municipality=municipality,
                association=None if municipality else association)
        users.append({"username": username, "password": DEMO_PASSWORD, "role": role,
                      "scope": municipality.code if municipality else association.name})
    return users
