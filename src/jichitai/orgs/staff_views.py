"""Staff and departments over time (職員・課室): lists as of any day, each person's history, and the dated changes
(transfer, role change, retirement; rename, merge, abolition). Every write is one service call."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.views import ServiceFormView

from . import queries, services
from .export import staff_workbook
from .forms import (
    DepartmentAbolishForm,
    DepartmentFilterForm,
    DepartmentMergeForm,
    DepartmentRenameForm,
    StaffEditForm,
    StaffFilterForm,
    StaffReassignForm,
    StaffRetireForm,
)
from .models import Department, Staff
from .views import MunicipalityMixin


class StaffListMixin(MunicipalityMixin):
    """The filtered staff as of the form's day (today by default): department and role from each one's history."""

    def listing(self):
        """(form, day, people): people a queries.StaffList, paged in SQL by the page, read whole by the export.
        A field that does not validate (an unknown sort, a future day) falls back to its default; the others apply."""
        form = StaffFilterForm(self.request.GET or None)
        params = {}
        if form.is_bound:
            form.is_valid()  # the errors are shown; cleaned_data holds the fields that validated
            params = form.cleaned_data
        day = params.get("as_of") or timezone.localdate()
        departments = queries.departments_on([self.municipality.pk], day)
        form.fields["department"].widget.choices = [("", "すべて")] + [
            (d.pk, d.name) for d in sorted(departments.values(), key=lambda d: d.name) if d.exists_on(day)]
        people = queries.staff_list([self.municipality.pk], day, departments,
                                    include_retired=bool(params.get("retired")), q=params.get("q") or "",
                                    role=params.get("role") or "", department=params.get("department"),
                                    sort=params.get("sort") or "staff_number")
        return form, day, people


class StaffListView(StaffListMixin, TemplateView):
    """100 people a page. Queries: the day's sections (two), the COUNT and the page, whatever the size and page."""

    template_name = "orgs/staff.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, day, people = self.listing()
        page = Paginator(people, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(form=form, as_of=day, today=day == timezone.localdate(), object_list=page.object_list,
                       page_obj=page, is_paginated=page.paginator.num_pages > 1, total=page.paginator.count,
                       export_query=self.request.GET.urlencode())
        return context


class StaffExportView(StaffListMixin, View):
    def get(self, request, *args, **kwargs):
        _form, day, people = self.listing()
        return xlsx_response(staff_workbook(people, self.municipality.name, day),
                             f"職員一覧_{self.municipality.code}_{day:%Y%m%d}.xlsx")


class StaffMixin(MunicipalityMixin):
    def get_staff(self) -> Staff:
        return self.scoped(Staff.objects.filter(municipality=self.municipality).select_related("department"),
                           pk=self.kwargs["staff"])


class StaffDetailView(StaffMixin, TemplateView):
    template_name = "orgs/staff_detail.html"

    def get_context_data(self, **kwargs):
        staff = self.get_staff()
        return super().get_context_data(**kwargs) | {
            "person": staff, "history": queries.staff_history(staff),
            "in_office": staff.retired_on is None or staff.retired_on >= timezone.localdate()}


class StaffFormView(StaffMixin, ServiceFormView):
    template_name = "form.html"
    write = True
    title = ""

    def get_form_kwargs(self):
        self.staff = self.get_staff()
        return super().get_form_kwargs() | {"municipality": self.municipality}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": f"{self.staff.name} {self.title}", "cancel_url": self.success_url_for(None)}

    def success_url_for(self, saved) -> str:
        return reverse("orgs:staff_detail", args=[self.municipality.code, self.staff.pk])


class StaffEditView(StaffFormView):
    form_class = StaffEditForm
    title = "職員情報の修正"

    def get_form_kwargs(self):
        # The form edits a copy: the service compares against the stored row.
        return super().get_form_kwargs() | {"instance": self.get_staff()}

    def save(self, form):
        return services.update_staff(actor=self.request.user, via="web", staff=self.staff,
                                     **{name: form.cleaned_data[name] for name in form.Meta.fields})


class StaffReassignView(StaffFormView):
    form_class = StaffReassignForm
    title = "異動・役割変更"

    def get_initial(self):
        staff = self.get_staff()
        return {"department": staff.department_id, "role": staff.role}

    def save(self, form):
        data = form.cleaned_data
        return services.reassign_staff(actor=self.request.user, via="web", staff=self.staff,
                                       department=data["department"], role=data["role"], on=data["on"])


class StaffRetireView(StaffFormView):
    form_class = StaffRetireForm
    title = "退職の登録"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["municipality"]
        return kwargs

    def save(self, form):
        return services.retire_staff(actor=self.request.user, via="web", staff=self.staff, on=form.cleaned_data["on"])


# ---- departments ----------------------------------------------------------------------------------------------


class DepartmentListView(MunicipalityMixin, TemplateView):
    template_name = "orgs/departments.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DepartmentFilterForm(self.request.GET or None)
        params = form.cleaned_data if form.is_valid() else {}
        day = params.get("as_of") or timezone.localdate()
        departments = queries.departments_on([self.municipality.pk], day)
        people = queries.staff_as_of([self.municipality.pk], day, departments=departments)
        rows = sorted(queries.count_by_department(people, departments).values(), key=lambda d: d.name)
        if not params.get("abolished"):
            rows = [d for d in rows if d.exists_on(day)]
        context.update(form=form, as_of=day, today=day == timezone.localdate(), departments=rows,
                       unassigned=sum(1 for p in people if p.department_id is None))
        return context


class DepartmentFormView(MunicipalityMixin, ServiceFormView):
    template_name = "form.html"
    write = True
    title = ""

    def get_form_kwargs(self):
        self.department = self.scoped(Department.objects.filter(municipality=self.municipality),
                                      pk=self.kwargs["department"])
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": f"{self.department.name} {self.title}", "cancel_url": self.success_url_for(None),
            "help": self.help}

    def success_url_for(self, saved) -> str:
        return reverse("orgs:departments", args=[self.municipality.code])


class DepartmentRenameView(DepartmentFormView):
    form_class = DepartmentRenameForm
    title = "名称変更"

    def get_initial(self):
        return {"name": self.department.name}
    help = "変更前の名称は履歴に残り、変更日より前の基準日では旧名称で表示されます。"

    def save(self, form):
        return services.rename_department(actor=self.request.user, via="web", department=self.department,
                                          name=form.cleaned_data["name"], on=form.cleaned_data["on"])


class DepartmentMergeView(DepartmentFormView):
    form_class = DepartmentMergeForm
    title = "統合"
    help = "在籍する職員と担当する事務は統合日に統合先へ移り、この課室は統合日をもって廃止されます。"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["into"].queryset = form.fields["into"].queryset.exclude(pk=self.department.pk)
        return form

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"municipality": self.municipality}

    def save(self, form):
        return services.merge_department(actor=self.request.user, via="web", department=self.department,
                                         into=form.cleaned_data["into"], on=form.cleaned_data["on"])


class DepartmentAbolishView(DepartmentFormView):
    form_class = DepartmentAbolishForm
    title = "廃止"
    help = "廃止日以降も在籍する職員がいる場合は廃止できません。課室の記録は削除されず、過去の基準日では表示されます。"

    def save(self, form):
        return services.abolish_department(actor=self.request.user, via="web", department=self.department,
                                           on=form.cleaned_data["on"])
