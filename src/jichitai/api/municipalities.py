
from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router

from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.processes.queries import processes_for, progress_matrix
from jichitai.processes.serializers import matrix_json

from .schemas import MunicipalityOut, ProcessOut, ProgressMatrixOut, WarekiDate

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
def list_municipalities(request):
    return [municipality_out(m) for m in visible(Municipality.objects.select_related("association"), request.user)]


@router.get("/municipalities/{code}/processes", response=list[ProcessOut])
def list_processes(request, code: str):
    municipality = get_visible_or_404(Municipality.objects.all(), request.user, code=code)
    return [process_out(p) for p in processes_for(request.user, municipality)]


@router.get("/municipalities/{code}/progress", response=ProgressMatrixOut)
def get_progress(request, code: str, as_of: WarekiDate | None = None):
    municipality = get_visible_or_404(Municipality.objects.all(), request.user, code=code)
    today = timezone.localdate()
    if as_of is not None and as_of > today:
        raise ValidationError("as_of に未来の日付は指定できません。")
    return matrix_json(progress_matrix(request.user, municipality, as_of or today))
