"""Pages of a process's business flow, handling table and risk analysis. Thin: services do the writing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import SVG, attachment, docx_response, xlsx_response
from jichitai.core.validators import reject_null_characters_in_json
from jichitai.core.views import ServiceFormView
from jichitai.orgs.models import Department, Municipality
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin
from jichitai.processes.models import Process
from jichitai.processes.views import ProcessScopedMixin
from jichitai.risk import rules as risk_rules
from jichitai.risk.queries import settings_for

from . import export, rules, rules_draft, services
from .forms import (
    AnalysisRowFilterForm,
    ApproveForm,
    CountermeasureFormSet,
    FlowStepForm,
    HandlingRowForm,
    ReviewForm,
    RiskRowForm,
)
from .models import FlowStep, HandlingRow, ProcessTemplate
from .queries import analysis_of, analysis_rows, flow_svg, review_of


class AnalysisMixin(ProcessScopedMixin):
    """A page about a process's analysis: its process, or one of its handling rows."""

    def get_row(self, pk):
        return self.scoped(HandlingRow.objects.filter(process__municipality=self.municipality)
                           .select_related("process"), pk=pk)

    def back_to_analysis(self, process_id):
        return redirect("handling:analysis", code=self.municipality.code, pk=process_id)


class AnalysisView(AnalysisMixin, TemplateView):
    """The flow (all its steps: they are few), one page of the handling table with its risk rows, filtered and
    sorted in the database, the review and the approvals. The same queries whatever the size of the table."""

    template_name = "handling/analysis.html"
    PER_PAGE = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = self.get_process(self.kwargs["pk"])
        analysis, events, steps = analysis_of(process)
        level = settings_for(self.municipality).acceptance_level
        row_filter = AnalysisRowFilterForm(self.request.GET or None)
        page = Paginator(analysis_rows(process, row_filter.params(), level), self.PER_PAGE).get_page(
            self.request.GET.get("page"))
        rows = list(page.object_list)
        context.update(
            process=process, analysis=analysis, events=events, steps=steps, by_stage=rows,
            row_filter=row_filter, filtering=row_filter.filtering(), page_obj=page,
            is_paginated=page.paginator.num_pages > 1, total=page.paginator.count,
            svg=flow_svg(process, steps), step_form=FlowStepForm(initial={"order": len(steps) + 1}),
            approve_form=ApproveForm(municipality=self.municipality), acceptance_level=level,
            attention={r.pk for r in rows if hasattr(r, "risk") and risk_rules.needs_attention(r.risk.residual, level)},
            stage_label=rules.STAGE_LABEL, lane_label=rules.LANE_LABEL,
            review=review_of(analysis, events, self.municipality.association),
            review_form=ReviewForm(initial={"review_interval_months": analysis and analysis.review_interval_months}),
        )
        return context


class FlowSvgView(AnalysisMixin, View):
    def get(self, request, *args, **kwargs):
        process = self.get_process(kwargs["pk"])
        steps = visible(FlowStep.objects.filter(process=process), request.user)
        return attachment(flow_svg(process, list(steps)), f"flow_{process.pk}.svg", SVG)


