from django.views.generic import ListView

from jichitai.orgs.scoping import visible
from jichitai.orgs.views import MunicipalityMixin

from .models import AuditEntry


class AuditLogView(MunicipalityMixin, ListView):
    template_name = "audit/log.html"
    paginate_by = 100

    def get_queryset(self):
        qs = visible(AuditEntry.objects.filter(municipality=self.municipality), self.request.user)
        if action := self.request.GET.get("action"):
            qs = qs.filter(action__startswith=action)
        if actor := self.request.GET.get("actor"):
            qs = qs.filter(actor_name__icontains=actor)
        return qs
