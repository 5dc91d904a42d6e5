"""Read models of organisations and access, each in a fixed number of queries: the user list of 利用者管理, and
the departments and staff as they stood on any day (staff_as_of, for every page asking who held what on a date)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from django.apps import apps
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Replace
from django.utils import timezone

from jichitai.core.text import normalise

from . import rules
from .models import Department, DepartmentName, Membership, Staff, StaffAssignment
from .services import lockout_status

SORTS = {
    "username": ("user__username",),
    "name": ("user__first_name", "user__username"),
    "role": ("role", "user__username"),
    "last_login": ("-user__last_login", "user__username"),
    "municipality": ("municipality__code", "user__username"),
}


@dataclass
class UserRow:
    membership_id: int
    user_id: int
    username: str
    name: str
    role: str
    role_label: str
    scope: str  # the municipality or association the role is in
    last_login: datetime | None
    two_factor: bool | None  # None: two-factor authentication is not installed (shown 「未設定」)
    locked: bool | None  # None: no lockout library installed (shown 「—」)
    active: bool


def _two_factor(user_ids) -> dict[int, bool] | None:
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return None
    model = apps.get_model("otp_totp", "TOTPDevice")
    confirmed = set(model.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True))
    return {pk: pk in confirmed for pk in user_ids}


def user_rows(memberships: QuerySet, *, q: str = "", role: str = "", active: str = "", sort: str = "username"):
    """The memberships (already scoped by the caller) as rows: 3 queries at most whatever their number."""
    qs = memberships.select_related("user", "municipality", "association")
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(user__username__icontains=q) | Q(user__first_name__icontains=q)
                       | Q(user__last_name__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if active in ("1", "0"):
        qs = qs.filter(user__is_active=active == "1")
    qs = qs.order_by(*SORTS.get(sort, SORTS["username"]), "pk")
    memberships = list(qs)
    users = {m.user_id: m.user for m in memberships}
    locked = lockout_status([u.username for u in users.values()]) if users else {}
    two_factor = _two_factor(list(users)) if users else {}
    return [UserRow(
        membership_id=m.pk, user_id=m.user_id, username=m.user.username,
        name=m.user.get_full_name(), role=m.role, role_label=str(Membership.Role(m.role).label),
        scope=str(m.municipality or m.association or ""), last_login=m.user.last_login,
        two_factor=None if two_factor is None else two_factor.get(m.user_id),
        locked=None if locked is None else locked.get(m.user.username), active=m.user.is_active,
    ) for m in memberships]


# ---- departments and staff over time --------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentOn:
    """A section as it stood on a day: the name it bore then, and what became of it."""

    pk: int
    municipality_id: int
    name: str  # on the day
    current_name: str
    abolished_on: dt.date | None
    merged_into: str  # the name of the section it was merged into, "" if none
    names: tuple  # ((name, valid_from, valid_to), …) in order
    staff_count: int = 0

    def exists_on(self, day: dt.date) -> bool:
        return rules.department_exists(self.abolished_on, day)

    @property
    def renamed(self) -> bool:
        return len(self.names) > 1


def departments_on(municipality_ids, day: dt.date) -> dict[int, DepartmentOn]:
    """Every section of the municipalities (abolished ones too), with the name each bore on `day`. Two queries."""
    names: dict[int, list] = {}
    for department_id, name, valid_from, valid_to in DepartmentName.objects.filter(
            department__municipality_id__in=municipality_ids).order_by("department_id", "valid_from", "pk").values_list(
            "department_id", "name", "valid_from", "valid_to"):
        names.setdefault(department_id, []).append((name, valid_from, valid_to))
    result = {}
    for pk, municipality_id, name, abolished_on, merged_into in Department.objects.filter(
            municipality_id__in=municipality_ids).order_by("municipality_id", "name").values_list(
            "pk", "municipality_id", "name", "abolished_on", "merged_into__name"):
        rows = names.get(pk, [])
        result[pk] = DepartmentOn(pk, municipality_id, rules.name_on(rows, day, name), name, abolished_on,
                                  merged_into or "", tuple(rows))
    return result


@dataclass(frozen=True)
class StaffOn:
    """A person as they stood on a day: the department and role they held then."""

    staff_id: int
    staff_number: str
    name: str
    municipality_id: int
    department_id: int | None
    department: str  # the section's name on that day, "" when none
    role: str
    retired_on: dt.date | None
    since: dt.date | None  # when the position held that day began; None: before the records began
    in_office: bool

    @property
    def role_label(self) -> str:
        return str(dict(Staff.Role.choices).get(self.role, self.role))


def staff_as_of(municipality_ids, day: dt.date, *, include_retired: bool = False,
                departments: dict[int, DepartmentOn] | None = None) -> list[StaffOn]:
    """Who was on the staff of the municipalities on `day`, with the department and role each held that day (from
    their history), by staff number. Not yet in post or already retired that day: left out, unless
    `include_retired` (then a retired person is listed with their last department and role, in_office False).
    People without any history (registered before it was kept) count as they are today. Three queries (one when
    `departments`, from departments_on for the same day, are given): each person joined to the one history row
    covering the day, if any."""
    covering = Q(history__valid_from__lte=day) & (Q(history__valid_to__isnull=True) | Q(history__valid_to__gte=day))
    rows = (Staff.objects.filter(municipality_id__in=municipality_ids)
            .annotate(position=FilteredRelation("history", condition=covering),
                      recorded=Exists(StaffAssignment.objects.filter(staff=OuterRef("pk"))))
            .order_by("municipality_id", "staff_number", "pk")
            .values_list("pk", "staff_number", "name", "municipality_id", "retired_on", "department_id", "role",
                         "recorded", "position__department_id", "position__role", "position__valid_from"))
    if departments is None:
        departments = departments_on(municipality_ids, day)
    result, seen = [], set()
    for (pk, number, name, municipality_id, retired_on, department_id, role, recorded, position_department,
         position_role, since) in rows:
        if pk in seen:  # two history rows covering one day would be a mistake; the first is read
            continue
        seen.add(pk)
        if since is not None:
            department_id, role, present = position_department, position_role, True
        elif not recorded:  # no history: as today, since before the records began
            present = rules.in_office(retired_on, day)
        else:  # recorded, no row that day: not yet in post, or retired
            present = False
            if retired_on is None or retired_on >= day:
                continue
        if not present and not include_retired:
            continue
        department = departments.get(department_id)
        result.append(StaffOn(pk, number, name, municipality_id, department_id, department.name if department else "",
                              role, retired_on, None if since is None or since <= rules.SINCE_RECORDS else since,
                              present))
    return result


def staff_on(municipality_ids, day: dt.date) -> QuerySet:
    """The people in office on `day` as a queryset (to filter and join further in SQL), annotated with what they
    were that day: role_on, department_on_id and department_on_name (the section's name that day). staff_as_of's
    rules: people without history count as they are today."""
    position = StaffAssignment.objects.filter(staff=OuterRef("pk"), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("valid_from", "pk")
    name = DepartmentName.objects.filter(department=OuterRef("department_on_id"), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("valid_from", "pk")
    return (Staff.objects.filter(municipality_id__in=municipality_ids)
            .annotate(recorded=Exists(StaffAssignment.objects.filter(staff=OuterRef("pk"))))
            .annotate(role_on=Case(When(recorded=True, then=Subquery(position.values("role")[:1])), default=F("role"),
                                   output_field=CharField()),
                      department_on_id=Case(When(recorded=True, then=Subquery(position.values("department_id")[:1])),
                                            default=F("department_id"), output_field=BigIntegerField()))
            .filter(Q(recorded=True, role_on__isnull=False)
                    | Q(recorded=False) & (Q(retired_on__isnull=True) | Q(retired_on__gte=day)))
            .annotate(department_on_name=Coalesce(
                Subquery(name.values("name")[:1]),
                Subquery(Department.objects.filter(pk=OuterRef("department_on_id")).values("name")[:1]))))


def count_by_department(people: list[StaffOn], departments: dict[int, DepartmentOn]) -> dict[int, DepartmentOn]:
    counts = Counter(p.department_id for p in people if p.in_office)
    return {pk: replace(d, staff_count=counts.get(pk, 0)) for pk, d in departments.items()}


def _position_on(day: dt.date) -> QuerySet:
    """The history row covering `day` of the outer person (the first, should two overlap by mistake)."""
    return StaffAssignment.objects.filter(staff=OuterRef("pk"), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("valid_from", "pk")


def _department_rank(departments: dict[int, DepartmentOn]) -> Case:
    """Each section's place among the day's section names, for sorting by 所属 in SQL exactly as the page shows and
    names them (the names on the day come from departments_on): people without one first, equal names tie."""
    names = sorted({d.name for d in departments.values()})
    rank = {name: i for i, name in enumerate(names, start=1)}
    return Case(*[When(department_on_id=pk, then=Value(rank[d.name])) for pk, d in departments.items()],
                default=Value(0), output_field=IntegerField())


STAFF_ORDER = {
    "staff_number": ("staff_number", "pk"),
    "name": ("name", "staff_number", "pk"),
    "department": ("department_rank", "staff_number", "pk"),
    "role": ("role_on", "staff_number", "pk"),
}
_STAFF_COLUMNS = ("pk", "staff_number", "name", "municipality_id", "retired_on", "department_on_id", "role_on",
                  "since_on", "in_office")


class StaffList:
    """The filtered people of staff_list as a sequence Django's Paginator slices in SQL: count() is one COUNT, a
    slice one query (LIMIT/OFFSET), iterating reads them all (the export). Items are StaffOn."""

    def __init__(self, rows: QuerySet, departments: dict[int, DepartmentOn]):
        self.rows, self.departments = rows, departments

    def count(self) -> int:
        return self.rows.count()

    def _person(self, row: dict) -> StaffOn:
        department = self.departments.get(row["department_on_id"])
        since = row["since_on"]
        return StaffOn(row["pk"], row["staff_number"], row["name"], row["municipality_id"], row["department_on_id"],
                       department.name if department else "", row["role_on"], row["retired_on"],
                       None if since is None or since <= rules.SINCE_RECORDS else since, row["in_office"])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._person(row) for row in self.rows[index]]
        return self._person(self.rows[index])

    def __iter__(self):
        return (self._person(row) for row in self.rows)


def staff_list(municipality_ids, day: dt.date, departments: dict[int, DepartmentOn], *, include_retired: bool = False,
               q: str = "", role: str = "", department: int | None = None, sort: str = "staff_number") -> StaffList:
    """staff_as_of in SQL, filtered and sorted there (the staff page pages through it; the export reads it whole).
    The same people with the same department, role, since and in_office as staff_as_of gives: with a history row
    covering the day, what it says; without any history, as today; with history but none that day, not yet in post
    (left out) or retired (listed when `include_retired`). `departments`: departments_on for the same day.

    The search (氏名・職員番号) is NFKC-normalised like the import's matching; the names in the table are not, so SQL
    compares the normalised words with each name whose ideographic spaces are made plain (the usual difference);
    a name stored in half-width kana or full-width letters is found by the same characters only."""
    position = _position_on(day)
    held = Q(since_on__isnull=False)
    as_today = Q(recorded=False) & (Q(retired_on__isnull=True) | Q(retired_on__gte=day))
    rows = (Staff.objects.filter(municipality_id__in=municipality_ids)
            .annotate(recorded=Exists(StaffAssignment.objects.filter(staff=OuterRef("pk"))),
                      since_on=Subquery(position.values("valid_from")[:1]))
            .annotate(role_on=Case(When(held, then=Subquery(position.values("role")[:1])), default=F("role"),
                                   output_field=CharField()),
                      department_on_id=Case(When(held, then=Subquery(position.values("department_id")[:1])),
                                            default=F("department_id"), output_field=BigIntegerField()),
                      in_office=Case(When(held | as_today, then=Value(True)), default=Value(False),
                                     output_field=BooleanField())))
    rows = rows.filter(held | as_today | Q(retired_on__lt=day)) if include_retired else rows.filter(held | as_today)
    if q:
        q = normalise(q)
        rows = rows.alias(plain_name=Replace(F("name"), Value("\u3000"), Value(" "))).filter(
            Q(plain_name__contains=q) | Q(staff_number__contains=q))
    if role:
        rows = rows.filter(role_on=role)
    if department:
        rows = rows.filter(department_on_id=department)
    sort = sort if sort in STAFF_ORDER else "staff_number"
    if sort == "department":
        rows = rows.annotate(department_rank=_department_rank(departments))
    return StaffList(rows.order_by(*STAFF_ORDER[sort]).values(*_STAFF_COLUMNS), departments)


@dataclass(frozen=True)
class HistoryRow:
    department: str  # the section's name when the period began
    department_now: str  # its name today, when it has changed since
    role_label: str
    valid_from: dt.date | None  # None: before the records began
    valid_to: dt.date | None


def staff_history(staff: Staff) -> list[HistoryRow]:
    """The person's positions, latest first. Three queries."""
    rows = list(StaffAssignment.objects.filter(staff=staff).order_by("-valid_from", "-id").values_list(
        "department_id", "role", "valid_from", "valid_to"))
    departments = departments_on([staff.municipality_id], timezone.localdate())
    labels = dict(Staff.Role.choices)
    result = []
    for department_id, role, valid_from, valid_to in rows:
        department = departments.get(department_id)
        then = rules.name_on(list(department.names), valid_from, department.current_name) if department else ""
        result.append(HistoryRow(then, department.current_name if department and department.current_name != then
                                 else "", str(labels.get(role, role)),
                                 None if valid_from <= rules.SINCE_RECORDS else valid_from, valid_to))
    return result
