"""The only code that writes workshops, issues, scores and action items: atomic and audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.audit.services import record, snapshot, update_audited

from . import rules
from .models import ActionItem, ImportedAverage, Issue, Score, Workshop

WORKSHOP_FIELDS = ("name", "held_on", "criteria", "published")
ISSUE_FIELDS = ("title", "summary", "position", "stated_total", "stated_rank", "retired_on")
ITEM_FIELDS = ("issue", "fiscal_year", "half", "text", "owner", "status", "retired_on")
WORKSHOP_EDIT = ("name", "held_on", "published")
ISSUE_EDIT = ("title", "summary", "position")
ITEM_EDIT = ("issue", "fiscal_year", "half", "text", "owner", "status")
CENT, MILLI = Decimal("0.01"), Decimal("0.001")


def _created(actor, via, obj, fields, association, action):
    obj.full_clean()
    obj.save()
    record(actor=actor, via=via, action=action, obj=obj, after=snapshot(obj, fields), association=association)
    return obj


@transaction.atomic
def create_workshop(*, actor, via: str, association, name: str, held_on=None, criteria=None,
                    published: bool = False) -> Workshop:
    workshop = Workshop(association=association, name=name, held_on=held_on, published=published,
                        criteria=criteria or [dict(c) for c in rules.DEFAULT_CRITERIA])
    return _created(actor, via, workshop, WORKSHOP_FIELDS, association, "workshop.create")


@transaction.atomic
def add_issue(*, actor, via: str, workshop: Workshop, title: str, summary: str = "") -> Issue:
    position = workshop.issues.count() + 1
    return _created(actor, via, Issue(workshop=workshop, position=position, title=title, summary=summary),
                    ISSUE_FIELDS, workshop.association, "issue.create")


@transaction.atomic
def save_scores(*, actor, via: str, workshop: Workshop, participant: str, municipality=None,
                scores: dict[int, dict[str, Decimal]]) -> int:
    """Record (or replace) one participant's scores: {issue id: {criterion: value}}. Returns the count."""
    participant = participant.strip()
    if not participant:
        raise ValidationError(_("Enter the participant's name."))
    names = {c["name"] for c in workshop.criteria if rules.is_active(c)}
    issues = {i.pk: i for i in workshop.issues.filter(retired_on__isnull=True)}
    count = 0
    for issue_id, values in scores.items():
        if issue_id not in issues:
            raise ValidationError(_("Unknown issue."))
        for criterion, value in values.items():
            if criterion not in names:
                raise ValidationError(_("Unknown criterion."))
            try:
                value = rules.read_score(value)
            except rules.InvalidScore:
                raise ValidationError(_("Scores are from 1 to 5 with at most one decimal.")) from None
            score, _created_now = Score.objects.update_or_create(
                issue=issues[issue_id], participant=participant, criterion=criterion,
                defaults={"value": value, "municipality": municipality})
            count += 1
    record(actor=actor, via=via, action="scores.save", obj=workshop, association=workshop.association,
           after={"participant": participant, "scores": {str(i): {c: str(v) for c, v in vals.items()}
                                                          for i, vals in scores.items()}})
    return count


@transaction.atomic
def add_action_item(*, actor, via: str, issue: Issue, fiscal_year: int, half: str, text: str, owner: str = "",
                    status: str = "not_started") -> ActionItem:
    if _retired(issue):
        raise ValidationError(_("This issue is retired: no new action can be planned for it."))
    item = ActionItem(issue=issue, fiscal_year=fiscal_year, half=half, text=text, owner=owner, status=status)
    return _created(actor, via, item, ITEM_FIELDS, issue.workshop.association, "action_item.create")


# ---- edits: each reads the stored row (a bound form may have changed the object it was given) -----------------


def _change(actor, via: str, obj, fields, changes: dict, allowed, action: str, association, check=None):
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s") % {"name": ", ".join(sorted(unknown))})
    return update_audited(actor=actor, via=via, obj=obj, changes=changes, fields=fields, action=action,
                          association=association, check=check)


@transaction.atomic
def update_workshop(*, actor, via: str, workshop: Workshop, **changes) -> Workshop:
    """Name, date and publication; the criteria change through save_criteria."""
    return _change(actor, via, workshop, WORKSHOP_FIELDS, changes, WORKSHOP_EDIT, "workshop.update",
                   workshop.association)


