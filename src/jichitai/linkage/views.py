"""Pages of a process's linkages (情報連携確認シート) and of the systems storing numbers. Thin: services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from jichitai.core.http import xlsx_response
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.orgs.views import MunicipalityMixin
from jichitai.processes.forms import ImportForm
from jichitai.processes.models import Process

from . import rules, services, sheet
from .forms import LinkageItemForm, LinkageProfileForm, NumberSystemForm, SystemFilterForm
from .models import LinkageItem, NumberSystem
from .queries import process_linkage, systems_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProcessScopedMixin(MunicipalityMixin):
    """Resolves the URL's process and items within the municipality, through the scoping function."""

    def writing(self) -> bool:
        return self.write or self.request.method not in ("GET", "HEAD")

    def get_process(self, pk) -> Process:
        return get_visible_or_404(Process.objects.filter(municipality=self.municipality), self.request.user,
                                  write=self.writing(), pk=pk)

    def get_item(self, pk) -> LinkageItem:
        return get_visible_or_404(LinkageItem.objects.filter(process__municipality=self.municipality)
                                  .select_related("process__municipality"), self.request.user,
                                  write=self.writing(), pk=pk)


class ProcessLinkageView(ProcessScopedMixin, TemplateView):
    """Items with their problems, the profile form and the sheet's download and upload."""

    template_name = "linkage/process.html"

    def page(self, process, **forms):
        linkage = process_linkage(process, timezone.localdate())
        profile_form = forms.pop("profile_form", None) or LinkageProfileForm(
            instance=linkage.profile, municipality=self.municipality)
        return self.get_context_data(
            process=process, linkage=linkage, profile_form=profile_form,
            import_form=forms.pop("import_form", None) or ImportForm(), report=forms.pop("report", None),
            profile_problem_labels=[rules.PROFILE_PROBLEM_LABEL[code] for code in linkage.profile_problems],
            status_label={"done": "〇 完了", "started": "△ 着手", "not_started": "× 未着手"}[linkage.status],
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.page(self.get_process(kwargs["pk"])))


class ProfileView(ProcessLinkageView):
    def post(self, request, *args, **kwargs):
        process = self.get_process(kwargs["pk"])
        form = LinkageProfileForm(request.POST, municipality=self.municipality)
        if form.is_valid():
            try:
                services.save_profile(actor=request.user, via="web", process=process, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("linkage:process", code=self.municipality.code, pk=process.pk)
        return self.render_to_response(self.page(process, profile_form=form), status=400)


class SheetExportView(ProcessScopedMixin, View):
    def get(self, request, *args, **kwargs):
        process = self.get_process(kwargs["pk"])
        return xlsx_response(sheet.export_bytes(process), f"linkage_{process.pk}.xlsx")


class ItemFormView(ProcessScopedMixin, FormView):
    template_name = "linkage/item_form.html"
    form_class = LinkageItemForm
    write = True

    def get_form_kwargs(self):
        self.item = self.get_item(self.kwargs["item"]) if "item" in self.kwargs else None
        self.process = self.item.process if self.item else self.get_process(self.kwargs["pk"])
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.item}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"process": self.process, "item": self.item}

    def form_valid(self, form):
        try:
            # A fresh copy: the form has already changed its instance, the service needs the stored values.
            services.save_item(actor=self.request.user, via="web", process=self.process,
                               item=self.get_item(self.item.pk) if self.item else None, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("linkage:process", code=self.municipality.code, pk=self.process.pk)


class ItemDeleteView(ProcessScopedMixin, View):
    def post(self, request, *args, **kwargs):
        item = self.get_item(kwargs["item"])
        services.delete_item(actor=request.user, via="web", item=item)
        messages.success(request, _("Deleted."))
        return redirect("linkage:process", code=self.municipality.code, pk=item.process_id)


# ---- Systems storing individual numbers ----


class SystemsMixin(MunicipalityMixin):
    def filtered(self):
        form = SystemFilterForm(self.request.GET or None)
        params = form.cleaned_data if form.is_valid() else {}
        qs = visible(NumberSystem.objects.filter(municipality=self.municipality), self.request.user)
        return form, systems_for(qs, params)


class SystemsView(SystemsMixin, TemplateView):
    template_name = "linkage/systems.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, systems = self.filtered()
        context.update(form=form, systems=systems, flagged=sum(1 for s in systems if s.flagged),
                       export_query=self.request.GET.urlencode())
        return context


class SystemsExportView(SystemsMixin, View):
    def get(self, request, *args, **kwargs):
        from .export import systems_bytes

        _form, systems = self.filtered()
        response = HttpResponse(systems_bytes(self.municipality, systems), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="systems_{self.municipality.code}.xlsx"'
        return response


class SystemsSyncView(MunicipalityMixin, View):
    """Create and link systems from the register's 「使用システム」 (the same service as the demo uses)."""

    def post(self, request, *args, **kwargs):
        result = services.sync_systems_from_register(self.municipality, actor=request.user, via="web")
        messages.success(request, _("%(created)s systems added and %(linked)s links made from the register.")
                         % result)
        return redirect("linkage:systems", code=self.municipality.code)


class SystemFormView(MunicipalityMixin, FormView):
    template_name = "linkage/system_form.html"
    form_class = NumberSystemForm
    write = True

    def get_system(self):
        if "system" not in self.kwargs:
            return None
        return get_visible_or_404(NumberSystem.objects.filter(municipality=self.municipality), self.request.user,
                                  write=True, pk=self.kwargs["system"])

    def get_form_kwargs(self):
        self.system = self.get_system()
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.system}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"system": self.system}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in ("name", "stores_numbers", "notes")}
        try:
            services.save_system(actor=self.request.user, via="web", municipality=self.municipality,
                                 system=self.get_system(), processes=form.cleaned_data["processes"], **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("linkage:systems", code=self.municipality.code)
