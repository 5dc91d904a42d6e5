"""The only code that writes workshops, issues, scores and action items: atomic and audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.audit.services import record, snapshot

from . import rules
from .models import ActionItem, ImportedAverage, Issue, Score, Workshop

WORKSHOP_FIELDS = ("name", "held_on", "criteria", "published")
ISSUE_FIELDS = ("title", "summary", "position", "stated_total", "stated_rank")
ITEM_FIELDS = ("issue", "fiscal_year", "half", "text", "owner", "status")
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
    names = {c["name"] for c in workshop.criteria}
    issues = {i.pk: i for i in workshop.issues.all()}
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
    item = ActionItem(issue=issue, fiscal_year=fiscal_year, half=half, text=text, owner=owner, status=status)
    return _created(actor, via, item, ITEM_FIELDS, issue.workshop.association, "action_item.create")


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
