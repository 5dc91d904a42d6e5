"""Tenancy in one place. Every queryset that reaches a view, an export or the API goes through `visible`.

A user sees the municipalities where they hold a membership, and — as an association's secretariat (事務局 or
事務局管理者) — the association's members, read-only. Anything else does not exist for them (404).

Managing users (who may add, change, deactivate, reset, unlock whom) is decided here too:
    管理者 (admin)              the users of that municipality
    事務局管理者 (secretariat_admin) the secretariat users of its association, and the first 管理者 of a member
    運用管理者 (operator) or a Django superuser: creates associations and municipalities and manages any user,
                                but has no access to tenant data beyond that: `visible` gives them nothing.
One person may hold several memberships; someone with memberships outside the actor's reach is changed only
by revoking the actor's own scope's role, never deactivated or reset by them.

Every model of the project declares how its rows reach their owner (tests/test_architecture.py checks it):

    TENANT_PATH          path (or tuple of paths) to the owning Municipality
    ASSOCIATION_PATH     path (or tuple) to the owning Association: read by its secretariat and by the users
                         of its members, written by its secretariat
    READ_ONLY_PATHS      paths among those above that let a user read a row but never write it (a joint
                         session's participants read it; its organiser writes it)
    SHARED_WHEN_UNOWNED  rows whose paths are all empty are reference data everyone reads and no one writes
                         (the shipped curriculum, the guideline's framework)
    REFERENCE_DATA       the model is the same for every user (別表, standard areas): not scoped
    USER_PATH            path to the owning login user (API tokens): scoped by the accounts code
"""

from functools import reduce
from operator import or_

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Association, AssociationMember, Membership, Municipality


class _CommandLine:
    """The operator of the machine running a management command: sees every municipality.

    Only management commands pass this; web and API code always pass request.user.
    """

    is_authenticated = False

    def __repr__(self) -> str:
        return "COMMAND_LINE"


COMMAND_LINE = _CommandLine()

# The association's secretariat: both read every member and write the association's own objects.
SECRETARIAT_ROLES = (Membership.Role.SECRETARIAT, Membership.Role.SECRETARIAT_ADMIN)
MUNICIPAL_ROLES = (Membership.Role.ADMIN, Membership.Role.EDITOR, Membership.Role.VIEWER)


def municipality_ids(user, *, write: bool = False) -> QuerySet:
    """A subquery of the municipality ids the user may read (or write); never evaluated on its own."""
    if not user.is_authenticated:
        return Municipality.objects.none().values("id")
    if write:
        condition = Q(memberships__user=user, memberships__role__in=Membership.WRITE_ROLES)
    else:
        secretariats = Q(memberships__user=user, memberships__role__in=SECRETARIAT_ROLES)
        # The secretariat of any association the municipality belongs to: its own, or one it joined.
        joined = AssociationMember.objects.filter(association__in=Association.objects.filter(secretariats))
        condition = Q(memberships__user=user) | Q(
            association__memberships__user=user,
            association__memberships__role__in=SECRETARIAT_ROLES,
        ) | Q(pk__in=joined.values("municipality_id"))
    return Municipality.objects.filter(condition).values("id")


def association_ids(user, *, write: bool = False) -> QuerySet:
    """Associations whose shared objects (templates) the user sees: as secretariat, or as a member's user.

    Only the secretariat writes them.
    """
    if not user.is_authenticated:
        return Association.objects.none().values("id")
    secretariat = Q(memberships__user=user, memberships__role__in=SECRETARIAT_ROLES)
    if write:
        return Association.objects.filter(secretariat).values("id")
    joined = AssociationMember.objects.filter(municipality__memberships__user=user).values("association_id")
    return Association.objects.filter(secretariat | Q(members__memberships__user=user) | Q(pk__in=joined)).values("id")


