"""Writes to organisations, people and access. Each action is atomic and audited."""

import hashlib
import secrets
from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.urls import reverse

from jichitai.audit.services import create_audited, entry, record, record_many, snapshot, update_audited
from jichitai.core.validators import reject_my_number
from jichitai.core.wareki import format_wareki

from . import rules
from .models import (
    Association,
    AssociationMember,
    Department,
    DepartmentName,
    Membership,
    Municipality,
    Staff,
    StaffAssignment,
)

MUNICIPALITY_FIELDS = ("code", "name", "population", "association")
STAFF_FIELDS = ("staff_number", "name", "role", "department")
BULK_FIELDS = (*STAFF_FIELDS, "retired_on")
TOKEN_PREFIX = "jt_"  # noqa: S105 - a visible prefix, not a secret


@transaction.atomic
def get_or_create_association(*, actor, via: str, name: str, prefecture: str = "") -> tuple[Association, bool]:
    association = Association.objects.filter(name=name).first()
    if association is not None:
        return association, False
    association = Association(name=name, prefecture=prefecture)
    association.full_clean()
    association.save()
    record(actor=actor, via=via, action="association.create", obj=association, association=association,
           after={"name": name} | ({"prefecture": prefecture} if prefecture else {}))
    return association, True


ASSOCIATION_SETTINGS = ("date_style", "review_interval_months", "record_window_months", "procurement_lead_years")


@transaction.atomic
def update_association_settings(*, actor, via: str, association: Association, **fields) -> Association:
    """Change the settings that apply to the association's members (ASSOCIATION_SETTINGS); audited when changed."""
    current = Association.objects.select_for_update().get(pk=association.pk)
    before = snapshot(current, ASSOCIATION_SETTINGS)
    for name in ASSOCIATION_SETTINGS:
        if name in fields:
            setattr(current, name, fields[name])
    current.full_clean()
    current.save(update_fields=list(ASSOCIATION_SETTINGS))
    after = snapshot(current, ASSOCIATION_SETTINGS)
    if after != before:
        record(actor=actor, via=via, action="association.settings", obj=current, association=current,
               before=before, after=after)
    return current


@transaction.atomic
def save_municipality(*, actor, via: str, code: str, **fields) -> tuple[Municipality, bool]:
    """Create the municipality with this code, or update its fields."""
    municipality = Municipality.objects.filter(code=code).first()
    created = municipality is None
    if created:
        municipality = Municipality(code=code)
        before = None
    else:
        before = snapshot(municipality, MUNICIPALITY_FIELDS)
    for name, value in fields.items():
        setattr(municipality, name, value)
    municipality.full_clean()
    municipality.save()
    after = snapshot(municipality, MUNICIPALITY_FIELDS)
    if after != before:
        record(actor=actor, via=via, action="municipality.create" if created else "municipality.update",
               obj=municipality, municipality=municipality, before=before, after=after)
    return municipality, created


@transaction.atomic
def create_department(*, actor, via: str, municipality: Municipality, name: str) -> Department:
    department = create_audited(actor=actor, via=via, obj=Department(municipality=municipality, name=name),
                                fields=("name",), action="department.create", municipality=municipality)
    DepartmentName.objects.create(department=department, name=department.name, valid_from=rules.SINCE_RECORDS)
    return department


@transaction.atomic
def ensure_departments(*, actor, via: str, municipality: Municipality, names) -> dict[str, Department]:
    """The municipality's departments by name, creating (and auditing as department.create) the missing ones."""
    departments = {d.name: d for d in Department.objects.filter(municipality=municipality)}
    missing = [Department(municipality=municipality, name=name) for name in dict.fromkeys(names)
               if name and name not in departments]
    for department in missing:
        department.full_clean(exclude=["municipality"], validate_unique=False, validate_constraints=False)
    Department.objects.bulk_create(missing)
    DepartmentName.objects.bulk_create([DepartmentName(department=d, name=d.name, valid_from=rules.SINCE_RECORDS)
                                        for d in missing])
    record_many([entry(actor=actor, via=via, action="department.create", obj=d, municipality=municipality,
                       after={"name": d.name}) for d in missing])
    return departments | {d.name: d for d in missing}


