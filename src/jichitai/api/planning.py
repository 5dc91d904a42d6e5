"""課題分析 workshops and their 3カ年 action plans (issue 14): association-owned, as the pages show them.

Who sees what is the pages' rule (planning.views, planning.queries.workshops): the association's secretariat reads
every workshop and writes; the users of its members read published workshops only (a draft is 404 to them) and
get 403 when they write; anyone else gets 404. Writes go through planning.services (atomic, audited, via="api").
The schemas check shapes, choices and fiscal years (422); the services check the rest (400).
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from jichitai.core.wareki import DATE_MAX, DATE_MIN, date_in_range
from jichitai.orgs.models import Association
from jichitai.orgs.scoping import association_for, get_visible_or_404, is_secretariat, visible
from jichitai.planning import queries, rules, services
from jichitai.planning.models import ActionItem, Issue, Workshop

from .pagination import Pages
from .schemas import FiscalYear, WarekiDate, wareki_fiscal_year

router = Router(tags=["planning"])

Half = Literal[tuple(key for key, _ in rules.HALVES)]
ActionStatus = Literal[tuple(key for key, _ in rules.STATUSES)]
HALF_LABEL, STATUS_LABEL = dict(rules.HALVES), dict(rules.STATUSES)


# ---- schemas ------------------------------------------------------------------------------------------------


class WorkshopSummaryOut(Schema):
    id: int
    association: int
    name: str
    held_on: dt.date | None
    published: bool
    issue_count: int


class CriterionOut(Schema):
    name: str
    weight: float
    retired: bool
    retired_on: dt.date | None


class IssueOut(Schema):
    id: int
    position: int
    title: str
    summary: str
    averages: dict[str, float | None]  # each criterion's average, unrounded (participants' scores or the sheet's)
    averages_shown: dict[str, float | None]  # as the page shows them: one decimal, half up
    total: float  # 総合: Σ weight × unrounded average over the criteria in use
    total_shown: float
    rank: int | None  # 優先順位 among the issues in use; None for a retired issue
    participants: int
    stated_total: float | None  # what an imported sheet said, shown beside the recomputed values
    stated_rank: int | None
    retired: bool
    retired_on: dt.date | None


class WorkshopOut(Schema):
    id: int
    association: int
    name: str
    held_on: dt.date | None
    published: bool
    criteria: list[CriterionOut]
    issues: list[IssueOut]


class ActionOut(Schema):
    id: int
    workshop: int
    issue_id: int
    issue_title: str
    fiscal_year: int
    fiscal_year_label: str  # 和暦: 令和8年度
    half: str
    half_label: str
    text: str
    owner: str
    status: str
    status_label: str
    retired: bool
    retired_on: dt.date | None

    @staticmethod
    def resolve_workshop(item: ActionItem) -> int:
        return item.issue.workshop_id

    @staticmethod
    def resolve_issue_title(item: ActionItem) -> str:
        return item.issue.title

    @staticmethod
    def resolve_fiscal_year_label(item: ActionItem) -> str:
        return wareki_fiscal_year(item.fiscal_year)

    @staticmethod
    def resolve_half_label(item: ActionItem) -> str:
        return HALF_LABEL.get(item.half, item.half)

    @staticmethod
    def resolve_status_label(item: ActionItem) -> str:
        return STATUS_LABEL.get(item.status, item.status)

    @staticmethod
    def resolve_retired(item: ActionItem) -> bool:
        return item.retired_on is not None


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    issue_id: int
    fiscal_year: FiscalYear
    half: Half
    text: str
    owner: str = ""
    status: ActionStatus = "not_started"


class ActionPatch(Schema):
    """Only the fields sent are changed: edit the text, owner or status, or move the action to another issue of the
    workshop, another fiscal year or half."""

    model_config = ConfigDict(extra="forbid")

    issue_id: int = None
    fiscal_year: FiscalYear = None
    half: Half = None
    text: str = None
    owner: str = None
    status: ActionStatus = None


class RetireIn(Schema):
    model_config = ConfigDict(extra="forbid")

    retired_on: WarekiDate | None = None  # empty: today


# ---- reading ----------------------------------------------------------------------------------------------


def _access(request, workshop: Workshop, *, write: bool = False) -> None:
    """The pages' rule: planning.queries.workshops gives the secretariat every workshop and the members the
    published ones; the others do not exist for the user (404). Writing is the secretariat's (403)."""
    secretariat = is_secretariat(request.user, workshop.association)
    if not queries.workshops(request.user, workshop.association, secretariat=secretariat).filter(
            pk=workshop.pk).exists():
        raise Http404
    if write and not secretariat:
        raise PermissionDenied


def _workshop(request, workshop_id: int, *, write: bool = False) -> Workshop:
    workshop = get_visible_or_404(Workshop.objects.select_related("association"), request.user, pk=workshop_id)
    _access(request, workshop, write=write)
    return workshop


