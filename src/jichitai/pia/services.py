"""Every write to SPI files, evaluations and important changes: one transaction per action, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.audit.services import record, snapshot
from jichitai.core.text import normalise

from . import rules
from .models import Evaluation, ImportantChange, SpiFile

FILE_FIELDS = ("name", "persons", "handlers", "staff_only", "serious_incident_override", "systems", "notes")
EVALUATION_FIELDS = ("kind", "started_on", "comment_from", "comment_to", "third_party_review_on", "submitted_on",
                     "published_on", "last_reviewed_on", "documents", "notes")
CHANGE_FIELDS = ("changed_on", "description", "reevaluated")


def _unix_lines(value):
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _save(obj, fields, before, *, actor, via, action, municipality):
    obj.full_clean()
    obj.save()
    after = snapshot(obj, fields)
    if after != before:
        record(actor=actor, via=via, action=f"{action}.{'update' if before else 'create'}", obj=obj,
               municipality=municipality, before=before, after=after)
    return obj


@transaction.atomic
def save_file(*, actor, via: str, municipality, spi_file: SpiFile | None = None, processes=None,
              **fields) -> SpiFile:
    """Create or update a file; `processes` (when given) replaces the processes it serves."""
    if processes is not None and any(p.municipality_id != municipality.id for p in processes):
        raise ValidationError({"processes": [_("Choose processes of this municipality.")]})
    before = None
    if spi_file is None:
        spi_file = SpiFile(municipality=municipality)
    else:
        before = snapshot(spi_file, FILE_FIELDS) | {"processes": sorted(spi_file.processes.values_list("id", flat=True))}
    if "name" in fields:
        fields["name"] = normalise(fields["name"])  # as the register's names: one spelling to look files up by
    for name, value in fields.items():
        setattr(spi_file, name, _unix_lines(value))
    spi_file.full_clean()
    spi_file.save()
    if processes is not None:
        spi_file.processes.set(processes)
    after = snapshot(spi_file, FILE_FIELDS) | {"processes": sorted(spi_file.processes.values_list("id", flat=True))}
    if after != before:
        record(actor=actor, via=via, action=f"pia.file.{'update' if before else 'create'}", obj=spi_file,
               municipality=municipality, before=before, after=after)
    return spi_file


@transaction.atomic
def save_evaluation(*, actor, via: str, spi_file: SpiFile, evaluation: Evaluation | None = None,
                    **fields) -> tuple[Evaluation, list[str]]:
    """Create or update an evaluation. Dates out of order are refused (ValidationError per field, nothing
    written); guidance (a short comment period for 全項目評価…) comes back as warnings."""
    before = snapshot(evaluation, EVALUATION_FIELDS) if evaluation else None
    if evaluation is None:
        evaluation = Evaluation(spi_file=spi_file)
    for name, value in fields.items():
        setattr(evaluation, name, _unix_lines(value))
    check = rules.check_dates(evaluation.kind, **{name: getattr(evaluation, name) for name in (
        "started_on", "comment_from", "comment_to", "third_party_review_on", "submitted_on", "published_on")})
    if check.errors:
        raise ValidationError(check.errors)
    _save(evaluation, EVALUATION_FIELDS, before, actor=actor, via=via, action="pia.evaluation",
          municipality=spi_file.municipality)
    return evaluation, check.warnings


@transaction.atomic
def save_change(*, actor, via: str, spi_file: SpiFile, change: ImportantChange | None = None,
                **fields) -> ImportantChange:
    before = snapshot(change, CHANGE_FIELDS) if change else None
    if change is None:
        change = ImportantChange(spi_file=spi_file)
    for name, value in fields.items():
        setattr(change, name, _unix_lines(value))
    return _save(change, CHANGE_FIELDS, before, actor=actor, via=via, action="pia.change",
                 municipality=spi_file.municipality)