# Called with (actor, via, source, target, day) when a department is merged into another, by the apps whose rows
# follow the section (processes registers its processes in its AppConfig.ready: orgs does not import it).
DEPARTMENT_MERGE_HOOKS: list = []


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _check_department(department: Department, day) -> None:
    if department.abolished_on is not None and not rules.department_exists(department.abolished_on, day):
        raise ValidationError(f"課室「{department.name}」は{format_wareki(department.abolished_on)}に廃止されています。")


def _current_name_row(department: Department) -> DepartmentName:
    row = department.names.filter(valid_to__isnull=True).order_by("-valid_from", "-id").first()
    if row is None:  # made before names were kept (or directly in a test): its name since the records began
        row = DepartmentName.objects.create(department=department, name=department.name,
                                            valid_from=rules.SINCE_RECORDS)
    return row


@transaction.atomic
def rename_department(*, actor, via: str, department: Department, name: str, on) -> Department:
    """The section bears `name` from `on`; its earlier name stays in its history (a past date shows it)."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    name = (name or "").strip()
    reject_my_number(name)
    _check_department(department, on)
    if department.abolished_on is not None:
        raise ValidationError("廃止された課室の名称は変更できません。")
    if not name or name == department.name:
        raise ValidationError("新しい名称を入力してください（現在の名称と同じです）。")
    if Department.objects.filter(municipality=department.municipality_id, name=name).exists():
        raise ValidationError(f"課室「{name}」は既に登録されています。合併する場合は「統合」を使ってください。")
    current = _current_name_row(department)
    if problem := rules.change_date_problem(on, current.valid_from, _today()):
        raise ValidationError(problem)
    before = {"name": department.name}
    current.valid_to = on - rules.ONE_DAY
    current.save(update_fields=["valid_to"])
    DepartmentName.objects.create(department=department, name=name, valid_from=on)
    department.name = name
    department.full_clean()
    department.save(update_fields=["name"])
    record(actor=actor, via=via, action="department.rename", obj=department, municipality=department.municipality,
           before=before, after={"name": name, "valid_from": on.isoformat()})
    return department


def _staff_in(department: Department, day):
    """People of the section in office on or after `day`: those its history places there then, and those without
    history whose department it is today."""
    placed = StaffAssignment.objects.filter(department=department).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).values("staff_id")
    unrecorded = Staff.objects.filter(department=department).exclude(
        pk__in=StaffAssignment.objects.values("staff_id")).filter(Q(retired_on__isnull=True) | Q(retired_on__gte=day))
    return Staff.objects.filter(Q(pk__in=placed) | Q(pk__in=unrecorded.values("pk")))


@transaction.atomic
def abolish_department(*, actor, via: str, department: Department, on) -> Department:
    """The section no longer exists from `on`. Only once nobody is placed there on or after that day."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    if department.abolished_on is not None:
        raise ValidationError(f"課室「{department.name}」は既に{format_wareki(department.abolished_on)}に廃止されています。")
    remaining = list(_staff_in(department, on).order_by("staff_number").values_list("name", flat=True)[:4])
    if remaining:
        names = "、".join(remaining[:3]) + ("ほか" if len(remaining) > 3 else "")
        raise ValidationError(f"課室「{department.name}」には{format_wareki(on)}以降も在籍する職員（{names}）がいるため"
                              "廃止できません。先に異動・退職を登録するか、「統合」で別の課室へ移してください。")
    department.abolished_on = on
    department.save(update_fields=["abolished_on"])
    record(actor=actor, via=via, action="department.abolish", obj=department, municipality=department.municipality,
           after={"name": department.name, "abolished_on": on.isoformat()})
    return department


