"""Every write to linkage items, linkage profiles and systems storing numbers. Atomic and audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.audit.services import record, snapshot
from jichitai.core.locks import lock_rows
from jichitai.core.text import normalise
from jichitai.processes.models import Ordinance, Process

from . import rules
from .models import LinkageItem, LinkageProfile, NumberSystem

ITEM_FIELDS = ("data_item", "direction", "counterpart", "counterpart_kind", "channel", "legal_basis", "ordinance",
               "notes")
PROFILE_FIELDS = ("consistency_checker", "trouble_procedure", "wrong_data_procedure")
SYSTEM_FIELDS = ("name", "stores_numbers", "notes")


def _same_municipality(municipality_id: int, *related) -> None:
    for obj in related:
        if obj is not None and obj.municipality_id != municipality_id:
            raise ValidationError(_("Ordinances, staff and processes must belong to the same municipality."))


def _unix_lines(value):
    """Browsers send CRLF, Excel keeps LF: one form, so a sheet exported and imported back is unchanged."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


@transaction.atomic
def save_item(*, actor, via: str, process: Process, item: LinkageItem | None = None, **fields) -> LinkageItem:
    before = snapshot(item, ITEM_FIELDS) if item else None
    if item is None:
        last = process.linkage_items.order_by("-position").values_list("position", flat=True).first()
        item = LinkageItem(process=process, position=0 if last is None else last + 1)
    for name, value in fields.items():
        setattr(item, name, _unix_lines(value))
    _same_municipality(process.municipality_id, item.ordinance)
    item.full_clean()
    item.save()
    after = snapshot(item, ITEM_FIELDS)
    if after != before:
        record(actor=actor, via=via, action="linkage.update" if before else "linkage.create", obj=item,
               municipality=process.municipality, before=before, after=after)
    return item


@transaction.atomic
def delete_item(*, actor, via: str, item: LinkageItem) -> None:
    record(actor=actor, via=via, action="linkage.delete", obj=item, municipality=item.process.municipality,
           before=snapshot(item, ITEM_FIELDS))
    item.delete()


def item_key(values: dict) -> tuple:
    """Two rows with the same key are the same linkage (position aside)."""
    return tuple(values[name] if name != "ordinance" else values.get("ordinance_id") for name in
                 ("data_item", "direction", "counterpart", "counterpart_kind", "channel", "legal_basis",
                  "ordinance", "notes"))


def stored_key(item: LinkageItem) -> tuple:
    return item_key({name: getattr(item, name) for name in ITEM_FIELDS if name != "ordinance"}
                    | {"ordinance_id": item.ordinance_id})


@transaction.atomic
def replace_items(*, actor, via: str, process: Process, rows: list[dict]) -> dict:
    """Make the process's items exactly `rows` (dicts of ITEM_FIELDS with ordinance_id), in that order.

    Unchanged rows keep their item (and its created_at, which the evidence as of a date reads); only the
    rest is deleted or created. Returns the counts; nothing is written or audited when nothing changes.
    """
    ordinance_ids = {values["ordinance_id"] for values in rows if values.get("ordinance_id")}
    if Ordinance.objects.filter(id__in=ordinance_ids).exclude(municipality_id=process.municipality_id).exists():
        raise ValidationError(_("Ordinances, staff and processes must belong to the same municipality."))
    stored = list(process.linkage_items.order_by("position", "id"))
    pool: dict[tuple, list[LinkageItem]] = {}
    for item in stored:
        pool.setdefault(stored_key(item), []).append(item)
    keep, moved, new = [], [], []
    for position, values in enumerate(rows):
        matches = pool.get(item_key(values))
        if matches:
            item = matches.pop(0)
            if item.position != position:
                item.position = position
                moved.append(item)
            keep.append(item.pk)
            continue
        item = LinkageItem(process=process, position=position, **values)
        item.full_clean(exclude=["process", "ordinance"])  # both checked above, once for all rows
        new.append(item)
    deleted = [item for item in stored if item.pk not in keep]
    counts = {"rows": len(rows), "created": len(new), "deleted": len(deleted), "moved": len(moved)}
    if not (new or deleted or moved):
        return counts
    LinkageItem.objects.filter(pk__in=[item.pk for item in deleted]).delete()
    LinkageItem.objects.bulk_update(moved, ["position"])
    LinkageItem.objects.bulk_create(new)
    record(actor=actor, via=via, action="linkage.replace", obj=process, municipality=process.municipality,
           before={"items": [item.data_item for item in stored]}, after=counts | {
               "items": [values["data_item"] for values in rows]})
    return counts


