"""Read models of linkages and systems, each in a fixed number of queries.

`evidence`, `ordinance_findings` and `proficiency_findings` feed the progress matrix and the checklist; they
take municipality or process ids (a list or a subquery) and make one pass however many there are.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from jichitai.core.days import end_of_day
from jichitai.processes import rules as process_rules
from jichitai.processes.models import Process

from . import rules
from .models import LinkageItem, LinkageProfile, NumberSystem


@dataclass
class Finding:
    """One thing the checklist reports, with where to fix it."""

    municipality_id: int
    kind: str  # a problem code of linkage.rules, or "system_without_basis"
    message: str  # Japanese, shown as is
    object_type: str  # model label, e.g. "linkage.LinkageItem"
    object_id: int
    object_name: str
    url_name: str
    url_kwargs: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs)


SYSTEM_WITHOUT_BASIS = "system_without_basis"
FINDING_KINDS = tuple(code for code, _ in rules.ITEM_PROBLEMS) + (SYSTEM_WITHOUT_BASIS,) + tuple(
    code for code, _ in rules.PROFILE_PROBLEMS)


def _facts(channel, kind, basis, ordinance_id, effective_on) -> rules.ItemFacts:
    return rules.ItemFacts(channel=channel, counterpart_kind=kind, legal_basis=basis,
                           ordinance_effective_on=effective_on, has_ordinance=ordinance_id is not None)


def evidence(process_ids, as_of: dt.date) -> dict[int, str]:
    """The 関連情報連携洗出 status each process's items support on `as_of`. One query.

    Items created after `as_of` do not count. A process without items is "not_started": it is in the result
    when `process_ids` is a list or set, and left out (read it as "not_started") when it is a subquery.
    """
    rows = (LinkageItem.objects.filter(process_id__in=process_ids, created_at__lt=end_of_day(as_of)).order_by()
            .values_list("process_id", "channel", "counterpart_kind", "legal_basis", "ordinance_id",
                         "ordinance__effective_on"))
    counts: dict[int, list[int]] = {}
    for pid, channel, kind, basis, ordinance_id, effective_on in rows:
        problems = rules.item_problems(_facts(channel, kind, basis, ordinance_id, effective_on), as_of)
        total_bad = counts.setdefault(pid, [0, 0])
        total_bad[0] += 1
        total_bad[1] += bool(problems)
    result = {pid: rules.evidence_status(total, bad) for pid, (total, bad) in counts.items()}
    if isinstance(process_ids, list | tuple | set | frozenset):
        for pid in process_ids:
            result.setdefault(pid, "not_started")
    return result



def evidence_cells(process_ids, as_of: dt.date) -> dict[int, dict[str, str]]:
    """The matrix's 関連情報連携洗出 column, for processes whose items say more than "not started"."""
    return {pid: {"linkage": status} for pid, status in evidence(process_ids, as_of).items()
            if status != process_rules.DEFAULT_STATUS}

def _item_message(code: str, process_name: str, data_item: str, counterpart: str, ordinance: str) -> str:
    where = f"事務「{process_name}」の連携項目「{data_item}」（相手先: {counterpart or '未記入'}）"
    if code == rules.INTRA_OFFICE_WITHOUT_ORDINANCE:
        return f"{where}は同一団体の他の機関との連携（庁内連携）ですが、根拠条例がありません（番号法第19条第11号）。"
    return f"{where}の根拠条例「{ordinance}」は基準日にまだ施行されていません。"


def ordinance_findings(municipality_ids, as_of: dt.date) -> list[Finding]:
    """Intra-office linkages without an ordinance, ordinances not yet in force on `as_of`, and systems storing
    numbers that serve a process with no legal basis (no 別表 item, no ordinance). Two queries."""
    findings = []
    items = (LinkageItem.objects.filter(process__municipality_id__in=municipality_ids,
                                        created_at__lt=end_of_day(as_of))
             .filter(Q(channel="intra_office") | Q(counterpart_kind="same_body_organ") | Q(ordinance__isnull=False))
             .order_by("process__municipality__code", "process__name", "position", "id")
             .values_list("id", "process_id", "process__name", "process__municipality_id", "process__municipality__code",
                          "data_item", "counterpart", "channel", "counterpart_kind", "legal_basis", "ordinance_id",
                          "ordinance__effective_on", "ordinance__name", "ordinance__article"))
    for (item_id, pid, pname, mid, code, data_item, counterpart, channel, kind, basis, oid, effective_on,
         oname, article) in items:
        problems = rules.item_problems(_facts(channel, kind, basis, oid, effective_on), as_of)
        for problem in problems:
            if problem == rules.MISSING_BASIS:  # not an ordinance matter; shown on the process page
                continue
            findings.append(Finding(
                mid, problem, _item_message(problem, pname, data_item, counterpart, f"{oname or ''} {article or ''}"),
                LinkageItem._meta.label, item_id, data_item, "linkage:process", {"code": code, "pk": pid}))
    through = NumberSystem.processes.through
    pairs = (through.objects.filter(numbersystem__municipality_id__in=municipality_ids,
                                    numbersystem__stores_numbers=True, process__beppyo_item__isnull=True,
                                    process__ordinance__isnull=True, process__registered_on__lte=as_of)
             .order_by("numbersystem__municipality__code", "numbersystem__name", "process__name")
             .values_list("numbersystem_id", "numbersystem__name", "numbersystem__municipality_id",
                          "numbersystem__municipality__code", "process__name"))
    for system_id, system_name, mid, code, pname in pairs:
        findings.append(Finding(
            mid, SYSTEM_WITHOUT_BASIS,
            f"個人番号を保存するシステム「{system_name}」が、法的根拠（別表の項・条例）のない事務「{pname}」に使われています。",
            NumberSystem._meta.label, system_id, system_name, "linkage:systems", {"code": code}))
    return findings


