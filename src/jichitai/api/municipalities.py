
from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.processes.queries import processes_for, progress_matrix
from jichitai.processes.serializers import matrix_json

from .pagination import Listing, Pages, each
from .schemas import MunicipalityOut, ProcessOut, ProgressMatrixOut, ProgressRowOut, WarekiDate

router = Router(tags=["municipalities"])


def municipality_out(m: Municipality) -> dict:
    return {"code": m.code, "name": m.name, "population": m.population,
            "association": m.association.name if m.association_id else None}


def process_out(p) -> dict:
    return {"id": p.id, "name": p.name, "legal_basis": p.legal_basis_label,
            "department": p.department.name if p.department_id else None,
            "persons_count": p.persons_count, "handlers_count": p.handlers_count,
            "systems": p.systems, "notes": p.notes, "registered_on": p.registered_on}


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(Pages, key="code", key_type=str)
def list_municipalities(request):
    """The municipalities the user may see, by 団体コード."""
    return Listing(visible(Municipality.objects.select_related("association"), request.user), each(municipality_out))


@router.get("/municipalities/{code}/processes", response=list[ProcessOut])
@paginate(Pages)
def list_processes(request, code: str):
    """The municipality's processes using individual numbers, by `id`."""
    municipality = get_visible_or_404(Municipality.objects.all(), request.user, code=code)
    return Listing(processes_for(request.user, municipality), each(process_out))


def _progress_date(as_of):
    today = timezone.localdate()
    if as_of is not None and as_of > today:
        raise ValidationError("as_of に未来の日付は指定できません。")
    return as_of or today


@router.get("/municipalities/{code}/progress", response=ProgressMatrixOut)
def get_progress(request, code: str, as_of: WarekiDate | None = None):
    """The matrix's columns and totals; its rows, one page at a time, at …/progress/rows."""
    municipality = get_visible_or_404(Municipality.objects.all(), request.user, code=code)
    matrix = matrix_json(progress_matrix(request.user, municipality, _progress_date(as_of)))
    return {name: value for name, value in matrix.items() if name != "rows"}


@router.get("/municipalities/{code}/progress/rows", response=list[ProgressRowOut])
@paginate(Pages)
def list_progress_rows(request, code: str, as_of: WarekiDate | None = None):
    """One row of the matrix per process registered by `as_of`, by process `id`."""
    municipality = get_visible_or_404(Municipality.objects.all(), request.user, code=code)
    as_of = _progress_date(as_of)
    processes = processes_for(request.user, municipality).filter(registered_on__lte=as_of)

    def present(page):
        shown = processes_for(request.user, municipality).filter(pk__in=[p.pk for p in page])
        rows = {row["id"]: row for row in matrix_json(progress_matrix(request.user, municipality, as_of, shown))["rows"]}
        return [rows[p.pk] for p in page]
    return Listing(processes, present)
