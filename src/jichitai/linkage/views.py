"""Pages of a process's linkages (情報連携確認シート) and of the systems storing numbers. Thin: services write."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.views import ServiceFormView
from jichitai.orgs.scoping import visible
from jichitai.orgs.views import MunicipalityMixin
from jichitai.processes.forms import ImportForm
from jichitai.processes.views import ProcessScopedMixin

from . import rules, services, sheet
from .forms import LinkageItemForm, LinkageProfileForm, NumberSystemForm, SystemFilterForm
from .models import LinkageItem, NumberSystem
from .queries import process_linkage, systems_for


class ItemScopedMixin(ProcessScopedMixin):
    """Also resolves the URL's linkage item within the municipality."""

    def get_item(self, pk) -> LinkageItem:
        return self.scoped(LinkageItem.objects.filter(process__municipality=self.municipality)
                           .select_related("process__municipality"), pk=pk)


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


class ProfileView(ProcessLinkageView, ServiceFormView):
    """The profile form of the linkage page; refused, the whole page again with its errors (400)."""

    form_class = LinkageProfileForm

    def post(self, request, *args, **kwargs):
        self.process = self.get_process(kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"municipality": self.municipality}

    def save(self, form):
        return services.save_profile(actor=self.request.user, via="web", process=self.process, **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("linkage:process", args=[self.municipality.code, self.process.pk])

    def form_invalid(self, form):
        return self.render_to_response(self.page(self.process, profile_form=form), status=400)


class SheetExportView(ProcessScopedMixin, View):
    def get(self, request, *args, **kwargs):
        process = self.get_process(kwargs["pk"])
        return xlsx_response(sheet.export_bytes(process), f"linkage_{process.pk}.xlsx")


class ItemFormView(ItemScopedMixin, ServiceFormView):
    template_name = "linkage/item_form.html"
    form_class = LinkageItemForm
    write = True

    def get_form_kwargs(self):
        self.item = self.get_item(self.kwargs["item"]) if "item" in self.kwargs else None
        self.process = self.item.process if self.item else self.get_process(self.kwargs["pk"])
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.item}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"process": self.process, "item": self.item}

    def save(self, form):
        # A fresh copy: the form has already changed its instance, the service needs the stored values.
        return services.save_item(actor=self.request.user, via="web", process=self.process,
                                  item=self.get_item(self.item.pk) if self.item else None, **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("linkage:process", args=[self.municipality.code, self.process.pk])


class ItemDeleteView(ItemScopedMixin, View):
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
        return xlsx_response(systems_bytes(self.municipality, systems), f"systems_{self.municipality.code}.xlsx")


class SystemsSyncView(MunicipalityMixin, View):
    """Create and link systems from the register's 「使用システム」 (the same service as the demo uses)."""

    def post(self, request, *args, **kwargs):
        result = services.sync_systems_from_register(self.municipality, actor=request.user, via="web")
        messages.success(request, _("%(created)s systems added and %(linked)s links made from the register.")
                         % result)
        return redirect("linkage:systems", code=self.municipality.code)


class SystemFormView(MunicipalityMixin, ServiceFormView):
    template_name = "form.html"
    form_class = NumberSystemForm
    write = True

    def get_system(self):
        if "system" not in self.kwargs:
            return None
        return self.scoped(NumberSystem.objects.filter(municipality=self.municipality), pk=self.kwargs["system"])

    def get_form_kwargs(self):
        self.system = self.get_system()
        return super().get_form_kwargs() | {"municipality": self.municipality, "instance": self.system}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves the system
        title = f"{_('Edit system')} {self.system.name}" if self.system else _("Add system")
        return context | {"title": title, "cancel_url": reverse("linkage:systems", args=[self.municipality.code])}

    def save(self, form):
        fields = {name: form.cleaned_data[name] for name in ("name", "stores_numbers", "notes")}
        # A fresh copy: the form has already changed its instance, the service needs the stored values.
        return services.save_system(actor=self.request.user, via="web", municipality=self.municipality,
                                    system=self.get_system(), processes=form.cleaned_data["processes"], **fields)

    def success_url_for(self, saved) -> str:
        return reverse("linkage:systems", args=[self.municipality.code])