@transaction.atomic
def save_profile(*, actor, via: str, process: Process, **fields) -> LinkageProfile:
    # Two first saves at once: the second waits for the first and updates the profile it created.
    lock_rows(Process.objects.filter(pk=process.pk))
    profile = LinkageProfile.objects.filter(process=process).first()
    before = snapshot(profile, PROFILE_FIELDS) if profile else None
    profile = profile or LinkageProfile(process=process)
    for name, value in fields.items():
        setattr(profile, name, value)
    _same_municipality(process.municipality_id, profile.consistency_checker)
    profile.full_clean()
    after = snapshot(profile, PROFILE_FIELDS)
    if after != before:
        profile.save()
        record(actor=actor, via=via, action="linkage_profile.update" if before else "linkage_profile.create",
               obj=profile, municipality=process.municipality, before=before, after=after)
    return profile


# ---- Systems storing individual numbers ----


def _system_state(system: NumberSystem) -> dict:
    return snapshot(system, SYSTEM_FIELDS) | {"processes": sorted(system.processes.values_list("name", flat=True))}


@transaction.atomic
def save_system(*, actor, via: str, municipality, system: NumberSystem | None = None, processes=None,
                **fields) -> NumberSystem:
    """Create or change a system; `processes` (when given) replaces the processes it serves."""
    before = _system_state(system) if system else None
    if processes is not None:
        processes = list(processes)
        _same_municipality(municipality.id, *processes)
    system = system or NumberSystem(municipality=municipality)
    for name, value in fields.items():
        setattr(system, name, value)
    system.full_clean()
    system.save()
    if processes is not None:
        system.processes.set(processes)
    after = _system_state(system)
    if after != before:
        record(actor=actor, via=via, action="number_system.update" if before else "number_system.create",
               obj=system, municipality=municipality, before=before, after=after)
    return system


@transaction.atomic
def sync_systems_from_register(municipality, actor=None, via: str = "command") -> dict:
    """Create the systems named in the register's 「使用システム」 and link them to their processes.

    Names are matched after NFKC and space folding, so 「税務システム」 and 「税務システム 」 are one system.
    Links made by hand are kept; running it twice changes nothing the second time. Five queries at most.
    """
    processes = list(Process.objects.filter(municipality=municipality).exclude(systems="")
                     .values_list("id", "systems"))
    # The name field holds 200 characters; a longer 「使用システム」 entry is a sentence, kept cut short.
    wanted = [(pid, name[:200].strip()) for pid, text in processes for name in rules.split_systems(text)]
    systems = {normalise(s.name): s for s in NumberSystem.objects.filter(municipality=municipality)}
    new: dict[str, NumberSystem] = {}
    for _pid, name in wanted:
        if name not in systems and name not in new:
            new[name] = NumberSystem(municipality=municipality, name=name)
    missing = list(new.values())
    for system in missing:
        system.full_clean(exclude=["municipality"], validate_unique=False)
    NumberSystem.objects.bulk_create(missing)
    if missing:  # not every database returns the new ids from bulk_create: read them back
        systems = {normalise(s.name): s for s in NumberSystem.objects.filter(municipality=municipality)}
    through = NumberSystem.processes.through
    linked = set(through.objects.filter(numbersystem__municipality=municipality)
                 .values_list("numbersystem_id", "process_id"))
    links = {(systems[name].id, pid) for pid, name in wanted} - linked
    through.objects.bulk_create(through(numbersystem_id=sid, process_id=pid) for sid, pid in sorted(links))
    result = {"created": len(missing), "linked": len(links), "total": len(systems)}
    if missing or links:
        record(actor=actor, via=via, action="number_system.sync", obj=municipality, municipality=municipality,
               after=result | {"new_systems": [s.name for s in missing]})
    return result