class FlowStepView(AnalysisMixin, TemplateView):
    """htmx: GET ?edit=1 turns a step row into a form; POST saves (or adds) and returns the row."""

    template_name = "handling/_step_row.html"

    def get_step(self):
        if "step" not in self.kwargs:
            return None
        return self.scoped(FlowStep.objects.filter(process__municipality=self.municipality), pk=self.kwargs["step"])

    def get(self, request, *args, **kwargs):
        step = self.get_step()
        if step is None:  # steps/new/ only takes a POST (the analysis page's add form); 404 outside the tenancy
            self.get_process(kwargs["pk"])
            return HttpResponseNotAllowed(["POST"])
        editing = request.GET.get("edit") == "1" and self.can_write
        return self.render_to_response(self.row_context(step, FlowStepForm(instance=step) if editing else None))

    def post(self, request, *args, **kwargs):
        step = self.get_step()
        process = step.process if step else self.get_process(kwargs["pk"])
        form = FlowStepForm(request.POST, instance=step)
        if form.is_valid():
            try:
                step = services.save_flow_step(actor=request.user, via="web", process=process,
                                               step=self.get_step(), **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
        if form.errors:
            response = self.render_to_response(self.row_context(step, form, process))
            response.status_code = 400
            return response
        if "step" not in kwargs:  # added: reload the page so the diagram shows it
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return self.render_to_response(self.row_context(step, None))

    def row_context(self, step, form, process=None):
        """`step` is None for a refused new step: the form posts to steps/new/ of `process` again."""
        return {"municipality": self.municipality, "step": step, "process": process, "form": form,
                "can_write": self.can_write,
                "lane_label": rules.LANE_LABEL, "stage_label": rules.STAGE_LABEL}


class FlowStepDeleteView(AnalysisMixin, View):
    def post(self, request, *args, **kwargs):
        step = self.scoped(FlowStep.objects.filter(process__municipality=self.municipality).select_related("process"),
                           pk=kwargs["step"])
        services.delete_flow_step(actor=request.user, via="web", step=step)
        return self.back_to_analysis(step.process_id)


class HandlingRowFormView(AnalysisMixin, ServiceFormView):
    template_name = "handling/row_form.html"
    form_class = HandlingRowForm
    write = True

    def setup_objects(self):
        self.row = self.get_row(self.kwargs["row"]) if "row" in self.kwargs else None
        self.process = self.row.process if self.row else self.get_process(self.kwargs["pk"])

    def get_form_kwargs(self):
        self.setup_objects()
        return super().get_form_kwargs() | {"process": self.process, "instance": self.row}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"process": self.process, "row": self.row}

    def save(self, form):
        # A fresh copy of the row: the form has already changed its instance, the service needs the stored values.
        return services.save_handling_row(actor=self.request.user, via="web", process=self.process,
                                          row=self.get_row(self.row.pk) if self.row else None, **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("handling:analysis", args=[self.municipality.code, self.process.pk])


class HandlingRowDeleteView(AnalysisMixin, View):
    def post(self, request, *args, **kwargs):
        row = self.get_row(kwargs["row"])
        try:
            services.delete_handling_row(actor=request.user, via="web", row=row)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return self.back_to_analysis(row.process_id)


class RiskRowFormView(AnalysisMixin, TemplateView):
    """The analysis of one handling row, with its countermeasures as a formset."""

    template_name = "handling/risk_form.html"
    write = True

    def forms(self, data=None):
        self.row = self.get_row(self.kwargs["row"])
        risk = getattr(self.row, "risk", None)
        initial = [{"text": m.text, "reduction": m.reduction, "factor": m.factor, "category": m.category}
                   for m in risk.countermeasures.all()] if risk else []
        return (RiskRowForm(data, instance=risk, prefix="risk"),
                CountermeasureFormSet(data, initial=initial, prefix="cm"))

    def get(self, request, *args, **kwargs):
        form, formset = self.forms()
        return self.render_to_response(self.page(form, formset))

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            measures = [{k: f.cleaned_data[k] for k in ("text", "reduction", "factor", "category")}
                        for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                services.save_risk_row(actor=request.user, via="web", handling_row=self.row,
                                            countermeasures=measures, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return self.back_to_analysis(self.row.process_id)
        return self.render_to_response(self.page(form, formset), status=400)

    def page(self, form, formset):
        scales = settings_for(self.municipality).scales
        return self.get_context_data(row=self.row, process=self.row.process, form=form, formset=formset,
                                     scales=scales)


class ApproveView(AnalysisMixin, View):
    def post(self, request, *args, **kwargs):
        process = self.get_process(kwargs["pk"])
        form = ApproveForm(request.POST, municipality=self.municipality)
        if form.is_valid():
            try:
                services.approve(actor=request.user, via="web", process=process, **form.cleaned_data)
                messages.success(request, _("Approved."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return self.back_to_analysis(process.pk)


class SheetsExportView(AnalysisMixin, View):
    """Both sheets of the process as one .xlsx in the seed's layout (same code as `jichitai export risk`)."""

    def get(self, request, *args, **kwargs):
        process = self.get_process(kwargs["pk"])
        return xlsx_response(export.export_bytes(process, settings_for(self.municipality)),
                             f"analysis_{process.pk}.xlsx")


class TemplateListView(AssociationMixin, TemplateView):
    """The association's model processes; the secretariat publishes one from a member's documented process."""

    template_name = "handling/templates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        templates = visible(ProcessTemplate.objects.filter(association=self.association), self.request.user)
        documented = visible(Process.objects.filter(municipality__in=Municipality.objects.member_ids(self.association),
                                                    handling_rows__isnull=False), self.request.user)
        context.update(association=self.association, templates=templates,
                       sources=documented.select_related("municipality").distinct().order_by(
                           "municipality__code", "name"))
        return context

    def post(self, request, *args, **kwargs):
        # Reading the member's process is enough (the secretariat never writes it): publishing copies it.
        process = get_visible_or_404(Process.objects.select_related("municipality"), request.user,
                                     pk=request.POST.get("process") or 0)
        name, description = request.POST.get("name", "").strip(), request.POST.get("description", "")
        try:
            reject_null_characters_in_json([name, description])  # not a form: what a form's CharField refuses
            services.publish_template(actor=request.user, via="web", association=self.association, process=process,
                                      name=name, description=description)
            messages.success(request, _("Published."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("handling:templates", pk=self.association.pk)


class TemplateCopyView(AnalysisMixin, View):
    """A member copies a model process of its association into one of its processes."""

    def post(self, request, *args, **kwargs):
        # The template is the association's: members read it, so a reader's lookup (write=False) is right here.
        template = get_visible_or_404(ProcessTemplate.objects.all(), request.user, pk=kwargs["template"])
        process = self.get_process(request.POST.get("process") or 0)
        try:
            services.copy_template(actor=request.user, via="web", template=template, process=process)
            messages.success(request, _("Copied. Adapt the flow and tables to your municipality."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("handling:member_templates", code=self.municipality.code)
        return self.back_to_analysis(process.pk)


class MemberTemplatesView(MunicipalityMixin, TemplateView):
    template_name = "handling/member_templates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            templates=visible(ProcessTemplate.objects.filter(association_id=self.municipality.association_id),
                              self.request.user),
            processes=visible(Process.objects.filter(municipality=self.municipality, handling_rows__isnull=True,
                                                     flow_steps__isnull=True), self.request.user).distinct())
        return context


class RulesDraftView(MunicipalityMixin, View):
    """A department's draft 取扱規程 (.docx) from its approved handling tables."""

    def get(self, request, *args, **kwargs):
        department = self.scoped(Department.objects.filter(municipality=self.municipality)
                                 .select_related("municipality"), pk=kwargs["department"])
        try:
            data = rules_draft.export_bytes(department)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("orgs:staff", code=self.municipality.code)
        return docx_response(data, f"rules_{department.pk}.docx")
