"""The only code that writes workshops, issues, scores and action items: atomic and audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.audit.services import record, snapshot

from . import rules
from .models import ActionItem, Issue, Score, Workshop

WORKSHOP_FIELDS = ("name", "held_on", "criteria", "published")
ITEM_FIELDS = ("issue", "fiscal_year", "half", "text", "owner", "status")


def _created(actor, via, obj, fields, association):
    obj.full_clean()
    obj.save()
    record(actor=actor, via=via, action="create", obj=obj, after=snapshot(obj, fields), association=association)
    return obj


@transaction.atomic
def create_workshop(*, actor, via: str, association, name: str, held_on=None, criteria=None,
                    published: bool = False) -> Workshop:
    workshop = Workshop(association=association, name=name, held_on=held_on, published=published,
                        criteria=criteria or [dict(c) for c in rules.DEFAULT_CRITERIA])
    return _created(actor, via, workshop, WORKSHOP_FIELDS, association)


@transaction.atomic
def add_issue(*, actor, via: str, workshop: Workshop, title: str, summary: str = "") -> Issue:
    position = workshop.issues.count() + 1
    return _created(actor, via, Issue(workshop=workshop, position=position, title=title, summary=summary),
                    ("title", "summary", "position"), workshop.association)


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
    record(actor=actor, via=via, action="scores", obj=workshop, association=workshop.association,
           after={"participant": participant, "scores": {str(i): {c: str(v) for c, v in vals.items()}
                                                          for i, vals in scores.items()}})
    return count


@transaction.atomic
def add_action_item(*, actor, via: str, issue: Issue, fiscal_year: int, half: str, text: str, owner: str = "",
                    status: str = "not_started") -> ActionItem:
    item = ActionItem(issue=issue, fiscal_year=fiscal_year, half=half, text=text, owner=owner, status=status)
    return _created(actor, via, item, ITEM_FIELDS, issue.workshop.association)
