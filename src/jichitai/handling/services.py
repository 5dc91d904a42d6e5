"""Writes to business flows, handling tables, approvals and templates. Atomic and audited.

Any change to an approved set returns it to draft; the approval history is kept.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.audit.services import entry as audit_entry
from jichitai.audit.services import record, record_many, snapshot
from jichitai.core.fast_insert import fast_insert
from jichitai.core.locks import lock_rows
from jichitai.risk import rules as risk_rules
from jichitai.risk.models import Countermeasure, RiskRow, RiskSettings
from jichitai.risk.queries import settings_for
from jichitai.risk.services import rescore, score

from . import rules
from .models import ApprovalEvent, FlowStep, HandlingRecord, HandlingRow, ProcessAnalysis, RulesDocument
from .sheets import HANDLING_COLUMNS as HANDLING_SHEET_COLUMNS

RISK_FIELDS = ("vulnerability", "vulnerability_rating", "threat", "threat_rating", "business_function",
               "total", "residual", "residual_risk")
STEP_FIELDS = ("order", "lane", "action", "business_function", "stage", "assets")
ROW_FIELDS = ("row_id", "asset_name", "kind", "stage", "method", "procedure", "business_function", "responsible",
              "responsible_duty", "handler", "handler_duty", "notes", "confidentiality", "integrity",
              "availability", "asset_value", "records_kept")


def _actor_name(actor) -> str:
    return actor.get_username() if actor is not None and actor.is_authenticated else "system"


def analysis_for(process) -> ProcessAnalysis:
    analysis, _ = ProcessAnalysis.objects.get_or_create(process=process)
    return analysis


def mark_edited(*, actor, via: str, process) -> None:
    """An edit to an approved set returns it to draft, recorded as an event and in the audit log."""
    analysis = analysis_for(process)
    if analysis.status != ProcessAnalysis.Status.APPROVED:
        return
    # Two edits at once: the second waits for the first and reads the set it returned, so it is returned once.
    lock_rows(ProcessAnalysis.objects.filter(pk=analysis.pk))
    analysis.refresh_from_db(fields=["status"])
    if analysis.status != ProcessAnalysis.Status.APPROVED:
        return
    analysis.status = ProcessAnalysis.Status.DRAFT
    analysis.save(update_fields=["status"])
    ApprovalEvent.objects.create(analysis=analysis, action=ApprovalEvent.Action.RETURNED,
                                 by=actor if actor is not None and actor.is_authenticated else None,
                                 by_name=_actor_name(actor), note=_("Edited after approval"))
    record(actor=actor, via=via, action="analysis.returned", obj=analysis, municipality=process.municipality,
           before={"status": "approved"}, after={"status": "draft"})


def _check_ratings(row: HandlingRow) -> None:
    errors = {}
    for name in ("confidentiality", "integrity", "availability"):
        value = getattr(row, name)
        if value is None or not risk_rules.RATING_MIN <= value <= risk_rules.RATING_MAX:
            errors[name] = _("Enter a rating from 1 to 3.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_flow_step(*, actor, via: str, process, step: FlowStep | None = None, **fields) -> FlowStep:
    before = snapshot(step, STEP_FIELDS) if step else None
    step = step or FlowStep(process=process)
    for name, value in fields.items():
        setattr(step, name, value)
    step.full_clean()
    step.save()
    after = snapshot(step, STEP_FIELDS)
    if after != before:
        record(actor=actor, via=via, action="flow.update" if before else "flow.create", obj=step,
               municipality=process.municipality, before=before, after=after)
        mark_edited(actor=actor, via=via, process=process)
    return step


@transaction.atomic
def delete_flow_step(*, actor, via: str, step: FlowStep) -> None:
    record(actor=actor, via=via, action="flow.delete", obj=step, municipality=step.process.municipality,
           before=snapshot(step, STEP_FIELDS))
    step.delete()
    mark_edited(actor=actor, via=via, process=step.process)


@transaction.atomic
def save_handling_row(*, actor, via: str, process, row: HandlingRow | None = None, **fields) -> HandlingRow:
    """Create or update a row; 資産価値 is computed with the association's method, never taken as given."""
    before = snapshot(row, ROW_FIELDS) if row else None
    row = row or HandlingRow(process=process, position=process.handling_rows.count())
    for name, value in fields.items():
        setattr(row, name, value)
    _check_ratings(row)
    method = settings_for(process.municipality).asset_value_method
    row.asset_value = risk_rules.asset_value(row.confidentiality, row.integrity, row.availability, method)
    row.full_clean()
    row.save()
    after = snapshot(row, ROW_FIELDS)
    if after != before:
        record(actor=actor, via=via, action="handling.update" if before else "handling.create", obj=row,
               municipality=process.municipality, before=before, after=after)
        # Whether records are kept is how the approved handling is run, not the handling itself: the set stays
        # approved when only that changes.
        if before is None or {k for k in after if after[k] != before.get(k)} - {"records_kept"}:
            mark_edited(actor=actor, via=via, process=process)
        if before and hasattr(row, "risk"):
            rescore(row.risk)
    return row