def municipalities_with_systems(municipality_ids) -> set[int]:
    """The municipalities among these that have recorded their systems (one that stores no numbers says so too;
    the list keeps no history, so it is read as it stands). One query."""
    return set(NumberSystem.objects.filter(municipality_id__in=municipality_ids)
               .order_by().values_list("municipality_id", flat=True).distinct())


def proficiency_findings(municipality_ids, as_of: dt.date) -> list[Finding]:
    """Processes with linkage items on `as_of` that lack the consistency checker or either procedure. One query.

    The profile is read as it stands now: it keeps no history.
    """
    processes = (Process.objects.filter(municipality_id__in=municipality_ids, registered_on__lte=as_of)
                 .filter(Q(id__in=LinkageItem.objects.filter(created_at__lt=end_of_day(as_of)).values("process_id")))
                 .order_by("municipality__code", "name")
                 .values_list("id", "name", "municipality_id", "municipality__code",
                              "linkage_profile__id", "linkage_profile__consistency_checker_id",
                              "linkage_profile__trouble_procedure", "linkage_profile__wrong_data_procedure"))
    findings = []
    for pid, name, mid, code, profile_id, checker_id, trouble, wrong in processes:
        facts = None if profile_id is None else rules.ProfileFacts(checker_id is not None, trouble or "", wrong or "")
        for problem in rules.profile_problems(facts, has_linkages=True):
            findings.append(Finding(
                mid, problem, f"事務「{name}」: {rules.PROFILE_PROBLEM_LABEL[problem]}。",
                Process._meta.label, pid, name, "linkage:process", {"code": code, "pk": pid}))
    return findings


# ---- Pages ----


@dataclass
class ProcessLinkage:
    items: list  # LinkageItem with .problems (codes) and .problem_labels set
    profile: LinkageProfile | None
    profile_problems: list[str]
    status: str  # the 関連情報連携洗出 status the items support today
    systems: list  # NumberSystem serving the process

    @property
    def problem_count(self) -> int:
        return sum(1 for item in self.items if item.problems)


def process_linkage(process: Process, as_of: dt.date) -> ProcessLinkage:
    """Everything the process's linkage page shows. Three queries."""
    items = list(LinkageItem.objects.filter(process=process).select_related("ordinance"))
    for item in items:
        item.problems = rules.item_problems(item.facts(), as_of)
        item.problem_labels = [rules.PROBLEM_LABEL[code] for code in item.problems]
    profile = LinkageProfile.objects.filter(process=process).select_related("consistency_checker").first()
    problems = rules.profile_problems(profile.facts() if profile else None, bool(items))
    status = rules.evidence_status(len(items), sum(1 for item in items if item.problems))
    systems = list(NumberSystem.objects.filter(processes=process).order_by("name"))
    return ProcessLinkage(items, profile, problems, status, systems)


SYSTEM_SORTS = ("name", "-processes", "-unbased")


def systems_for(visible_systems, params: dict):
    """Systems with their processes and how many of those lack a legal basis; the page and the export share it.
    Two queries (systems, then their processes)."""
    unbased = Q(processes__beppyo_item__isnull=True, processes__ordinance__isnull=True)
    qs = visible_systems.annotate(process_count=Count("processes", distinct=True),
                                  unbased_count=Count("processes", filter=unbased, distinct=True))
    if params.get("q"):
        qs = qs.filter(Q(name__icontains=params["q"]) | Q(notes__icontains=params["q"]))
    if params.get("stores") == "yes":
        qs = qs.filter(stores_numbers=True)
    elif params.get("stores") == "no":
        qs = qs.filter(stores_numbers=False)
    if params.get("flagged"):
        qs = qs.filter(stores_numbers=True, unbased_count__gt=0)
    order = {"name": ["name"], "-processes": ["-process_count", "name"],
             "-unbased": ["-unbased_count", "name"]}[params.get("sort") or "name"]
    processes = Process.objects.select_related("beppyo_item", "ordinance").order_by("name")
    systems = list(qs.order_by(*order).prefetch_related(Prefetch("processes", queryset=processes)))
    for system in systems:
        system.flagged = system.stores_numbers and system.unbased_count > 0
    return systems
