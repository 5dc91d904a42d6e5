"""The operator's reads (運用管理者, /operator/): the organisation list and the organisation a page is about.

These are not tenant reads: `scoping.visible` gives the operator nothing, and operator_views lets no one but the
operator (`scoping.is_operator`) reach the pages that call them (everyone else gets 404). So the organisations are
read here as such, in a fixed number of queries, like audit.queries.every_entry reads the whole log for the
operator's audit page.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404

from .models import Association, AssociationMember, Membership, Municipality

# ---------------------------------------------------------------------------------------------------------------
# The organisation list: associations with their members, and municipalities in no association.


@dataclass
class OrganisationRow:
    pk: int
    code: str  # "" for an association
    name: str
    users: int  # active users holding a role there (an association: its secretariat)
    admins: int  # of whom 管理者 (an association: 事務局管理者)


@dataclass
class OrganisationGroup:
    association: OrganisationRow | None  # None: the municipalities in no association
    members: list[OrganisationRow] = field(default_factory=list)


def _counted(queryset, admin_role):
    active = Q(memberships__user__is_active=True)
    return queryset.annotate(
        users=Count("memberships__user", filter=active, distinct=True),
        admins=Count("memberships__user", filter=active & Q(memberships__role=admin_role), distinct=True))


def _row(obj) -> OrganisationRow:
    return OrganisationRow(pk=obj.pk, code=getattr(obj, "code", ""), name=obj.name, users=obj.users,
                           admins=obj.admins)


MEMBER_SORTS = {"code": ("code",), "name": ("name", "code"), "users": ("-users", "code")}
ASSOCIATION_SORTS = {"code": ("name",), "name": ("name",), "users": ("-users", "name")}


def organisations(*, q: str = "", sort: str = "code") -> list[OrganisationGroup]:
    """Every association with its members, then the municipalities in no association: two queries whatever
    their number. `q` (part of a name or a code) keeps an association whose name matches (with all its members)
    or one of whose members matches (with those members)."""
    sort = sort if sort in MEMBER_SORTS else "code"
    municipalities = _counted(Municipality.objects.all(), Membership.Role.ADMIN)
    associations = _counted(Association.objects.all(), Membership.Role.SECRETARIAT_ADMIN)
    if q:
        matching = Q(name__icontains=q) | Q(code__icontains=q)
        municipalities = municipalities.filter(matching | Q(association__name__icontains=q))
        associations = associations.filter(
            Q(name__icontains=q) | Q(pk__in=Municipality.objects.filter(matching).values("association_id")))
    groups = {a.pk: OrganisationGroup(_row(a)) for a in associations.order_by(*ASSOCIATION_SORTS[sort], "pk")}
    unaffiliated = OrganisationGroup(None)
    for municipality in municipalities.order_by(*MEMBER_SORTS[sort], "pk"):
        group = groups.get(municipality.association_id) if municipality.association_id else unaffiliated
        if group is not None:
            group.members.append(_row(municipality))
    return [*groups.values(), *([unaffiliated] if unaffiliated.members else [])]


# ---------------------------------------------------------------------------------------------------------------
# The organisation a page of the operator is about (the operator gets past OperatorMixin first).


def association_or_404(pk) -> Association:
    association = Association.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if association is None:
        raise Http404
    return association


def municipality_or_404(code) -> Municipality:
    code = str(code)
    municipality = Municipality.objects.filter(code=code).first() if code.isascii() and code.isdigit() else None
    if municipality is None:
        raise Http404
    return municipality


def members_of(association: Association):
    """The members offered for the first 管理者 on the association's page."""
    return Municipality.objects.filter(association=association)


def joined_members(association: Association):
    """The municipalities that joined the association besides its own members (AssociationMember)."""
    return AssociationMember.objects.filter(association=association).select_related("municipality")


def joined_link_or_404(association: Association, pk) -> AssociationMember:
    link = joined_members(association).filter(pk=pk).first()
    if link is None:
        raise Http404
    return link
