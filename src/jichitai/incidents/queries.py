"""Read models of incidents and drills, each in a fixed number of queries.

`serious_incident_dates` (read by the PIA app) and `overdue_incidents` (dashboards) take municipality ids
(a list or a values("id") subquery that came from orgs.scoping) and make one pass however many there are.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import TruncDate
from django.urls import reverse

from jichitai.orgs.models import Staff
from jichitai.orgs.scoping import visible
from jichitai.processes.models import Process

from . import rules
from .models import Drill, Incident, IncidentPhase, Measure

_SETTINGS_DAYS = "municipality__association__incident_settings__preliminary_days"


def _days(value: int | None) -> int:
    return value or rules.DEFAULT_PRELIMINARY_DAYS


def _closing_phase() -> Exists:
    return Exists(IncidentPhase.objects.filter(incident=OuterRef("pk"), phase=rules.CLOSING_PHASE))


def annotate_status(incident: Incident, preliminary_days: int, as_of: dt.date) -> Incident:
    """Sets .assessment, .preliminary_overdue, .final_overdue, .overdue and .open (needs .has_closing_phase)."""
    assessment = incident.assess(preliminary_days)
    incident.assessment = assessment
    incident.preliminary_overdue = rules.overdue(assessment.preliminary_due, incident.preliminary_sent_on, as_of)
    incident.final_overdue = rules.overdue(assessment.final_due, incident.final_sent_on, as_of)
    incident.overdue = incident.preliminary_overdue or incident.final_overdue
    incident.open = rules.is_open(incident.has_closing_phase, assessment.reportable, incident.final_sent_on)
    incident.ground_labels = [f"{n}号 {rules.GROUND_BY_NUMBER[n].label}" for n in assessment.grounds]
    return incident


# ---- Register ----

# A unique tie-breaker (pk) last, so that LIMIT/OFFSET pages never overlap or skip a row.
REGISTER_ORDER = {
    "-known_at": ("-known_at", "pk"),
    "known_at": ("known_at", "pk"),
    "final_due": (F("final_due_on").asc(nulls_last=True), "pk"),
    "title": ("title", "pk"),
}


def _tokyo_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=rules.TOKYO)


def _before(days: int, as_of: dt.date) -> Q:
    """known_at such that a report due `days` days after knowing is overdue on `as_of` (rules.overdue: as_of > due,
    due = local_date(known_at) + days): local_date(known_at) < as_of - days, that is known_at before Tokyo's
    midnight starting the day as_of - days."""
    return Q(known_at__lt=_tokyo_midnight(as_of - dt.timedelta(days=days)))


def overdue_condition(preliminary_days: int, as_of: dt.date) -> Q:
    """The SQL twin of annotate_status's .overdue, so that the register counts and filters overdue incidents in one
    query instead of assessing every incident in Python. Only reportable incidents (serious, which save_incident
    derives from rules.assess) have due dates; the 確報 is due 60 days after knowing for 不正の目的 (the ground
    applies exactly when improper_purpose is set on a reportable incident), 30 otherwise."""
    final_days = (Q(improper_purpose=True) & _before(rules.FINAL_DAYS_IMPROPER_PURPOSE, as_of)
                  | Q(improper_purpose=False) & _before(rules.FINAL_DAYS, as_of))
    return Q(serious=True) & (Q(preliminary_sent_on__isnull=True) & _before(preliminary_days, as_of)
                              | Q(final_sent_on__isnull=True) & final_days)


def open_condition() -> Q:
    """The SQL twin of rules.is_open (needs the has_closing_phase annotation)."""
    return Q(has_closing_phase=False) | Q(serious=True, final_sent_on__isnull=True)


def _final_due_on() -> Case:
    """rules.assess's final_due in SQL: the Tokyo date of known_at plus 30 or 60 days (Japan keeps no summer time,
    so adding whole days to the instant and then taking the date is the same); NULL when not reportable."""
    def due(days):
        return TruncDate(ExpressionWrapper(F("known_at") + dt.timedelta(days=days), output_field=DateTimeField()),
                         tzinfo=rules.TOKYO)
    return Case(When(serious=True, improper_purpose=True, then=due(rules.FINAL_DAYS_IMPROPER_PURPOSE)),
                When(serious=True, then=due(rules.FINAL_DAYS)), default=None, output_field=DateField())


def register_queryset(incidents: QuerySet, params: dict, preliminary_days: int, as_of: dt.date) -> QuerySet:
    """The municipality's incidents filtered and sorted in SQL (the register page pages through it with LIMIT/OFFSET;
    the export reads it whole through register). Each row needs annotate_status before it is shown."""
    qs = incidents.annotate(has_closing_phase=_closing_phase())
    if params.get("q"):
        q = params["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(notes__icontains=q) | Q(root_cause__icontains=q))
    if params.get("kind"):
        # kinds is a JSON list of rules.KINDS codes (plain ASCII words, none inside another once quoted): the quoted
        # code in its text is the portable test (SQLite has no JSON containment lookup).
        qs = qs.filter(kinds__icontains=f'"{params["kind"]}"')
    if params.get("department"):
        qs = qs.filter(department=params["department"])
    if params.get("reportable") in ("yes", "no"):
        qs = qs.filter(serious=params["reportable"] == "yes")
    if params.get("status") == "open":
        qs = qs.filter(open_condition())
    elif params.get("status") == "closed":
        qs = qs.filter(Q(has_closing_phase=True) & (Q(serious=False) | Q(final_sent_on__isnull=False)))
    elif params.get("status") == "overdue":
        qs = qs.filter(overdue_condition(preliminary_days, as_of))
    sort = params.get("sort") if params.get("sort") in REGISTER_ORDER else "-known_at"
    if sort == "final_due":
        qs = qs.annotate(final_due_on=_final_due_on())
    return qs.order_by(*REGISTER_ORDER[sort])


def with_rows(qs: QuerySet) -> QuerySet:
    """What each shown row needs besides its own columns: its department (joined) and processes (one more query)."""
    return qs.select_related("department").prefetch_related(
        Prefetch("processes", queryset=Process.objects.order_by("name")))


def register_rows(incidents, preliminary_days: int, as_of: dt.date) -> list[Incident]:
    """Deadlines and overdue flags computed by the rules, for the rows given (a page, or the export's all)."""
    return [annotate_status(i, preliminary_days, as_of) for i in incidents]


def overdue_count(qs: QuerySet, preliminary_days: int, as_of: dt.date) -> int:
    """How many of the filtered incidents have an overdue report, over every page: one COUNT query."""
    return qs.filter(overdue_condition(preliminary_days, as_of)).count()


def register(incidents: QuerySet, params: dict, preliminary_days: int, as_of: dt.date) -> list[Incident]:
    """The municipality's incidents filtered and sorted, every one (the export, the API). Two queries."""
    return register_rows(with_rows(register_queryset(incidents, params, preliminary_days, as_of)), preliminary_days,
                         as_of)


def incident_page(incident: Incident, preliminary_days: int, as_of: dt.date) -> dict:
    """Everything the incident page shows. Three queries besides the incident itself."""
    phases = list(IncidentPhase.objects.filter(incident=incident).order_by("at", "id"))
    incident.has_closing_phase = any(p.phase == rules.CLOSING_PHASE for p in phases)
    annotate_status(incident, preliminary_days, as_of)
    measures = list(Measure.objects.filter(incident=incident).select_related("follow_up__process"))
    processes = list(incident.processes.order_by("name"))
    return {"incident": incident, "phases": phases, "measures": measures, "processes": processes}


def open_follow_ups(municipality_ids) -> list[Measure]:
    """Recurrence-prevention measures not done yet that point at a handling rule. One query."""
    return list(Measure.objects.filter(incident__municipality_id__in=municipality_ids, done=False,
                                       follow_up__isnull=False)
                .select_related("incident__municipality", "follow_up__process")
                .order_by("incident__municipality__code", "follow_up__process__name", "follow_up__row_id", "id"))


def open_follow_up_count(municipality_ids) -> int:
    """How many open_follow_ups there are (the register's button). One COUNT query."""
    return Measure.objects.filter(incident__municipality_id__in=municipality_ids, done=False,
                                  follow_up__isnull=False).count()


# ---- For other apps ----


def serious_incident_dates(municipality_ids) -> dict[int, list[dt.date]]:
    """Known-at dates (Asia/Tokyo) of the reportable incidents (重大事故) of each municipality, oldest first.
    One query; municipalities without any are left out."""
    result: dict[int, list[dt.date]] = {}
    rows = (Incident.objects.filter(municipality_id__in=municipality_ids, serious=True)
            .order_by("municipality_id", "known_at").values_list("municipality_id", "known_at"))
    for mid, known_at in rows:
        result.setdefault(mid, []).append(rules.local_date(known_at))
    return result


@dataclass
class OverdueReport:
    municipality_id: int
    municipality_code: str
    incident_id: int
    title: str
    report: str  # "preliminary" (速報) or "final" (確報)
    due: dt.date

    @property
    def label(self) -> str:
        return "速報" if self.report == "preliminary" else "確報"

    @property
    def url(self) -> str:
        return reverse("incidents:detail", kwargs={"code": self.municipality_code, "incident": self.incident_id})


_ASSESS_FIELDS = ("persons_affected", "persons_unknown", "in_network_or_number_system", "improper_purpose",
                  "public_exposure", "encrypted_high_standard", "known_at")


def overdue_incidents(municipality_ids, as_of: dt.date) -> list[OverdueReport]:
    """Reports (速報, 確報) not sent whose due date passed as of `as_of`, for dashboards. One query."""
    rows = (Incident.objects.filter(municipality_id__in=municipality_ids, serious=True)
            .filter(Q(preliminary_sent_on__isnull=True) | Q(final_sent_on__isnull=True))
            .order_by("municipality__code", "known_at", "id")
            .values_list("id", "title", "municipality_id", "municipality__code", "preliminary_sent_on",
                         "final_sent_on", _SETTINGS_DAYS, *_ASSESS_FIELDS))
    result = []
    for pk, title, mid, code, preliminary_sent, final_sent, days, *facts in rows:
        assessment = rules.assess(*facts, _days(days))
        for report, due, sent in (("preliminary", assessment.preliminary_due, preliminary_sent),
                                  ("final", assessment.final_due, final_sent)):
            if rules.overdue(due, sent, as_of):
                result.append(OverdueReport(mid, code, pk, title, report, due))
    return result


def overdue_notices(municipality_ids, today: dt.date) -> list:
    """The register page's notice of overdue reports (processes.notices)."""
    from django.utils.translation import gettext as _

    from jichitai.core.wareki import format_date
    from jichitai.processes.notices import Notice

    items = [{"url": o.url, "title": o.title, "text": f"{o.label} {_('due')} {format_date(o.due)}"}
             for o in overdue_incidents(municipality_ids, today)]
    return [Notice(_("Incident reports overdue"), items)]


def member_incidents(municipality_ids, as_of: dt.date) -> list[Incident]:
    """Open incidents of many municipalities with their assessment and overdue flags (association view).
    One query."""
    qs = (Incident.objects.filter(municipality_id__in=municipality_ids)
          .select_related("municipality__association__incident_settings", "department")
          .annotate(has_closing_phase=_closing_phase()).order_by("municipality__code", "-known_at", "id"))
    rows = []
    for incident in qs:
        association = incident.municipality.association
        settings = getattr(association, "incident_settings", None) if association else None
        annotate_status(incident, _days(settings.preliminary_days if settings else None), as_of)
        if incident.open:
            rows.append(incident)
    return rows


# ---- Drills ----


def municipality_drills(user, municipality) -> list[Drill]:
    """Drills the municipality organised, and its association's drills its staff took part in. Two queries."""
    taking_part = Q(association_id=municipality.association_id, participants__municipality=municipality) \
        if municipality.association_id else Q(pk__in=[])
    # Of a joint drill, only this municipality's own participants are shown.
    mine = Prefetch("participants", queryset=Staff.objects.filter(municipality=municipality))
    return list(visible(Drill.objects.filter(Q(municipality=municipality) | taking_part), user).distinct()
                .select_related("course", "association").prefetch_related(mine).order_by("-held_on", "id"))


def association_drills(user, association) -> list[Drill]:
    """The association's own drills."""
    return list(visible(Drill.objects.filter(association=association), user).select_related("course")
                .prefetch_related("participants__municipality").order_by("-held_on", "id"))