@transaction.atomic
def update_issue(*, actor, via: str, issue: Issue, **changes) -> Issue:
    return _change(actor, via, issue, ISSUE_FIELDS, changes, ISSUE_EDIT, "issue.update", issue.workshop.association)


@transaction.atomic
def retire_issue(*, actor, via: str, issue: Issue, on=None) -> Issue:
    """No longer ranked, scored or planned for from `on` (default today); its scores and actions stay."""
    return _change(actor, via, issue, ISSUE_FIELDS, {"retired_on": on or timezone.localdate()}, ("retired_on",),
                   "issue.retire", issue.workshop.association)


@transaction.atomic
def reactivate_issue(*, actor, via: str, issue: Issue) -> Issue:
    return _change(actor, via, issue, ISSUE_FIELDS, {"retired_on": None}, ("retired_on",), "issue.reactivate",
                   issue.workshop.association)


def issue_references(issue: Issue) -> dict[str, int]:
    return {"scores": issue.scores.count(), "averages": issue.imported_averages.count(),
            "actions": issue.actions.count()}


@transaction.atomic
def delete_issue(*, actor, via: str, issue: Issue) -> None:
    """Delete an issue nobody scored, no sheet gave averages for and no action names; else retire it."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if any(issue_references(issue).values()):
        raise ValidationError(_("This issue has scores or actions, so it cannot be deleted. Retire it instead."))
    record(actor=actor, via=via, action="issue.delete", obj=issue, association=issue.workshop.association,
           before=snapshot(issue, ISSUE_FIELDS))
    issue.delete()


def _retired(issue: Issue) -> bool:
    """Whether the issue is retired as stored (the object in hand may predate its retirement)."""
    return Issue.objects.filter(pk=issue.pk, retired_on__isnull=False).exists()


def _check_item(item: ActionItem) -> None:
    stored = ActionItem.objects.filter(pk=item.pk).values_list("issue_id", flat=True).first()
    if stored != item.issue_id and _retired(item.issue):
        raise ValidationError(_("This issue is retired: no new action can be planned for it."))


@transaction.atomic
def update_action_item(*, actor, via: str, item: ActionItem, **changes) -> ActionItem:
    """Change an action (its issue within the same workshop, half, text, owner, status)."""
    workshop_id = ActionItem.objects.filter(pk=item.pk).values_list("issue__workshop_id", flat=True).get()
    if "issue" in changes and changes["issue"].workshop_id != workshop_id:
        raise ValidationError(_("An action stays in its workshop."))
    return _change(actor, via, item, ITEM_FIELDS, changes, ITEM_EDIT, "action_item.update",
                   item.issue.workshop.association, check=_check_item)


@transaction.atomic
def retire_action_item(*, actor, via: str, item: ActionItem, on=None) -> ActionItem:
    return _change(actor, via, item, ITEM_FIELDS, {"retired_on": on or timezone.localdate()}, ("retired_on",),
                   "action_item.retire", item.issue.workshop.association)


@transaction.atomic
def reactivate_action_item(*, actor, via: str, item: ActionItem) -> ActionItem:
    return _change(actor, via, item, ITEM_FIELDS, {"retired_on": None}, ("retired_on",), "action_item.reactivate",
                   item.issue.workshop.association)


@transaction.atomic
def save_criteria(*, actor, via: str, workshop: Workshop, rows: list[dict]) -> Workshop:
    """Rename, reweigh, retire, add or delete the workshop's criteria. 総合 and 優先順位 are computed from them when
    read (planning.queries.issue_rows), so a new weight re-ranks the issues at once.

    `rows`, in order: {"was": the stored name or None for a new criterion, "name", "weight" (Decimal),
    "retired" (bool), "delete" (bool)}. A renamed criterion's scores and imported averages follow it; a
    criterion somebody scored is retired, never deleted.
    """
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    stored = {c["name"]: c for c in workshop.criteria}
    today = timezone.localdate().isoformat()
    criteria, renames, deleted = [], {}, []
    for row in rows:
        was = row.get("was")
        if was is not None and was not in stored:
            raise ValidationError(_("The criteria were changed meanwhile. Reload the page and try again."))
        if row.get("delete"):
            if was is not None:
                deleted.append(was)
            continue
        name = str(row["name"]).strip()
        criterion = {"name": name, "weight": row["weight"]}
        if row.get("retired"):
            criterion["retired_on"] = (stored.get(was) or {}).get("retired_on") or today
        criteria.append(criterion)
        if was is not None and was != name:
            renames[was] = name
    errors = rules.criteria_errors(criteria)
    if errors:
        raise ValidationError(errors)
    for criterion in criteria:
        criterion["weight"] = rules.weight_value(rules.to_decimal(criterion["weight"]))
    scored = set(Score.objects.filter(issue__workshop=workshop, criterion__in=deleted)
                 .values_list("criterion", flat=True))
    scored |= set(ImportedAverage.objects.filter(issue__workshop=workshop, criterion__in=deleted)
                  .values_list("criterion", flat=True))
    if scored:
        raise ValidationError(_("Criteria with scores cannot be deleted; retire them instead: %(names)s")
                              % {"names": "、".join(sorted(scored))})
    _rename_scores(workshop, renames)
    before = workshop.criteria
    workshop.criteria = criteria
    workshop.full_clean()
    workshop.save(update_fields=["criteria"])
    if criteria != before:
        record(actor=actor, via=via, action="workshop.criteria", obj=workshop, association=workshop.association,
               before={"criteria": before}, after={"criteria": criteria, **({"renamed": renames} if renames else {})})
    return workshop


def _rename_scores(workshop: Workshop, renames: dict[str, str]) -> None:
    """Scores and imported averages name their criterion: rename them in two steps, so that swapped names never
    meet (a participant scores a criterion once)."""
    if not renames:
        return
    for model in (Score, ImportedAverage):
        rows = model.objects.filter(issue__workshop=workshop)
        for n, old in enumerate(renames):
            rows.filter(criterion=old).update(criterion=f"\x01{n}")
        for n, new in enumerate(renames.values()):
            rows.filter(criterion=f"\x01{n}").update(criterion=new)


@transaction.atomic
def import_workshop(*, actor, via: str, association, name: str, criteria: list[dict], issues: list[dict]) -> dict:
    """Create a workshop from a sheet of averages, or update the one of the same name (an issue analysis import).

    `issues`: dicts with title, summary, stated_total, stated_rank and averages {criterion: Decimal}, in order.
    Issues are matched by title; their imported averages are replaced. Audited like the single-object
    services (workshop.create/update, issue.create/update). Returns {"workshop", "created", "updated"}.
    """
    workshop = Workshop.objects.filter(association=association, name=name).first()
    if workshop is None:
        workshop = _created(actor, via, Workshop(association=association, name=name, criteria=criteria),
                            WORKSHOP_FIELDS, association, "workshop.create")
    elif workshop.criteria != criteria:
        before = snapshot(workshop, WORKSHOP_FIELDS)
        workshop.criteria = criteria
        workshop.full_clean()
        workshop.save(update_fields=["criteria"])
        record(actor=actor, via=via, action="workshop.update", obj=workshop, association=association,
               before=before, after=snapshot(workshop, WORKSHOP_FIELDS))
    existing = {i.title: i for i in workshop.issues.all()}
    created = updated = 0
    for position, item in enumerate(issues, start=1):
        issue = existing.get(item["title"]) or Issue(workshop=workshop, title=item["title"])
        before = snapshot(issue, ISSUE_FIELDS) if issue.pk else None
        issue.position, issue.summary = position, item["summary"]
        issue.stated_total = None if item["stated_total"] is None else item["stated_total"].quantize(CENT)
        issue.stated_rank = item["stated_rank"]
        issue.full_clean()
        issue.save()
        issue.imported_averages.all().delete()
        ImportedAverage.objects.bulk_create(ImportedAverage(issue=issue, criterion=criterion, value=value.quantize(MILLI))
                                            for criterion, value in item["averages"].items())
        after = snapshot(issue, ISSUE_FIELDS) | {"averages": {c: str(v) for c, v in item["averages"].items()}}
        record(actor=actor, via=via, action="issue.update" if before else "issue.create", obj=issue,
               association=association, before=before, after=after)
        if before:
            updated += 1
        else:
            created += 1
    return {"workshop": workshop, "created": created, "updated": updated}