@transaction.atomic
def merge_department(*, actor, via: str, department: Department, into: Department, on) -> Department:
    """Merge the section into `into` on `on`: its people are transferred there that day (same role), the apps
    that follow sections (processes) move their rows, and the section is abolished from that day."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    if into.pk == department.pk or into.municipality_id != department.municipality_id:
        raise ValidationError("統合先には同じ団体の別の課室を選んでください。")
    _check_department(department, on)
    if department.abolished_on is not None:
        raise ValidationError(f"課室「{department.name}」は既に廃止されています。")
    if into.abolished_on is not None:
        raise ValidationError(f"統合先の課室「{into.name}」は廃止されています。")
    if on > _today():
        raise ValidationError("将来の日付は指定できません。統合の日を迎えてから登録してください。")
    people = list(_staff_in(department, on).filter(department=department).select_related("municipality"))
    for person in people:
        _reassign(actor=actor, via=via, staff=person, department=into, role=person.role, on=on)
    for hook in DEPARTMENT_MERGE_HOOKS:
        hook(actor=actor, via=via, source=department, target=into, day=on)
    department.abolished_on, department.merged_into = on, into
    department.save(update_fields=["abolished_on", "merged_into"])
    record(actor=actor, via=via, action="department.merge", obj=department, municipality=department.municipality,
           after={"name": department.name, "merged_into": into.name, "abolished_on": on.isoformat(),
                  "staff": len(people)})
    return department


def _history_start(staff: Staff) -> StaffAssignment:
    """The person's open history row; one since the records began when they have none (registered before the
    history was kept, or directly in a test)."""
    row = staff.history.filter(valid_to__isnull=True).order_by("-valid_from", "-id").first()
    if row is None:
        last = staff.history.order_by("-valid_from", "-id").first()
        if last is not None:  # retired: the history ends
            return last
        row = StaffAssignment.objects.create(staff=staff, department_id=staff.department_id, role=staff.role,
                                             valid_from=rules.SINCE_RECORDS)
    return row


@transaction.atomic
def create_staff(*, actor, via: str, municipality: Municipality, valid_from=None, **fields) -> Staff:
    """A new person; `valid_from` is when they took up the position (empty: since before the records began)."""
    staff = create_audited(actor=actor, via=via, obj=Staff(municipality=municipality, **fields),
                           fields=STAFF_FIELDS, action="staff.create", municipality=municipality)
    StaffAssignment.objects.create(staff=staff, department=staff.department, role=staff.role,
                                   valid_from=valid_from or rules.SINCE_RECORDS)
    return staff


@transaction.atomic
def update_staff(*, actor, via: str, staff: Staff, **fields) -> Staff:
    """Correct the person's staff number or name. A department or a role changes with a date (reassign_staff)."""
    if set(fields) - {"staff_number", "name"}:
        raise ValidationError("所属と役割は「異動・役割変更」で日付とともに登録してください。")
    return update_audited(actor=actor, via=via, obj=staff, changes=fields, fields=STAFF_FIELDS,
                          action="staff.update", municipality=staff.municipality)


def _reassign(*, actor, via: str, staff: Staff, department, role: str, on) -> Staff:
    if staff.retired_on is not None and staff.retired_on < on:
        raise ValidationError(f"{staff.name}さんは{format_wareki(staff.retired_on)}に退職しています。")
    if department is not None:
        if department.municipality_id != staff.municipality_id:
            raise ValidationError("同じ団体の課室を選んでください。")
        _check_department(department, on)
    if department == staff.department and role == staff.role:
        raise ValidationError("所属も役割も現在と同じです。")
    current = _history_start(staff)
    if problem := rules.change_date_problem(on, current.valid_from, _today()):
        raise ValidationError(problem)
    before = snapshot(staff, ("department", "role"))
    current.valid_to = on - rules.ONE_DAY
    current.save(update_fields=["valid_to"])
    # A retirement already registered (and still ahead) ends the new position too.
    StaffAssignment.objects.create(staff=staff, department=department, role=role, valid_from=on,
                                   valid_to=staff.retired_on)
    staff.department, staff.role = department, role
    staff.full_clean(validate_unique=False)
    staff.save(update_fields=["department", "role"])
    record(actor=actor, via=via, action="staff.transfer", obj=staff, municipality=staff.municipality, before=before,
           after=snapshot(staff, ("department", "role")) | {"valid_from": on.isoformat()})
    return staff


