"""Tenancy in one place. Every queryset that reaches a view, an export or the API goes through `visible`.

A user sees the municipalities where they hold a membership, and — as an association's secretariat —
the association's members, read-only. Anything else does not exist for them (404).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Association, Membership, Municipality


class _CommandLine:
    """The operator of the machine running a management command: sees every municipality.

    Only management commands pass this; web and API code always pass request.user.
    """

    is_authenticated = False

    def __repr__(self) -> str:
        return "COMMAND_LINE"


COMMAND_LINE = _CommandLine()


def municipality_ids(user, *, write: bool = False) -> QuerySet:
    """A subquery of the municipality ids the user may read (or write); never evaluated on its own."""
    if not user.is_authenticated:
        return Municipality.objects.none().values("id")
    if write:
        condition = Q(memberships__user=user, memberships__role__in=Membership.WRITE_ROLES)
    else:
        condition = Q(memberships__user=user) | Q(
            association__memberships__user=user,
            association__memberships__role=Membership.Role.SECRETARIAT,
        )
    return Municipality.objects.filter(condition).values("id")


def visible(qs: QuerySet, user, *, write: bool = False) -> QuerySet:
    """Filter any tenant-owned queryset (models declare TENANT_PATH) to what the user may see or change."""
    if user is COMMAND_LINE:
        return qs
    model = qs.model
    if model is Association:
        # Only its secretariat sees an association as such, and it also writes the association's own
        # objects (settings, model processes); its members' data stays read-only to it.
        if not user.is_authenticated:
            return qs.none()
        return qs.filter(memberships__user=user, memberships__role=Membership.Role.SECRETARIAT).distinct()
    if hasattr(model, "ASSOCIATION_PATH"):
        return qs.filter(**{f"{model.ASSOCIATION_PATH}__in": association_ids(user, write=write)})
    path = model.TENANT_PATH
    return qs.filter(**{f"{path}__in": municipality_ids(user, write=write)})


def association_ids(user, *, write: bool = False) -> QuerySet:
    """Associations whose shared objects (templates) the user sees: as secretariat, or as a member's user.

    Only the secretariat writes them.
    """
    if not user.is_authenticated:
        return Association.objects.none().values("id")
    secretariat = Q(memberships__user=user, memberships__role=Membership.Role.SECRETARIAT)
    if write:
        return Association.objects.filter(secretariat).values("id")
    return Association.objects.filter(secretariat | Q(members__memberships__user=user)).values("id")


def get_visible_or_404(qs: QuerySet, user, *, write: bool = False, **lookup) -> Model:
    """The object if the user may see it (and change it when write=True).

    Outsiders get 404 whether or not the object exists; a reader asking to write gets 403.
    """
    try:
        obj = visible(qs, user).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None
    if write and not visible(qs, user, write=True).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def can_write(user, municipality: Municipality) -> bool:
    return municipality_ids(user, write=True).filter(id=municipality.id).exists()


def home_target(user) -> tuple[str, object] | None:
    """Where a user lands after login: their association, else their first municipality."""
    association = visible(Association.objects.all(), user).first()
    if association is not None:
        return "association", association
    municipality = visible(Municipality.objects.all(), user).first()
    if municipality is not None:
        return "municipality", municipality
    return None
