"""Training pages. Thin: queries read, services write; tenancy through orgs.scoping and training.queries."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from jichitai.core.wareki import fiscal_year, fiscal_year_label
from jichitai.orgs.models import Municipality, Staff
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.orgs.views import AssociationMixin, MunicipalityMixin

from . import export, queries, rules, services
from .forms import (
    AsOfForm,
    AttendanceForm,
    CourseForm,
    JointSessionForm,
    PlanItemForm,
    SessionFilterForm,
    SessionForm,
    TrainingSettingsForm,
)
from .models import Attendance, PlanItem

PEOPLE_COLUMNS = [("staff_number", gettext_lazy("職員番号")), ("name", gettext_lazy("氏名")),
                  ("department", gettext_lazy("所属")), ("role", gettext_lazy("役割")),
                  ("last_trained", gettext_lazy("最終受講日")), ("due_on", gettext_lazy("受講期限"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TrainingMixin(MunicipalityMixin):
    def own_ids(self):
        """This municipality's id as a scoped subquery: the lists below never reach past the user's tenancy."""
        return visible(Municipality.objects.filter(pk=self.municipality.pk), self.request.user).values("id")

    def as_of_form(self):
        form = AsOfForm(self.request.GET or None)
        return form, form.as_of_or_today()


# ---- dashboard --------------------------------------------------------------------------------------------


class DashboardView(TrainingMixin, TemplateView):
    template_name = "training/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, as_of = self.as_of_form()
        year = fiscal_year(as_of)
        people = queries.training_status(self.own_ids(), as_of)
        untrained, usort = queries.sort_people([p for p in people if p.status == rules.UNTRAINED],
                                               self.request.GET.get("usort"), "days_overdue")
        due_soon, dsort = queries.sort_people([p for p in people if p.status == rules.DUE_SOON],
                                              self.request.GET.get("dsort"), "days_left")
        sessions, _sort = queries.session_list(queries.sessions_visible_to(self.request.user, self.municipality),
                                               self.own_ids(), year=year, sort="held_on")
        context.update(
            form=form, as_of=as_of, year=year, year_label=fiscal_year_label(year),
            settings=queries.settings_for(self.municipality),
            plan=queries.plan_of(self.request.user, self.municipality, year), sessions=sessions,
            untrained=untrained, due_soon=due_soon, usort=usort, dsort=dsort, total=len(people),
            untrained_columns=PEOPLE_COLUMNS + [("days_overdue", gettext_lazy("超過日数"))],
            due_columns=PEOPLE_COLUMNS + [("days_left", gettext_lazy("残日数"))],
            trained=sum(p.status == rules.TRAINED for p in people),
            gaps=queries.sessions_missing_records(self.own_ids(), as_of),
        )
        return context


class StatusExportView(TrainingMixin, View):
    """?list=untrained|due_soon|all, sorted like the page (?sort=…)."""

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("list", "untrained")
        if kind not in export.STATUS_TITLES:
            raise Http404
        _form, as_of = self.as_of_form()
        people = queries.training_status(self.own_ids(), as_of)
        if kind != "all":
            people = [p for p in people if p.status == kind]
        people, _sort = queries.sort_people(people, request.GET.get("sort"),
                                            "days_left" if kind == rules.DUE_SOON else "days_overdue")
        data = export.people_bytes(self.municipality, as_of, kind, people)
        return xlsx_response(data, f"training_{kind}_{self.municipality.code}_{as_of:%Y%m%d}.xlsx")


# ---- sessions ---------------------------------------------------------------------------------------------


class SessionListMixin(TrainingMixin):
    def filtered_sessions(self):
        courses = queries.courses_for_municipality(self.request.user, self.municipality)
        form = SessionFilterForm(self.request.GET or None, courses=courses)
        data = form.cleaned_data if form.is_valid() else {}
        course = data.get("course")
        sessions, sort = queries.session_list(
            queries.sessions_visible_to(self.request.user, self.municipality), self.own_ids(),
            year=data.get("year"), course=course.pk if course else None, sort=data.get("sort"))
        return form, sessions, sort


class SessionListView(SessionListMixin, TemplateView):
    template_name = "training/sessions.html"

    def get_context_data(self, **kwargs):
        form, sessions, sort = self.filtered_sessions()
        return super().get_context_data(**kwargs) | {"form": form, "sessions": sessions, "sort": sort,
                                                     "export_query": self.request.GET.urlencode()}


class SessionExportView(SessionListMixin, View):
    def get(self, request, *args, **kwargs):
        _form, sessions, _sort = self.filtered_sessions()
        return xlsx_response(export.sessions_bytes(self.municipality, sessions),
                             f"training_sessions_{self.municipality.code}.xlsx")


class SessionFormView(TrainingMixin, FormView):
    """A session the municipality organises itself (it is its only participant)."""

    template_name = "training/form.html"
    form_class = SessionForm
    write = True

    def get_session(self):
        if "session" not in self.kwargs:
            return None
        return queries.get_session_or_404(self.request.user, self.municipality, self.kwargs["session"],
                                          write=True, organised=True)

    def get_form_kwargs(self):
        self.session = self.get_session()
        return super().get_form_kwargs() | {
            "instance": self.session, "courses": queries.courses_for_municipality(self.request.user, self.municipality)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves self.session
        return context | {"title": _("Edit session") if self.session else _("Add session")}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in SessionForm.Meta.fields}
        try:
            session = services.save_session(actor=self.request.user, via="web", session=self.session,
                                            organiser_municipality=self.municipality, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("training:attendance", code=self.municipality.code, session=session.pk)


class AttendanceView(TrainingMixin, FormView):
    """The municipality marks which of its people attended a session it takes part in."""

    template_name = "training/attendance.html"
    form_class = AttendanceForm

    def get_form_kwargs(self):
        self.session = queries.get_session_or_404(self.request.user, self.municipality, self.kwargs["session"],
                                                  write=self.request.method == "POST")
        self.existing = {a.staff_id: a for a in visible(
            Attendance.objects.filter(session=self.session, staff__municipality=self.municipality), self.request.user)}
        audience = self.session.course.audience or [role for role, _label in Staff.Role.choices]
        people = visible(Staff.objects.filter(municipality=self.municipality), self.request.user)
        people = [p for p in people.select_related("department")
                  if p.role in audience or p.pk in self.existing]
        return super().get_form_kwargs() | {"people": people, "existing": self.existing}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"session": self.session}

    def form_valid(self, form):
        try:
            created, updated = services.mark_attendance(actor=self.request.user, via="web", session=self.session,
                                                        municipality=self.municipality, entries=form.entries())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(created)d added, %(updated)d changed.")
                         % {"created": created, "updated": updated})
        return redirect("training:attendance", code=self.municipality.code, session=self.session.pk)


# ---- courses ----------------------------------------------------------------------------------------------


class CourseListView(TrainingMixin, FormView):
    """The curriculum the municipality can use; its own courses are added here."""

    template_name = "training/courses.html"
    form_class = CourseForm

    def get_context_data(self, **kwargs):
        courses = queries.courses_for_municipality(self.request.user, self.municipality).select_related(
            "association", "municipality")
        return super().get_context_data(**kwargs) | {"courses": courses}

    def form_valid(self, form):
        try:
            services.create_course(actor=self.request.user, via="web", municipality=self.municipality,
                                   **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("training:courses", code=self.municipality.code)


# ---- plans ------------------------------------------------------------------------------------------------


class PlanView(TrainingMixin, TemplateView):
    """GET: the fiscal year's plan; POST: create it, pre-filled with the curriculum."""

    template_name = "training/plan.html"

    def get_context_data(self, **kwargs):
        year = self.kwargs["year"]
        return super().get_context_data(**kwargs) | {
            "year": year, "year_label": fiscal_year_label(year),
            "plan": queries.plan_of(self.request.user, self.municipality, year)}

    def post(self, request, *args, **kwargs):
        year = kwargs["year"]
        courses = queries.courses_for_municipality(request.user, self.municipality)
        try:
            services.create_plan(actor=request.user, via="web", municipality=self.municipality, fiscal_year=year,
                                 courses=list(courses))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The plan was created from the curriculum. Set the months."))
        return redirect("training:plan", code=self.municipality.code, year=year)