@transaction.atomic
def reassign_staff(*, actor, via: str, staff: Staff, department, role: str, on) -> Staff:
    """A transfer (異動) to `department`, a role change, or both, taking effect on `on` (発令日). The earlier
    position ends the day before; a past date is read from the history."""
    staff = Staff.objects.select_for_update(of=("self",)).select_related("municipality", "department").get(pk=staff.pk)
    return _reassign(actor=actor, via=via, staff=staff, department=department, role=role, on=on)


@transaction.atomic
def retire_staff(*, actor, via: str, staff: Staff, on) -> Staff:
    """The person retires; `on` is the last day in office (退職日, may lie ahead). Kept with their history: their
    records (attendance, assignments, approvals) still name them."""
    staff = Staff.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=staff.pk)
    if staff.retired_on is not None:
        raise ValidationError(f"{staff.name}さんは既に{format_wareki(staff.retired_on)}に退職しています。")
    current = _history_start(staff)
    if on < current.valid_from:
        raise ValidationError(f"退職日は現在の所属の開始日（{format_wareki(current.valid_from)}）以降にしてください。")
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    staff.retired_on = on
    staff.save(update_fields=["retired_on"])
    record(actor=actor, via=via, action="staff.retire", obj=staff, municipality=staff.municipality,
           after={"name": staff.name, "retired_on": on.isoformat()})
    return staff


@transaction.atomic
def save_staff_bulk(*, actor, via: str, municipality: Municipality, people: list[dict]) -> dict:
    """Create or update many people by staff number (a roster import, the demo).

    Each dict has staff_number, name, role and department (a name; missing departments are created). Audited
    per person as staff.create or staff.update, like the single-person services; an unchanged person is
    neither written nor audited. A changed department or role takes effect today in the person's history; a
    retired person the roster lists again is back in office from today.
    Returns {"staff": {number: Staff}, "created": {numbers}, "updated": {numbers}}.
    """
    departments = ensure_departments(actor=actor, via=via, municipality=municipality,
                                     names=[p["department"] for p in people if p.get("department")])
    existing = {s.staff_number: s for s in Staff.objects.filter(municipality=municipality)
                .select_related("department")}
    new, changed, entries, moved = [], [], [], []
    for person in people:
        values = {"name": person["name"], "role": person["role"],
                  "department": departments.get(person.get("department") or ""), "retired_on": None}
        member = existing.get(person["staff_number"])
        if member is None:
            member = Staff(municipality=municipality, staff_number=person["staff_number"], **values)
            member.full_clean(exclude=["municipality", "department"], validate_unique=False, validate_constraints=False)
            new.append(member)
            existing[member.staff_number] = member
            continue
        before = snapshot(member, BULK_FIELDS)
        if (member.department_id, member.role, member.retired_on) != (
                getattr(values["department"], "pk", None), values["role"], None):
            moved.append((member, member.department_id, member.role))
        for name, value in values.items():
            setattr(member, name, value)
        after = snapshot(member, BULK_FIELDS)
        if after != before:
            member.full_clean(validate_unique=False)
            changed.append(member)
            entries.append(entry(actor=actor, via=via, action="staff.update", obj=member, municipality=municipality,
                                 before=_without_empty_retirement(before), after=_without_empty_retirement(after)))
    Staff.objects.bulk_create(new, batch_size=1000)
    Staff.objects.bulk_update(changed, ["name", "role", "department", "retired_on"], batch_size=1000)
    _history_from_today(new, moved)
    entries += [entry(actor=actor, via=via, action="staff.create", obj=m, municipality=municipality,
                      after=snapshot(m, STAFF_FIELDS)) for m in new]
    record_many(entries)
    return {"staff": existing, "created": {m.staff_number for m in new}, "updated": {m.staff_number for m in changed}}


