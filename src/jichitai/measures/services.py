"""The only code that writes frameworks and assessments: one transaction per action, each audited."""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.audit.services import create_audited, entry, record, record_many, snapshot, update_audited
from jichitai.core.sheets.report import ImportReport

from . import rules
from .framework_file import FrameworkData, FrameworkFileError, read_json
from .models import Assessment, AssessmentChange, Framework, FrameworkItem

DEFAULT_FRAMEWORK_PATH = Path(__file__).resolve().parent.parent / "data" / "safe_management_measures.json"
DEFAULT_FRAMEWORK_CODE = "guideline-betten"
ITEM_FIELDS = ("category", "title", "guidance", "departmental", "position", "active")
ASSESSMENT_FIELDS = ("status", "evidence_note", "owner", "review_on")


def load_default_framework(*, actor=None) -> dict:
    """The shipped 別添 framework (reference data, loaded by `jichitai loadreference`). Idempotent."""
    report = ImportReport()
    data = read_json(DEFAULT_FRAMEWORK_PATH.read_bytes(), report, label=DEFAULT_FRAMEWORK_PATH.name)
    if data is None:
        raise FrameworkFileError(report)
    return save_framework(data, actor=actor)


def owner_conflict(code: str, municipality) -> str | None:
    """Why a list with this code cannot be loaded for `municipality` (None: it can). A code names one list:
    a municipality's own list cannot replace a shared one or another's, nor the reverse."""
    existing = Framework.objects.filter(code=code).first()
    if existing is None or existing.municipality_id == (municipality.id if municipality else None):
        return None
    owner = "全団体共通" if existing.municipality_id is None else "別の団体専用"
    return f"コード {code} は{owner}のチェックリストとして登録済みです。別のコードを指定してください。"