@transaction.atomic
def delete_handling_row(*, actor, via: str, row: HandlingRow) -> None:
    if row.records.exists():  # the records must keep saying which asset they were about
        raise ValidationError(f"行 {row.row_id} には取扱記録があるため削除できません。記録は取消しても残ります。")
    record(actor=actor, via=via, action="handling.delete", obj=row, municipality=row.process.municipality,
           before=snapshot(row, ROW_FIELDS))
    row.delete()
    mark_edited(actor=actor, via=via, process=row.process)


def _check_risk(risk: RiskRow) -> None:
    errors = {}
    for name in ("vulnerability_rating", "threat_rating"):
        value = getattr(risk, name)
        if value is None or not risk_rules.RATING_MIN <= value <= risk_rules.RATING_MAX:
            errors[name] = _("Enter a rating from 1 to 3.")
    if errors:
        raise ValidationError(errors)


def _measures_snapshot(measures) -> list[dict]:
    return [{"text": m.text, "reduction": str(risk_rules.normalise_number(Decimal(m.reduction))), "factor": m.factor,
             "category": m.category} for m in measures]


@transaction.atomic
def save_risk_row(*, actor, via: str, handling_row: HandlingRow, countermeasures: list[dict] | None = None,
                  **fields) -> RiskRow:
    """Create or update the analysis of one handling row. `countermeasures`, when given, replace the old ones."""
    risk = getattr(handling_row, "risk", None)
    before = None
    if risk is not None:
        before = snapshot(risk, RISK_FIELDS) | {"countermeasures": _measures_snapshot(risk.countermeasures.all())}
    risk = risk or RiskRow(handling_row=handling_row)
    for name, value in fields.items():
        setattr(risk, name, value)
    _check_risk(risk)
    measures = list(risk.countermeasures.all()) if risk.pk and countermeasures is None else [
        Countermeasure(position=i, **m) for i, m in enumerate(countermeasures or [])]
    for measure in measures:
        measure.full_clean(exclude=["risk_row"])
        if measure.reduction < 0:
            raise ValidationError(_("A reduction cannot be negative."))
    score(risk, measures)
    risk.full_clean()
    risk.save()
    if countermeasures is not None:
        risk.countermeasures.all().delete()
        for measure in measures:
            measure.risk_row = risk
        Countermeasure.objects.bulk_create(measures)
    after = snapshot(risk, RISK_FIELDS) | {"countermeasures": _measures_snapshot(measures)}
    if after != before:
        process = handling_row.process
        record(actor=actor, via=via, action="risk.update" if before else "risk.create", obj=risk,
               municipality=process.municipality, before=before, after=after)
        mark_edited(actor=actor, via=via, process=process)
    return risk


def recompute_values(association) -> int:
    """Recompute 資産価値, 総合評価 and 残存評価 of every member row with the association's method."""
    method = RiskSettings.objects.get(association=association).asset_value_method
    rows = list(HandlingRow.objects.filter(process__municipality__association=association))
    for row in rows:
        row.asset_value = risk_rules.asset_value(row.confidentiality, row.integrity, row.availability, method)
    HandlingRow.objects.bulk_update(rows, ["asset_value"], batch_size=1000)
    risks = list(RiskRow.objects.filter(handling_row__process__municipality__association=association)
                 .select_related("handling_row").prefetch_related("countermeasures"))
    for risk in risks:
        score(risk, list(risk.countermeasures.all()))
    RiskRow.objects.bulk_update(risks, ["total", "residual"], batch_size=1000)
    return len(rows)


