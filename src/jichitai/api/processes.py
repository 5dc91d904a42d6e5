from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router

from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.processes import rules, services
from jichitai.processes.models import Process
from jichitai.processes.queries import progress_matrix
from jichitai.processes.serializers import matrix_json

from .municipalities import process_out
from .schemas import ProcessOut, ProgressCellIn, ProgressRowOut

router = Router(tags=["processes"])

_PROCESSES = Process.objects.select_related("beppyo_item", "ordinance", "department", "municipality")


@router.get("/processes/{process_id}", response=ProcessOut)
def get_process(request, process_id: int):
    return process_out(get_visible_or_404(_PROCESSES, request.user, pk=process_id))


@router.patch("/processes/{process_id}/progress", response=ProgressRowOut)
def set_progress(request, process_id: int, payload: ProgressCellIn):
    process = get_visible_or_404(_PROCESSES, request.user, write=True, pk=process_id)
    column = rules.column_key(payload.column)
    if column is None:
        raise ValidationError(f"列「{payload.column}」はありません。使える列: " + "、".join(rules.COLUMN_NAMES.values()))
    if payload.status not in rules.STATUS_CODES:
        raise ValidationError(f"状態「{payload.status}」はありません。使える値: " + "、".join(rules.STATUS_CODES))
    services.set_progress(actor=request.user, via="api", process=process, column=column, status=payload.status)
    matrix = progress_matrix(request.user, process.municipality, timezone.localdate(),
                             visible(_PROCESSES.filter(pk=process.pk), request.user))
    return matrix_json(matrix)["rows"][0]