@transaction.atomic
def save_framework(data: FrameworkData, *, actor=None, via: str = "command", municipality=None) -> dict:
    """Create or update a framework and its items; items the data no longer lists are retired (kept with
    their assessments, no longer asked for). Returns code, created, updated, retired, total, revision."""
    framework = Framework.objects.filter(code=data.code).first()
    header = {"name": data.name, "source": data.source, "revision": data.revision}
    created_framework = framework is None
    if framework is None:
        framework = Framework(code=data.code, municipality=municipality)
    changed_header = any(getattr(framework, k) != v for k, v in header.items())
    for key, value in header.items():
        setattr(framework, key, value)
    framework.full_clean()
    framework.save()
    existing = {item.item_id: item for item in framework.items.all()} if not created_framework else {}
    created = updated = 0
    for position, found in enumerate(data.items):
        values = {"category": found.category, "title": found.title, "guidance": found.guidance,
                  "departmental": found.departmental, "position": position, "active": True}
        item = existing.pop(found.item_id, None)
        if item is None:
            item = FrameworkItem(framework=framework, item_id=found.item_id, **values)
            created += 1
        elif any(getattr(item, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(item, key, value)
            updated += 1
        else:
            continue
        item.full_clean()
        item.save()
    # Items the file no longer lists keep their assessments but are no longer asked for.
    retired = [item for item in existing.values() if item.active]
    for item in retired:
        item.active = False
        item.save(update_fields=["active"])
    result = {"code": framework.code, "created": created, "updated": updated, "retired": len(retired),
              "total": framework.items.filter(active=True).count(), "revision": framework.revision}
    if created_framework or changed_header or created or updated or retired:
        record(actor=actor, via=via, action="framework.load", obj=framework, municipality=municipality,
               after=result)
    return result


def _check_slot(municipality, item: FrameworkItem, department, has_departments: bool | None = None) -> None:
    """`has_departments`, when known (a bulk service asks once), saves asking for every slot."""
    if not item.active or item.framework.municipality_id not in (None, municipality.id):
        raise ValidationError(_("This item is not part of a checklist of this municipality."))
    if department is not None and department.municipality_id != municipality.id:
        raise ValidationError(_("The department is not one of this municipality's departments."))
    if has_departments is None:
        has_departments = municipality.departments.exists()
    per_department = item.departmental and has_departments
    if per_department and department is None:
        raise ValidationError(_("This item is assessed per department: choose the department."))
    if not per_department and department is not None:
        raise ValidationError(_("This item is assessed once for the whole municipality."))


@transaction.atomic
def save_assessment(*, actor, via: str, municipality, item: FrameworkItem, department=None,
                    status: str = rules.DEFAULT_STATUS, evidence_note: str = "", owner=None,
                    review_on=None) -> Assessment:
    """Create the assessment on its first save, else update it; a status change is also kept in its history."""
    _check_slot(municipality, item, department)
    if owner is not None and owner.municipality_id != municipality.id:
        raise ValidationError({"owner": _("Choose a person of this municipality.")})
    changes = {"status": status, "evidence_note": evidence_note or "", "owner": owner, "review_on": review_on}
    # order_by("pk"): the default ordering joins departments, and PostgreSQL cannot lock an outer join.
    assessment = (Assessment.objects.select_for_update().order_by("pk")
                  .filter(municipality=municipality, item=item, department=department).first())
    if assessment is None:
        assessment = create_audited(
            actor=actor, via=via, obj=Assessment(municipality=municipality, item=item, department=department,
                                                 **changes),
            fields=("item", "department", *ASSESSMENT_FIELDS), action="measure.assess", municipality=municipality)
        AssessmentChange.objects.create(assessment=assessment, status=assessment.status)
        return assessment
    same = (assessment.status, assessment.evidence_note, assessment.owner_id, assessment.review_on) == (
        status, changes["evidence_note"], owner.pk if owner else None, review_on)
    if same:
        return assessment  # nothing changed: no write, no audit entry, updated_at kept
    old_status = assessment.status
    update_audited(actor=actor, via=via, obj=assessment, changes=changes | {"updated_at": timezone.now()},
                   fields=ASSESSMENT_FIELDS, action="measure.assess", municipality=municipality)
    if assessment.status != old_status:
        AssessmentChange.objects.create(assessment=assessment, status=assessment.status)
    return assessment


def _start_of_day(day: dt.date) -> dt.datetime:
    """When a change known only by its date took effect: the start of that working day (09:00), or now if today."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@transaction.atomic
def create_assessments_bulk(*, actor, via: str, municipality, rows: list[dict]) -> list[Assessment]:
    """Assess many slots of one municipality at once (a checklist import, the demo), each with its history.

    Each dict has item, department (None for an item assessed once for the whole municipality), status, and
    optionally evidence_note, owner, review_on and history: [(status, effective_on), ...] in date order,
    ending in `status` -- for records whose dates are known (imports, the demo). Without a history the status
    takes effect today. An assessment's updated_at is its last change. Each slot is checked as save_assessment
    checks it and must not be assessed yet (this is each slot's first save); anything refused writes nothing.
    Audited per assessment as measure.assess, like save_assessment. Returns the new assessments.
    """
    today = timezone.localdate()
    has_departments = municipality.departments.exists()
    taken = set(Assessment.objects.filter(municipality=municipality).values_list("item_id", "department_id"))
    assessments, histories = [], []
    for values in rows:
        values = dict(values)
        status = values.get("status", rules.DEFAULT_STATUS)
        history = list(values.pop("history", None) or [(status, today)])
        item, department, owner = values["item"], values.get("department"), values.get("owner")
        _check_slot(municipality, item, department, has_departments)
        if owner is not None and owner.municipality_id != municipality.id:
            raise ValidationError({"owner": _("Choose a person of this municipality.")})
        key = (item.pk, department.pk if department is not None else None)
        if key in taken:
            raise ValidationError(f"{item.item_id}{' ' + department.name if department else ''} は評価済みです。")
        taken.add(key)
        days = [day for _status, day in history]
        if days != sorted(days) or history[-1][0] != status:
            raise ValidationError("変更履歴は日付順で、最後が現在の状況である必要があります。")
        if days[-1] > today:
            raise ValidationError(_("The date must not be in the future."))
        for past, _day in history:
            if past not in rules.STATUS_CODES:
                raise ValidationError(_("Unknown status: %(status)s") % {"status": past})
        assessment = Assessment(municipality=municipality, item=item, department=department, status=status,
                                evidence_note=values.get("evidence_note") or "", owner=owner,
                                review_on=values.get("review_on"), updated_at=_start_of_day(days[-1]))
        # The slot (item, department, owner) was checked above, for all rows with one query.
        assessment.full_clean(exclude=["municipality", "item", "department", "owner"], validate_unique=False)
        assessments.append(assessment)
        histories.append(history)
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    AssessmentChange.objects.bulk_create(
        (AssessmentChange(assessment=assessment, status=past, effective_on=day)
         for assessment, history in zip(assessments, histories, strict=True) for past, day in history),
        batch_size=1000)
    record_many([entry(actor=actor, via=via, action="measure.assess", obj=assessment, municipality=municipality,
                       after=snapshot(assessment, ("item", "department", *ASSESSMENT_FIELDS))
                       | {"history": [[past, str(day)] for past, day in history]})
                 for assessment, history in zip(assessments, histories, strict=True)])
    return assessments