def _without_empty_retirement(values: dict) -> dict:
    return values if values.get("retired_on") else {k: v for k, v in values.items() if k != "retired_on"}


def _history_from_today(new: list[Staff], moved: list[tuple[Staff, int | None, str]]) -> None:
    """History rows for a bulk save: new people since the records began (a roster says who is there, not since
    when); a moved person's open row ends yesterday and today's position opens (a row opened today is corrected
    in place). Three statements whatever the number of people."""
    today = _today()
    rows = [StaffAssignment(staff=m, department=m.department, role=m.role, valid_from=rules.SINCE_RECORDS)
            for m in new]
    latest = {}
    for row in StaffAssignment.objects.filter(staff__in=[m.pk for m, _d, _r in moved]).order_by(
            "staff_id", "valid_from", "id"):
        latest[row.staff_id] = row
    closed, corrected = [], []
    for member, department_id, role in moved:
        row = latest.get(member.pk)
        if row is not None and row.valid_from >= today:
            row.department, row.role, row.valid_to = member.department, member.role, None
            corrected.append(row)
            continue
        if row is not None and (row.valid_to is None or row.valid_to >= today):
            row.valid_to = today - rules.ONE_DAY
            closed.append(row)
        elif row is None:  # registered before the history was kept: what they were until yesterday
            rows.append(StaffAssignment(staff=member, department_id=department_id, role=role,
                                        valid_from=rules.SINCE_RECORDS, valid_to=today - rules.ONE_DAY))
        rows.append(StaffAssignment(staff=member, department=member.department, role=member.role, valid_from=today))
    StaffAssignment.objects.bulk_update(closed + corrected, ["department", "role", "valid_to"], batch_size=1000)
    StaffAssignment.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def grant_membership(*, actor, via: str, user, role: str, municipality=None, association=None) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, role=role, municipality=municipality, association=association
    )
    record(actor=actor, via=via, action="membership.grant", obj=membership, municipality=municipality,
           association=association, after={"user": user.get_username(), "role": role})
    return membership