_ITEMS = ActionItem.objects.select_related("issue__workshop__association")


def _item(request, item_id: int, *, write: bool = False) -> ActionItem:
    item = get_visible_or_404(_ITEMS, request.user, pk=item_id)
    _access(request, item.issue.workshop, write=write)
    return item


def _issue(request, workshop: Workshop, issue_id: int) -> Issue:
    issue = visible(Issue.objects.filter(workshop=workshop), request.user).filter(pk=issue_id).first()
    if issue is None:
        raise ValidationError({"issue_id": ["課題はこのワークショップのものを指定してください。"]})
    issue.workshop = workshop
    return issue


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def workshop_out(workshop: Workshop) -> dict:
    rows = queries.issue_rows(workshop)
    criteria = [{"name": c["name"], "weight": float(rules.to_decimal(c.get("weight", 1))),
                 "retired": not rules.is_active(c), "retired_on": _date(c.get("retired_on"))}
                for c in workshop.criteria]
    issues = [{"id": row.issue.pk, "position": row.issue.position, "title": row.issue.title,
               "summary": row.issue.summary,
               "averages": {name: _number(value) for name, value in row.averages.items()},
               "averages_shown": {name: _number(value) for name, value in zip(row.averages, row.shown, strict=True)},
               "total": float(row.total), "total_shown": float(row.shown_total), "rank": row.rank,
               "participants": row.participants, "stated_total": _number(row.issue.stated_total),
               "stated_rank": row.issue.stated_rank, "retired": row.issue.retired_on is not None,
               "retired_on": row.issue.retired_on} for row in rows]
    return {"id": workshop.pk, "association": workshop.association_id, "name": workshop.name,
            "held_on": workshop.held_on, "published": workshop.published, "criteria": criteria, "issues": issues}


def _action_response(request, item: ActionItem) -> ActionItem:
    """The action as stored now, read the way the list reads it."""
    return visible(_ITEMS.filter(pk=item.pk), request.user).get()


# ---- routes -----------------------------------------------------------------------------------------------


@router.get("/associations/{association_id}/workshops", response=list[WorkshopSummaryOut])
@paginate(Pages, key="-id")
def list_workshops(request, association_id: int):
    """The association's workshops, the latest created first: the secretariat's drafts too, only published ones to
    members."""
    association: Association = association_for(request.user, association_id, members_read=True)
    secretariat = is_secretariat(request.user, association)
    return queries.workshops(request.user, association, secretariat=secretariat).annotate(
        issue_count=Count("issues")).values("id", "association", "name", "held_on", "published", "issue_count")


@router.get("/workshops/{workshop_id}", response=WorkshopOut)
def get_workshop(request, workshop_id: int):
    """The live 課題分析 table: each issue's averages, 総合 and 優先順位 recomputed from the scores and criteria."""
    return workshop_out(_workshop(request, workshop_id))


@router.get("/workshops/{workshop_id}/actions", response=list[ActionOut])
@paginate(Pages)
def list_action_items(request, workshop_id: int):
    """The workshop's action items (retired ones too, flagged), in the order they were added (`id`)."""
    workshop = _workshop(request, workshop_id)
    return visible(queries.plan_items(workshop).select_related("issue"), request.user)


@router.post("/workshops/{workshop_id}/actions", response={201: ActionOut})
def create_action_item(request, workshop_id: int, payload: ActionIn):
    workshop = _workshop(request, workshop_id, write=True)
    fields = payload.model_dump()
    issue = _issue(request, workshop, fields.pop("issue_id"))
    item = services.add_action_item(actor=request.user, via="api", issue=issue, **fields)
    return Status(201, _action_response(request, item))


@router.patch("/actions/{item_id}", response=ActionOut)
def update_action_item(request, item_id: int, payload: ActionPatch):
    item = _item(request, item_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    if "issue_id" in changes:
        changes["issue"] = _issue(request, item.issue.workshop, changes.pop("issue_id"))
    services.update_action_item(actor=request.user, via="api", item=item, **changes)
    return _action_response(request, item)


@router.post("/actions/{item_id}/retire", response=ActionOut)
def retire_action_item(request, item_id: int, payload: RetireIn):
    """Struck from the chart and the export, kept in the table: the plan's history. `{}` (no date): today."""
    item = _item(request, item_id, write=True)
    on = payload.retired_on
    if on is not None and not date_in_range(on):
        raise ValidationError({"retired_on": [f"廃止日は{DATE_MIN.year}年から{DATE_MAX.year}年までの日付で入力してください。"]})
    services.retire_action_item(actor=request.user, via="api", item=item, on=on)
    return _action_response(request, item)


@router.post("/actions/{item_id}/reactivate", response=ActionOut)
def reactivate_action_item(request, item_id: int):
    item = _item(request, item_id, write=True)
    services.reactivate_action_item(actor=request.user, via="api", item=item)
    return _action_response(request, item)