def _paths(model, attribute: str) -> tuple[str, ...]:
    value = getattr(model, attribute, None)
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _many_valued(model, path: str) -> bool:
    """True when the path crosses a many-to-many or reverse relation (a row may match several times)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def _owned(model, path: str, ids: QuerySet) -> Q:
    if _many_valued(model, path):
        # Through a subquery, so that a row matching several owners comes back once.
        return Q(pk__in=model._default_manager.filter(**{f"{path}__in": ids}).values("pk"))
    return Q(**{f"{path}__in": ids})


def scope_condition(model, user, *, write: bool = False) -> Q:
    """The condition a row of `model` must meet for the user to read it (or write it)."""
    if getattr(model, "REFERENCE_DATA", False):
        return Q()
    read_only = set(_paths(model, "READ_ONLY_PATHS"))
    tenant, association = _paths(model, "TENANT_PATH"), _paths(model, "ASSOCIATION_PATH")
    if not (tenant or association):
        raise ImproperlyConfigured(f"{model._meta.label} declares no TENANT_PATH or ASSOCIATION_PATH")
    parts = [_owned(model, path, municipality_ids(user, write=write)) for path in tenant
             if not (write and path in read_only)]
    parts += [_owned(model, path, association_ids(user, write=write)) for path in association
              if not (write and path in read_only)]
    if getattr(model, "SHARED_WHEN_UNOWNED", False) and not write:
        parts.append(Q(**{f"{path}__isnull": True for path in tenant + association}))
    return reduce(or_, parts) if parts else Q(pk__in=[])


def visible(qs: QuerySet, user, *, write: bool = False) -> QuerySet:
    """Filter any tenant-owned queryset to what the user may see (or change)."""
    if user is COMMAND_LINE:
        return qs
    model = qs.model
    if model is Association:
        # Only its secretariat sees an association as such, and it also writes the association's own
        # objects (settings, model processes); its members' data stays read-only to it.
        if not user.is_authenticated:
            return qs.none()
        return qs.filter(memberships__user=user, memberships__role__in=SECRETARIAT_ROLES).distinct()
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(scope_condition(model, user, write=write))


def get_visible_or_404(qs: QuerySet, user, *, write: bool = False, **lookup) -> Model:
    """The object if the user may see it (and change it when write=True).

    Outsiders get 404 whether or not the object exists; a reader asking to write gets 403.
    """
    try:
        obj = visible(qs, user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not visible(qs, user, write=True).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def association_for(user, pk, *, members_read: bool = False, write: bool = False) -> Association:
    """The association if the user reads it — as its secretariat, or with `members_read` as a member's user
    too; writing always needs the secretariat. 404 otherwise, 403 for a reader asking to write."""
    readers = association_ids(user) if members_read else association_ids(user, write=True)
    association = Association.objects.filter(pk=pk, id__in=readers).first() if str(pk).isdigit() else None
    if association is None:
        raise Http404
    if write and not association_ids(user, write=True).filter(id=association.pk).exists():
        raise PermissionDenied
    return association


def can_write(user, municipality: Municipality) -> bool:
    return municipality_ids(user, write=True).filter(id=municipality.id).exists()


def access(user, municipality: Municipality) -> tuple[bool, bool]:
    """(may write to the municipality, is the secretariat of its association), in one query."""
    if not user.is_authenticated:
        return False, False
    condition = Q(municipality=municipality)
    if municipality.association_id:
        condition |= Q(association_id=municipality.association_id, role__in=SECRETARIAT_ROLES)
    roles = set(Membership.objects.filter(condition, user=user).values_list("role", flat=True))
    return bool(roles & set(Membership.WRITE_ROLES)), bool(roles & set(SECRETARIAT_ROLES))


def is_secretariat(user, association: Association) -> bool:
    return association_ids(user, write=True).filter(id=association.pk).exists()


def home_target(user) -> tuple[str, object] | None:
    """Where a user lands after login: their association, else their first municipality."""
    association = visible(Association.objects.all(), user).first()
    if association is not None:
        return "association", association
    municipality = visible(Municipality.objects.all(), user).first()
    if municipality is not None:
        return "municipality", municipality
    return None


# ---------------------------------------------------------------------------------------------------------------
# Managing users. The operator (運用管理者) and a superuser manage accounts and organisations only: none of the
# functions above give them tenant data, so `visible` returns nothing to them unless they also hold a membership.


def is_operator(user) -> bool:
    if user is COMMAND_LINE:
        return True
    if not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Membership.Role.OPERATOR).exists()


def manages_municipality(user, municipality: Municipality) -> bool:
    """Admin of the municipality (or the operator): manages its users."""
    if is_operator(user):
        return True
    return Membership.objects.filter(user=user, municipality=municipality, role=Membership.Role.ADMIN).exists()


def manages_association(user, association: Association) -> bool:
    """事務局管理者 of the association (or the operator): manages its secretariat users."""
    if is_operator(user):
        return True
    return Membership.objects.filter(user=user, association=association,
                                     role=Membership.Role.SECRETARIAT_ADMIN).exists()


def has_working_admin(municipality: Municipality) -> bool:
    """An active 管理者 who has signed in at least once: then the municipality runs its own users."""
    return Membership.objects.filter(municipality=municipality, role=Membership.Role.ADMIN, user__is_active=True,
                                     user__last_login__isnull=False).exists()


def may_grant(user, role: str, *, municipality=None, association=None) -> bool:
    """May the user give this role in this scope? The secretariat admin may make the first 管理者 of a member."""
    if is_operator(user):
        return True
    if role in MUNICIPAL_ROLES and municipality is not None:
        if manages_municipality(user, municipality):
            return True
        return (role == Membership.Role.ADMIN and municipality.association_id is not None
                and manages_association(user, municipality.association) and not has_working_admin(municipality))
    if role in SECRETARIAT_ROLES and association is not None:
        return manages_association(user, association)
    return False


def manages_membership(user, membership: Membership) -> bool:
    if membership.role == Membership.Role.OPERATOR:
        return is_operator(user)
    if membership.municipality_id:
        return manages_municipality(user, membership.municipality)
    return manages_association(user, membership.association)


def manages_user(user, target) -> bool:
    """May change the person's account itself (deactivate, reset the password, unlock): every role they hold
    is in a scope the user manages, so no admin reaches into another municipality's access."""
    if is_operator(user):
        return True
    if target.is_superuser:
        return False
    memberships = list(Membership.objects.filter(user=target).select_related("municipality", "association"))
    return bool(memberships) and all(manages_membership(user, m) for m in memberships)