@transaction.atomic
def save_user(*, actor, via: str, username: str, password: str):
    """Create a login, or set a new password for an existing one (the demo's users). Audited."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    created = user is None
    if created:
        user = get_user_model()(username=username)
    user.set_password(password)
    user.save()
    record(actor=actor, via=via, action="user.create" if created else "user.password", obj=user,
           after={"user": username})
    return user


# ---------------------------------------------------------------------------------------------------------------
# Accounts and roles, run by the municipality itself (利用者管理). Each action is atomic and audited in the scope
# it concerns; `actor=None` (or scoping.COMMAND_LINE) is the machine's operator running `jichitai user`.

SETUP_LINK_SALT = "jichitai.orgs.setup"
SETUP_LINK_MAX_AGE = 72 * 3600  # a set-up link expires after 72 hours
ROLE_LABELS = {
    Membership.Role.ADMIN: "管理者", Membership.Role.EDITOR: "編集者", Membership.Role.VIEWER: "閲覧者",
    Membership.Role.SECRETARIAT: "事務局", Membership.Role.SECRETARIAT_ADMIN: "事務局管理者",
    Membership.Role.OPERATOR: "運用管理者",
}


def _from_command_line(actor) -> bool:
    from .scoping import COMMAND_LINE

    return actor is None or actor is COMMAND_LINE


def _require(allowed, actor) -> None:
    """`allowed()` (asked only of a web or API actor) must say yes, else 403."""
    if not (_from_command_line(actor) or allowed()):
        raise PermissionDenied("この操作を行う権限がありません。")


def _scope_of(role: str, municipality, association) -> tuple:
    """Check that the role and its scope fit together (Japanese messages); returns (municipality, association)."""
    from .scoping import MUNICIPAL_ROLES, SECRETARIAT_ROLES

    if role not in ROLE_LABELS:
        raise ValidationError(f"役割「{role}」はありません。")
    if role in MUNICIPAL_ROLES:
        if municipality is None or association is not None:
            raise ValidationError(f"{ROLE_LABELS[role]}には団体（市区町村）を指定してください。")
    elif role in SECRETARIAT_ROLES:
        if association is None or municipality is not None:
            raise ValidationError(f"{ROLE_LABELS[role]}には協議会を指定してください。")
    elif municipality is not None or association is not None:
        raise ValidationError("運用管理者には団体も協議会も指定しません。")
    return municipality, association


def _audit_scope(membership_or_scope) -> dict:
    return {"municipality": membership_or_scope.municipality, "association": membership_or_scope.association}


def _fingerprint(user) -> str:
    # Changes when the password is set (or reset): a link works once and a reset ends the earlier ones.
    return hashlib.sha256(f"{user.password}|{user.is_active}".encode()).hexdigest()[:20]


def make_setup_token(user) -> str:
    return signing.TimestampSigner(salt=SETUP_LINK_SALT).sign(f"{user.pk}.{_fingerprint(user)}")


def setup_path(token: str) -> str:
    return reverse("orgs:setup", args=[token])


def user_for_setup_token(token: str):
    """The user a set-up link is for, or None when it is forged, expired, used or superseded."""
    from django.contrib.auth import get_user_model

    try:
        value = signing.TimestampSigner(salt=SETUP_LINK_SALT).unsign(token, max_age=SETUP_LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    pk, _, fingerprint = value.partition(".")
    user = get_user_model().objects.filter(pk=pk, is_active=True).first() if pk.isdigit() else None
    if user is None or not secrets.compare_digest(_fingerprint(user), fingerprint):
        return None
    return user


def _check_username(username: str):
    from django.contrib.auth import get_user_model

    model = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError("ユーザー名を入力してください。")
    try:
        model.username_validator(username)
        reject_my_number(username)
    except ValidationError:
        raise ValidationError(f"ユーザー名「{username}」は使えません（英数字と @ . + - _ のみ、150文字まで）。") from None
    if len(username) > 150:
        raise ValidationError("ユーザー名は150文字までです。")
    if model.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"ユーザー名「{username}」は既に使われています。既存の利用者には権限の付与を使ってください。")
    return username


@transaction.atomic
def add_user(*, actor, via: str, username: str, role: str, name: str = "", municipality=None, association=None,
             password: str | None = None):
    """A new login with one role. With a password (checked by Django's validators) it works at once; without,
    the account has no usable password and the returned set-up link (valid 72 hours, once) lets the person
    choose one. Returns (user, set-up token or None)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    from . import scoping

    municipality, association = _scope_of(role, municipality, association)
    _require(lambda: scoping.may_grant(actor, role, municipality=municipality, association=association), actor)
    username = _check_username(username)
    name = (name or "").strip()
    if name:
        reject_my_number(name)
    if len(name) > 150:
        raise ValidationError("氏名は150文字までです。")
    user = get_user_model()(username=username, first_name=name)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    membership = Membership(user=user, role=role, municipality=municipality, association=association)
    membership.save()
    scope = {"municipality": municipality, "association": association}
    record(actor=actor, via=via, action="user.create", obj=user, **scope,
           after={"user": username, "name": name, "password": "set" if password else "setup_link"})
    record(actor=actor, via=via, action="membership.grant", obj=membership, **scope,
           after={"user": username, "role": role})
    return user, None if password else make_setup_token(user)


@transaction.atomic
def grant_role(*, actor, via: str, user, role: str, municipality=None, association=None) -> Membership:
    """Give the person a role in a scope. One role per municipality or association: an existing role there is
    changed instead (audited as membership.update)."""
    from . import scoping

    municipality, association = _scope_of(role, municipality, association)
    _require(lambda: scoping.may_grant(actor, role, municipality=municipality, association=association), actor)
    existing = Membership.objects.filter(user=user, municipality=municipality, association=association).first()
    if existing is not None and role != Membership.Role.OPERATOR:
        return change_role(actor=actor, via=via, membership=existing, role=role)
    membership, created = Membership.objects.get_or_create(user=user, role=role, municipality=municipality,
                                                           association=association)
    if created:
        record(actor=actor, via=via, action="membership.grant", obj=membership, municipality=municipality,
               association=association, after={"user": user.get_username(), "role": role})
    return membership


@transaction.atomic
def change_role(*, actor, via: str, membership: Membership, role: str) -> Membership:
    """Another role in the same scope (管理者 ↔ 編集者 ↔ 閲覧者, 事務局 ↔ 事務局管理者)."""
    from . import scoping

    _scope_of(role, membership.municipality, membership.association)
    _require(lambda: scoping.manages_membership(actor, membership) and scoping.may_grant(
        actor, role, municipality=membership.municipality, association=membership.association), actor)
    if membership.role == role:
        return membership
    if not _from_command_line(actor) and membership.user_id == actor.pk:
        raise ValidationError("自分自身の役割は変更できません。ほかの管理者に依頼してください。")
    before = {"user": membership.user.get_username(), "role": membership.role}
    membership.role = role
    membership.save(update_fields=["role"])
    record(actor=actor, via=via, action="membership.update", obj=membership, **_audit_scope(membership),
           before=before, after={"user": membership.user.get_username(), "role": role})
    return membership


@transaction.atomic
def revoke_role(*, actor, via: str, membership: Membership) -> None:
    """Take a role away (the membership row goes; the audit keeps who had it)."""
    from . import scoping

    _require(lambda: scoping.manages_membership(actor, membership), actor)
    if not _from_command_line(actor) and membership.user_id == actor.pk:
        raise ValidationError("自分自身の権限は外せません。ほかの管理者に依頼してください。")
    record(actor=actor, via=via, action="membership.revoke", obj=membership, **_audit_scope(membership),
           before={"user": membership.user.get_username(), "role": membership.role})
    membership.delete()


def _account_scope(user) -> dict:
    """Where an account action is audited: the scope of the person's first role (none for an operator)."""
    membership = Membership.objects.filter(user=user).exclude(role=Membership.Role.OPERATOR).order_by("pk").first()
    return _audit_scope(membership) if membership else {}


@transaction.atomic
def deactivate_user(*, actor, via: str, user, scope: dict | None = None):
    """The login stops working (sessions and tokens included); the account is kept so the audit keeps the name."""
    from . import scoping

    _require(lambda: scoping.manages_user(actor, user), actor)
    if not _from_command_line(actor) and user.pk == actor.pk:
        raise ValidationError("自分自身は無効にできません。")
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(actor=actor, via=via, action="user.deactivate", obj=user, **(scope or _account_scope(user)),
           before={"user": user.get_username(), "is_active": True}, after={"is_active": False})
    return user


@transaction.atomic
def reset_password(*, actor, via: str, user, scope: dict | None = None) -> str:
    """The old password stops working at once; returns a new set-up link token (72 hours, once)."""
    from . import scoping

    _require(lambda: scoping.manages_user(actor, user), actor)
    if not user.is_active:
        raise ValidationError("無効な利用者のパスワードは再設定できません。")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record(actor=actor, via=via, action="user.password_reset", obj=user, **(scope or _account_scope(user)),
           after={"user": user.get_username()})
    return make_setup_token(user)


@transaction.atomic
def set_password_from_link(*, token: str, password: str):
    """The person behind a set-up link chooses a password (Django's validators apply). The link then stops working."""
    from django.contrib.auth.password_validation import validate_password

    user = user_for_setup_token(token)
    if user is None:
        raise ValidationError("このリンクは無効か、期限が切れています。管理者に再発行を依頼してください。")
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=user, via="web", action="user.password_setup", obj=user, **_account_scope(user),
           after={"user": user.get_username()})
    return user