class PlanItemFormView(TrainingMixin, FormView):
    template_name = "training/form.html"
    form_class = PlanItemForm
    write = True

    def setup_objects(self):
        if "item" in self.kwargs:
            self.item = get_visible_or_404(PlanItem.objects.filter(plan__municipality=self.municipality)
                                           .select_related("plan__municipality", "course"),
                                           self.request.user, write=True, pk=self.kwargs["item"])
            self.plan = self.item.plan
        else:
            self.item = None
            self.plan = queries.plan_of(self.request.user, self.municipality, self.kwargs["year"])
            if self.plan is None:
                raise Http404

    def get_form_kwargs(self):
        self.setup_objects()
        return super().get_form_kwargs() | {
            "instance": self.item, "courses": queries.courses_for_municipality(self.request.user, self.municipality)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves self.plan
        action = _("Edit plan item") if self.item else _("Add plan item")
        return context | {"title": f"{fiscal_year_label(self.plan.fiscal_year)} {action}"}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in PlanItemForm.Meta.fields}
        try:
            services.save_plan_item(actor=self.request.user, via="web", plan=self.plan, item=self.item, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("training:plan", code=self.municipality.code, year=self.plan.fiscal_year)


class PlanItemDeleteView(TrainingMixin, View):
    def post(self, request, *args, **kwargs):
        item = get_visible_or_404(PlanItem.objects.filter(plan__municipality=self.municipality)
                                  .select_related("plan__municipality"), request.user, write=True, pk=kwargs["item"])
        services.delete_plan_item(actor=request.user, via="web", item=item)
        return redirect("training:plan", code=self.municipality.code, year=item.plan.fiscal_year)


# ---- association --------------------------------------------------------------------------------------------


class AssociationTrainingView(AssociationMixin, TemplateView):
    template_name = "training/association.html"
    SORTS = ("code", "name", "total", "trained", "due_soon", "untrained")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AsOfForm(self.request.GET or None)
        as_of = form.as_of_or_today()
        members = list(visible(Municipality.objects.filter(association=self.association), self.request.user))
        rows = queries.member_counts(members, as_of)
        sort = self.request.GET.get("sort", "code")
        if sort in self.SORTS:
            key = (lambda r: getattr(r["municipality"], sort)) if sort in ("code", "name") else (lambda r: -r[sort])
            rows.sort(key=key)
        sessions, _sort = queries.session_list(queries.association_sessions(self.request.user, self.association),
                                               [m.pk for m in members], year=fiscal_year(as_of))
        courses = queries.courses_for_association(self.request.user, self.association).select_related("association")
        sorts = [("code", _("Code")), ("name", _("Municipality")), ("total", _("Must be trained")),
                 ("trained", _("受講済")), ("due_soon", _("期限間近")), ("untrained", _("未受講"))]
        context.update(association=self.association, form=form, as_of=as_of, rows=rows, sort=sort, sorts=sorts,
                       sessions=sessions, courses=courses,
                       year_label=fiscal_year_label(fiscal_year(as_of)),
                       settings=queries.settings_for_association(self.association.pk))
        return context


class AssociationCourseView(AssociationMixin, FormView):
    template_name = "training/form.html"
    form_class = CourseForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"association": self.association, "title": _("Add course")}

    def form_valid(self, form):
        try:
            services.create_course(actor=self.request.user, via="web", association=self.association,
                                   **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("training:association", pk=self.association.pk)


class JointSessionFormView(AssociationMixin, FormView):
    """A joint session organised by the association for several members."""

    template_name = "training/form.html"
    form_class = JointSessionForm

    def get_form_kwargs(self):
        self.session = None
        if "session" in self.kwargs:
            self.session = association_session_or_404(self.request.user, self.association, self.kwargs["session"])
        members = visible(Municipality.objects.filter(association=self.association), self.request.user)
        courses = queries.courses_for_association(self.request.user, self.association)
        return super().get_form_kwargs() | {"instance": self.session, "courses": courses, "members": members}

    def get_initial(self):
        if self.session is None:
            return {"participants": Municipality.objects.filter(association=self.association), "has_test": True,
                    "has_survey": True}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves self.session
        title = _("Edit joint session") if self.session else _("Add joint session")
        return context | {"association": self.association, "title": title}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in SessionForm.Meta.fields}
        try:
            services.save_session(actor=self.request.user, via="web", session=self.session,
                                  organiser_association=self.association,
                                  participants=form.cleaned_data["participants"], **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("training:association", pk=self.association.pk)


def association_session_or_404(user, association, pk: int):
    session = queries.association_sessions(user, association).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


class TrainingSettingsView(AssociationMixin, FormView):
    template_name = "training/form.html"
    form_class = TrainingSettingsForm

    def get_form_kwargs(self):
        from .models import TrainingSettings

        instance = visible(TrainingSettings.objects.filter(association=self.association), self.request.user).first()
        return super().get_form_kwargs() | {"instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "association": self.association, "title": _("Training settings"),
            "help": _("A person counts as trained when they attended a statutory course within the window "
                      "before the as-of date (おおむね一年ごと, 施行令 第32条).")}

    def form_valid(self, form):
        services.update_settings(actor=self.request.user, via="web", association=self.association,
                                 **form.cleaned_data)
        messages.success(self.request, _("Saved."))
        return redirect("training:settings", pk=self.association.pk)

