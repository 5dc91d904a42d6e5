"""The members' stored summaries on the association pages: kept fresh, and re-evaluated in the background."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jichitai.orgs.views import AssociationMixin

from .summary_queries import latest_run, members_of, stale_member_ids
from .summary_services import evaluate_members, start_evaluation

# Up to this many stale members are re-evaluated while the page is asked for (one batch, well under a second);
# more, after a day's change or a large import, are left to a run, and the page says how old its figures are.
INLINE_REFRESH = 50


def refresh_stale(user, association) -> list[int]:
    """Re-evaluate a few stale members at once; return the members still stale (left to a run)."""
    today = timezone.localdate()
    stale = stale_member_ids(user, association, today)
    if 0 < len(stale) <= INLINE_REFRESH:
        evaluate_members(stale, today)
        return []
    return stale


def summary_context(user, association, stale: list[int]) -> dict:
    return {"stale_members": len(stale), "evaluation": latest_run(user, association)}


class EvaluationStartView(AssociationMixin, View):
    """POST: evaluate every member again, in the background (the secretariat only)."""

    def post(self, request, *args, **kwargs):
        run = latest_run(request.user, self.association)
        if run is not None and run.state in (run.State.QUEUED, run.State.RUNNING) and not run.interrupted:
            messages.info(request, _("An evaluation is already running."))
        else:
            ids = list(members_of(request.user, self.association).order_by("pk").values_list("pk", flat=True))
            start_evaluation(actor=request.user, via="web", association=self.association, member_ids=ids)
            messages.success(request, _("The evaluation of every member has started."))
        back = request.POST.get("next", "")
        if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
            back = reverse("processes:association", kwargs={"pk": self.association.pk})
        return HttpResponseRedirect(back)


class EvaluationStatusView(AssociationMixin, TemplateView):
    """The run's progress, polled by the page while it runs."""

    template_name = "processes/_evaluation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = latest_run(self.request.user, self.association)
        context.update(evaluation=run, interrupted=run is not None and run.interrupted,
                       next=self.request.GET.get("next", ""))
        return context