def lockout_status(usernames) -> dict[str, bool] | None:
    """{username: locked} from django-axes, in one query; None when axes is not installed."""
    try:
        from axes.models import AccessAttempt
    except (ImportError, RuntimeError):
        return None
    from django.conf import settings as django_settings
    from django.utils import timezone

    limit = getattr(django_settings, "AXES_FAILURE_LIMIT", 3)
    attempts = AccessAttempt.objects.filter(username__in=list(usernames), failures_since_start__gte=limit)
    cooloff = getattr(django_settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cooloff, timedelta):  # a lockout ends by itself after the cool-off window
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cooloff)
    try:
        locked = set(attempts.values_list("username", flat=True))
    except DatabaseError:  # axes importable but not migrated (not in INSTALLED_APPS)
        return None
    return {name: name in locked for name in usernames}


@transaction.atomic
def unlock_user(*, actor, via: str, user, scope: dict | None = None) -> int:
    """End a lockout (django-axes) for the account; returns how many lockout records were cleared."""
    from . import scoping

    _require(lambda: scoping.manages_user(actor, user), actor)
    cleared = 0
    try:
        from axes.utils import reset
    except (ImportError, RuntimeError):
        reset = None
    if reset is not None:
        try:
            with transaction.atomic():
                cleared = reset(username=user.get_username()) or 0
        except DatabaseError:
            cleared = 0
    record(actor=actor, via=via, action="user.unlock", obj=user, **(scope or _account_scope(user)),
           after={"user": user.get_username(), "cleared": cleared})
    return cleared