# ---- Imported tables (exchange's analysis kind) ----

@transaction.atomic
def import_analysis(*, actor, via: str, process, sheet_date, handling: dict[str, dict] | None,
                    risk: dict[str, dict] | None, sheets: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Write a process's imported 情報資産取扱手順表 and/or リスク分析表 (validated and scored by the import).

    `handling` and `risk` map row IDs to values (risk values with their countermeasures); None leaves that
    table alone. New rows go in with one statement each (core.fast_insert: tables hold tens of thousands of
    rows); the writes are audited per process and action (handling.create, handling.update, risk.create,
    risk.update) with the row IDs, and an approved set returns to draft as after any edit.
    Returns {"handling": (created, updated), "risk": (created, updated)} for the tables given.
    """
    counts, entries = {}, []
    if handling is not None:
        counts["handling"] = _import_handling(process, handling, entries)
    if risk is not None:
        counts["risk"] = _import_risk(process, risk, entries)
    analysis = analysis_for(process)
    if sheet_date and analysis.sheet_date != sheet_date:
        analysis.sheet_date = sheet_date
        analysis.save(update_fields=["sheet_date"])
    for action, table, ids in entries:
        record(actor=actor, via=via, action=action, obj=process, municipality=process.municipality,
               after={"rows": ids, "sheet": sheets.get(table, "")})
    if entries:
        mark_edited(actor=actor, via=via, process=process)
    return counts


HANDLING_INSERT = ["process", "row_id", "position", "created_at"] + [
    k for k, _ in HANDLING_SHEET_COLUMNS if k != "row_id"]
RISK_INSERT = ["handling_row", "vulnerability", "vulnerability_rating", "threat", "threat_rating",
               "business_function", "total", "residual", "residual_risk", "created_at"]
RISK_UPDATE = RISK_INSERT[1:-1]
MEASURE_INSERT = ["risk_row", "position", "text", "reduction", "factor", "category"]


def _import_handling(process, rows: dict[str, dict], entries: list) -> tuple[int, int]:
    stored = {row.row_id: row for row in process.handling_rows.all()}
    new, changed = [], []
    for row_id, values in rows.items():
        row = stored.get(row_id)
        if row is None:
            new.append(values)
            continue
        if any(getattr(row, k) != v for k, v in values.items() if k != "position"):
            for key, value in values.items():
                setattr(row, key, value)
            changed.append(row)
    now = timezone.now()
    fast_insert(HandlingRow, HANDLING_INSERT,
                ((process.pk, v["row_id"], v["position"], now, *(v[k] for k in HANDLING_INSERT[4:])) for v in new))
    fields = [k for k, _ in HANDLING_SHEET_COLUMNS if k != "row_id"] + ["position"]
    HandlingRow.objects.bulk_update(changed, fields, batch_size=500)
    _note(entries, "handling", [v["row_id"] for v in new], [row.row_id for row in changed])
    if changed:  # a changed 資産価値 changes the scores of the stored analysis
        risks = list(RiskRow.objects.filter(handling_row__in=changed).select_related("handling_row")
                     .prefetch_related("countermeasures"))
        for risk in risks:
            score(risk, list(risk.countermeasures.all()))
        RiskRow.objects.bulk_update(risks, ["total", "residual"], batch_size=500)
    return len(new), len(changed)


def _import_risk(process, rows: dict[str, dict], entries: list) -> tuple[int, int]:
    row_pks = dict(process.handling_rows.values_list("row_id", "pk"))
    stored = {risk.handling_row_id: risk for risk in
              RiskRow.objects.filter(handling_row__process=process).prefetch_related("countermeasures")}
    new, changed, measures, ids = [], [], [], {pk: row_id for row_id, pk in row_pks.items()}
    for row_id, values in rows.items():
        values = dict(values)
        countermeasures = values.pop("countermeasures")
        handling_pk = row_pks[row_id]
        risk = stored.get(handling_pk)
        if risk is None:
            new.append((handling_pk, values))
        else:
            old = [(m.text, m.reduction, m.factor, m.category) for m in risk.countermeasures.all()]
            same = all(getattr(risk, k) == v for k, v in values.items()) and old == [
                (m["text"], m["reduction"], m["factor"], m["category"]) for m in countermeasures]
            if same:
                continue
            for key, value in values.items():
                setattr(risk, key, value)
            changed.append(risk)
        measures.append((handling_pk, countermeasures))
    now = timezone.now()
    fast_insert(RiskRow, RISK_INSERT,
                ((pk, *(values[k] for k in RISK_UPDATE), now) for pk, values in new))
    RiskRow.objects.bulk_update(changed, RISK_UPDATE, batch_size=500)
    Countermeasure.objects.filter(risk_row__in=changed).delete()
    risk_pks = dict(RiskRow.objects.filter(handling_row__process=process).values_list("handling_row_id", "pk"))
    fast_insert(Countermeasure, MEASURE_INSERT,
                ((risk_pks[pk], i, m["text"], m["reduction"], m["factor"], m["category"])
                 for pk, items in measures for i, m in enumerate(items)))
    _note(entries, "risk", [ids[pk] for pk, _values in new], [risk.handling_row.row_id for risk in changed])
    return len(new), len(changed)


def _note(entries: list, table: str, created: list[str], updated: list[str]) -> None:
    if created:
        entries.append((f"{table}.create", table, created))
    if updated:
        entries.append((f"{table}.update", table, updated))


@transaction.atomic
def approve(*, actor, via: str, process, officer=None, note: str = "") -> ProcessAnalysis:
    """The protection officer approves the flow, the handling table and the risk analysis as one set."""
    event = ApprovalEvent(action=ApprovalEvent.Action.APPROVED, at=timezone.now(), officer=officer, note=note,
                          by=actor if actor is not None and actor.is_authenticated else None,
                          by_name=_actor_name(actor))
    event.full_clean(exclude=["analysis"])  # the note gets the My Number guard like every text field
    rows = list(process.handling_rows.select_related("risk"))
    missing = []
    if not process.flow_steps.exists():
        missing.append(_("the business flow has no steps"))
    if not rows:
        missing.append(_("the handling table has no rows"))
    unanalysed = [row.row_id for row in rows if not hasattr(row, "risk")]
    if unanalysed:
        missing.append(_("rows without risk analysis: %(ids)s") % {"ids": "、".join(unanalysed)})
    if missing:
        raise ValidationError(_("Cannot approve yet: %(what)s.") % {"what": "; ".join(missing)})
    if officer is not None and officer.municipality_id != process.municipality_id:
        raise ValidationError(_("The protection officer must belong to the same municipality."))
    analysis = analysis_for(process)
    analysis.status = ProcessAnalysis.Status.APPROVED
    analysis.save(update_fields=["status"])
    event.analysis = analysis
    event.save()
    record(actor=actor, via=via, action="analysis.approved", obj=analysis, municipality=process.municipality,
           before={"status": "draft"}, after={"status": "approved", "officer": str(officer or "")})
    return analysis


# ---- Model processes (ひな形): published by an association, copied by members ----

TEMPLATE_ROW_FIELDS = ("row_id", "asset_name", "kind", "stage", "method", "procedure", "business_function",
                       "responsible", "responsible_duty", "handler", "handler_duty", "notes", "confidentiality",
                       "integrity", "availability")
TEMPLATE_RISK_FIELDS = ("vulnerability", "vulnerability_rating", "threat", "threat_rating", "business_function",
                        "residual_risk")


def template_payload(process) -> dict:
    rows = process.handling_rows.select_related("risk").prefetch_related("risk__countermeasures")
    payload_rows = []
    for row in rows:
        item = {name: getattr(row, name) for name in TEMPLATE_ROW_FIELDS}
        risk = getattr(row, "risk", None)
        if risk is not None:
            item["risk"] = {name: getattr(risk, name) for name in TEMPLATE_RISK_FIELDS} | {"countermeasures": [
                {"text": m.text, "reduction": str(m.reduction), "factor": m.factor, "category": m.category}
                for m in risk.countermeasures.all()]}
        payload_rows.append(item)
    steps = [{name: getattr(s, name) for name in STEP_FIELDS} for s in process.flow_steps.all()]
    return {"steps": steps, "rows": payload_rows}


@transaction.atomic
def publish_template(*, actor, via: str, association, process, name: str, description: str = ""):
    from .models import ProcessTemplate

    if process.municipality.association_id != association.pk:
        raise ValidationError(_("Only a member's process can be published by its association."))
    payload = template_payload(process)
    if not payload["rows"] and not payload["steps"]:
        raise ValidationError(_("The process has no flow or handling table to publish."))
    template = ProcessTemplate(association=association, name=name, description=description, payload=payload,
                               source_process=process, published_by=_actor_name(actor))
    template.full_clean()
    template.save()
    record(actor=actor, via=via, action="template.publish", obj=template, association=association,
           after={"name": name, "source": str(process), "steps": len(payload["steps"]),
                  "rows": len(payload["rows"])})
    return template


@transaction.atomic
def copy_template(*, actor, via: str, template, process) -> None:
    """Copy a template into a member's process that has no flow and no handling table yet."""
    if process.municipality.association_id != template.association_id:
        raise ValidationError(_("This template belongs to another association."))
    if process.flow_steps.exists() or process.handling_rows.exists():
        raise ValidationError(_("The process already has a flow or a handling table; copy into an empty process."))
    method = settings_for(process.municipality).asset_value_method
    FlowStep.objects.bulk_create(FlowStep(process=process, **step) for step in template.payload["steps"])
    for position, item in enumerate(template.payload["rows"]):
        values = {k: v for k, v in item.items() if k != "risk"}
        row = HandlingRow(process=process, position=position, **values)
        row.asset_value = risk_rules.asset_value(row.confidentiality, row.integrity, row.availability, method)
        row.full_clean()
        row.save()
        if "risk" in item:
            measures = [Countermeasure(position=i, **(m | {"reduction": Decimal(m["reduction"])}))
                        for i, m in enumerate(item["risk"]["countermeasures"])]
            risk = RiskRow(handling_row=row, **{k: v for k, v in item["risk"].items() if k != "countermeasures"})
            score(risk, measures)
            risk.save()
            for measure in measures:
                measure.risk_row = risk
            Countermeasure.objects.bulk_create(measures)
    record(actor=actor, via=via, action="template.copy", obj=process, municipality=process.municipality,
           after={"template": template.name, "steps": len(template.payload["steps"]),
                  "rows": len(template.payload["rows"])})
    mark_edited(actor=actor, via=via, process=process)


# ---- 取扱記録 (seed 2-3): created, voided, imported; never edited nor deleted ----

RECORD_AUDIT_FIELDS = ("medium", "count", "purpose", "disposal_method", "witness")


def _record_snapshot(item: HandlingRecord) -> dict:
    return {"process": item.process.name, "row": item.handling_row.row_id,
            "occurred_at": timezone.localtime(item.occurred_at).isoformat(timespec="minutes"),
            "person": item.person_name, "action": item.action, "approver": item.approver_name,
            **{name: getattr(item, name) for name in RECORD_AUDIT_FIELDS}}


def _new_record(actor, handling_row: HandlingRow, *, occurred_at, person, action: str, medium: str = "",
                count: int = 1, purpose: str = "", approver=None, disposal_method: str = "",
                witness: str = "") -> HandlingRecord:
    """A checked, unsaved record: its people are of the row's municipality and it did not happen in the future."""
    municipality_id = handling_row.process.municipality_id
    errors = {}
    if person is None or person.municipality_id != municipality_id:
        errors["person"] = "取扱者はこの団体の職員から選んでください。"
    if approver is not None and approver.municipality_id != municipality_id:
        errors["approver"] = "承認者はこの団体の職員から選んでください。"
    if occurred_at is not None and occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = "未来の日時の取扱いは記録できません。"
    if errors:
        raise ValidationError(errors)
    if occurred_at is not None:  # kept to the minute, as the page, the export and the import write it
        occurred_at = occurred_at.replace(second=0, microsecond=0)
    item = HandlingRecord(
        process=handling_row.process, handling_row=handling_row, occurred_at=occurred_at, person=person,
        person_name=person.name, action=action, medium=(medium or "").strip(), count=count,
        purpose=(purpose or "").strip(), approver=approver, approver_name=approver.name if approver else "",
        disposal_method=(disposal_method or "").strip() if action == rules.DISPOSE else "",
        witness=(witness or "").strip() if action == rules.DISPOSE else "", created_by=_actor_name(actor))
    # The related objects are the caller's (checked above): validating them again would read each one back.
    item.full_clean(exclude=["process", "handling_row", "person", "approver"], validate_constraints=False)
    return item


@transaction.atomic
def create_record(*, actor, via: str, handling_row: HandlingRow, **fields) -> HandlingRecord:
    item = _new_record(actor, handling_row, **fields)
    item.save()
    record(actor=actor, via=via, action="handling_record.create", obj=item,
           municipality=handling_row.process.municipality, after=_record_snapshot(item))
    return item


@transaction.atomic
def import_records(*, actor, via: str, municipality, entries: list[dict]) -> list[HandlingRecord]:
    """Many records at once (the handling_records import), each checked and audited as create_record does.

    `entries` are create_record's keyword arguments, `handling_row` included."""
    items = [_new_record(actor, entry.pop("handling_row"), **entry) for entry in (dict(e) for e in entries)]
    if any(item.process.municipality_id != municipality.pk for item in items):
        raise ValidationError("別の団体の取扱手順表の行には記録できません。")
    HandlingRecord.objects.bulk_create(items, batch_size=500)
    record_many([audit_entry(actor=actor, via=via, action="handling_record.create", obj=item,
                             municipality=municipality, after=_record_snapshot(item)) for item in items])
    return items


@transaction.atomic
def void_record(*, actor, via: str, record_id: int, reason: str) -> HandlingRecord:
    """取消: the record stays, marked void with who, when and why (a correction is voided and entered again)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"void_reason": "取消理由を入力してください。"})
    lock_rows(HandlingRecord.objects.filter(pk=record_id))
    item = HandlingRecord.objects.select_related("process__municipality", "handling_row").get(pk=record_id)
    if item.voided:
        raise ValidationError("この記録は既に取り消されています。")
    item.voided_at, item.voided_by, item.void_reason = timezone.now(), _actor_name(actor), reason
    item.full_clean(exclude=["process", "handling_row", "person", "approver"])
    item.save(update_fields=["voided_at", "voided_by", "void_reason"])
    record(actor=actor, via=via, action="handling_record.void", obj=item, municipality=item.process.municipality,
           before={"voided": False}, after={"voided": True, "void_reason": reason})
    return item


# ---- Periodic reviews (seed 2-3 「定期的な見直し」) ----

def _check_review(reviewed_on, interval_months) -> None:
    if reviewed_on is None or reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "見直し日は今日以前の日付を入力してください。"})
    if interval_months is not None and not rules.INTERVAL_MIN <= interval_months <= rules.INTERVAL_MAX:
        raise ValidationError({"review_interval_months": "見直し間隔は1〜120か月で入力してください。"})


@transaction.atomic
def mark_analysis_reviewed(*, actor, via: str, process, reviewed_on, interval_months=None) -> ProcessAnalysis:
    """「見直し済みにする」 for the flow, handling table and risk analysis of a process. A review changes none of
    them, so an approved set stays approved; `interval_months` None takes the association's interval."""
    _check_review(reviewed_on, interval_months)
    analysis = analysis_for(process)
    before = snapshot(analysis, ("last_reviewed_on", "review_interval_months"))
    analysis.last_reviewed_on, analysis.review_interval_months = reviewed_on, interval_months
    analysis.full_clean()
    analysis.save(update_fields=["last_reviewed_on", "review_interval_months"])
    record(actor=actor, via=via, action="analysis.reviewed", obj=analysis, municipality=process.municipality,
           before=before, after=snapshot(analysis, ("last_reviewed_on", "review_interval_months")))
    return analysis


@transaction.atomic
def mark_rules_reviewed(*, actor, via: str, department, reviewed_on, interval_months=None) -> RulesDocument:
    """「見直し済みにする」 for a department's 取扱規程."""
    _check_review(reviewed_on, interval_months)
    document, _created = RulesDocument.objects.get_or_create(municipality=department.municipality,
                                                            department=department)
    before = snapshot(document, ("last_reviewed_on", "review_interval_months"))
    document.last_reviewed_on, document.review_interval_months = reviewed_on, interval_months
    document.full_clean()
    document.save(update_fields=["last_reviewed_on", "review_interval_months"])
    record(actor=actor, via=via, action="rules_document.reviewed", obj=document, municipality=department.municipality,
           before=before, after=snapshot(document, ("last_reviewed_on", "review_interval_months")))
    return document