# ---------------------------------------------------------------------------------------------------------------
# The menu: whether to offer 利用者管理, in one query per request whatever the number of entries asking.


def _roles_held(user) -> list[tuple[str, int | None, int | None]]:
    """(role, municipality id, association id) of every membership; read once and kept on the user object,
    which lives as long as the request."""
    if not hasattr(user, "_jichitai_roles"):
        user._jichitai_roles = list(Membership.objects.filter(user=user)
                                    .values_list("role", "municipality_id", "association_id"))
    return user._jichitai_roles


def offers_municipality_users(user, municipality: Municipality) -> bool:
    """The menu's test for manages_municipality (same answer, from _roles_held)."""
    if not user.is_authenticated:
        return False
    roles = _roles_held(user)
    return user.is_superuser or any(role == Membership.Role.OPERATOR or (role == Membership.Role.ADMIN
                                                                         and mid == municipality.pk)
                                    for role, mid, _aid in roles)


def offers_association_users(user, association: Association) -> bool:
    """The menu's test for manages_association (same answer, from _roles_held)."""
    if not user.is_authenticated:
        return False
    roles = _roles_held(user)
    return user.is_superuser or any(role == Membership.Role.OPERATOR or (role == Membership.Role.SECRETARIAT_ADMIN
                                                                         and aid == association.pk)
                                    for role, _mid, aid in roles)


def offers_association_settings(user, association: Association) -> bool:
    """The menu's test for the association's settings page: its secretariat (association_ids(write=True)), read
    from _roles_held, so drawing the menu costs no query."""
    if not user.is_authenticated:
        return False
    return any(role in SECRETARIAT_ROLES and aid == association.pk for role, _mid, aid in _roles_held(user))