# ---------------------------------------------------------------------------------------------------------------
# Organisations created by the operator (運用管理者) on the web (/operator/).


@transaction.atomic
def create_municipality(*, actor, via: str, code: str, name: str, association=None) -> Municipality:
    """A new municipality, audited as municipality.create. Unlike save_municipality (which the imports use to
    create or update), an existing code is refused: the operator's page never changes a municipality."""
    from . import scoping

    _require(lambda: scoping.is_operator(actor), actor)
    if Municipality.objects.filter(code=code).exists():
        raise ValidationError("この団体コードの団体は既に登録されています。")
    municipality, _ = save_municipality(actor=actor, via=via, code=code, name=name, association=association)
    return municipality


@transaction.atomic
def join_association(*, actor, via: str, municipality: Municipality, association: Association,
                     kind: str) -> AssociationMember:
    """The municipality also belongs to `association` (a wide-area union, a cloud group), audited as
    association.join in both chains: that secretariat now reads the member's data."""
    from . import scoping

    _require(lambda: scoping.is_operator(actor), actor)
    if municipality.association_id == association.pk or AssociationMember.objects.filter(
            municipality=municipality, association=association).exists():
        raise ValidationError("この団体は既にこの協議会の構成団体です。")
    link = AssociationMember(municipality=municipality, association=association, kind=kind)
    link.full_clean()
    link.save()
    after = {"association": association.name, "municipality": municipality.code, "kind": link.get_kind_display()}
    record(actor=actor, via=via, action="association.join", obj=link, municipality=municipality, after=after)
    record(actor=actor, via=via, action="association.join", obj=link, association=association, after=after)
    return link


@transaction.atomic
def leave_association(*, actor, via: str, link: AssociationMember) -> None:
    """The municipality no longer belongs to that association: its secretariat stops reading the member."""
    from . import scoping

    _require(lambda: scoping.is_operator(actor), actor)
    before = {"association": link.association.name, "municipality": link.municipality.code,
              "kind": link.get_kind_display()}
    record(actor=actor, via=via, action="association.leave", obj=link, municipality=link.municipality, before=before)
    record(actor=actor, via=via, action="association.leave", obj=link, association=link.association, before=before)
    link.delete()
