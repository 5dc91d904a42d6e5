"""Training pages. Thin: queries read, services write; tenancy through orgs.scoping and training.queries."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from jichitai.core.http import xlsx_response
from jichitai.core.validators import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from jichitai.core.views import ServiceButtonView, ServiceFormView
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
    RetireForm,
    SessionFilterForm,
    SessionForm,
    TrainingSettingsForm,
)
from .models import Attendance, Course, PlanItem, Session, TrainingSettings

PEOPLE_COLUMNS = [("staff_number", gettext_lazy("職員番号")), ("name", gettext_lazy("氏名")),
                  ("department", gettext_lazy("所属")), ("role", gettext_lazy("役割")),
                  ("last_trained", gettext_lazy("最終受講日")), ("due_on", gettext_lazy("受講期限"))]


class TrainingMixin(MunicipalityMixin):
    def own_ids(self) -> list[int]:
        """The ids the lists below are read for: only this municipality, which MunicipalityMixin resolved
        through orgs.scoping, so they never reach past the user's tenancy."""
        return [self.municipality.pk]

    def as_of_form(self):
        form = AsOfForm(self.request.GET or None)
        return form, form.as_of_or_today()

    def plan_year(self) -> int:
        """The fiscal year in the address: 404 outside FISCAL_YEAR_MIN–FISCAL_YEAR_MAX (no plan can exist there)."""
        year = self.kwargs["year"]
        if not FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
            raise Http404
        return year


# ---- dashboard --------------------------------------------------------------------------------------------


PEOPLE_PER_PAGE = 50
SESSIONS_PER_PAGE = 50


def page_of(request, items, per_page: int, param: str, *, anchor: str = ""):
    """The page of `items` that ?<param>= asks for (anything else: the first or the last page), with the query
    strings of the previous and next pages (`previous_query`, `next_query`) that keep every other parameter.
    For lists paged independently on one page (templates/_pagination_param.html): `{% querystring %}` takes
    no computed key."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}{'#' + anchor if anchor else ''}"

    page.previous_query = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_query = link(page.next_page_number()) if page.has_next() else ""
    return page


def sort_links(request, columns, as_of, param: str, page_param: str) -> list[tuple[str, str, str]]:
    """(key, label, link) per column: sorting one list by the column from its first page, as of the page's
    date, the other list's sort and page kept."""
    links = []
    for key, label in columns:
        query = request.GET.copy()
        query.pop(page_param, None)
        query["as_of"] = as_of.isoformat()
        query[param] = key
        links.append((key, label, f"?{query.urlencode()}"))
    return links


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
        # Each person's status is computed in Python (rules.standing) from the three queries of training_status,
        # so the lists are paged after it: the queries stay the same, the HTML holds one page of each list.
        untrained_page = page_of(self.request, untrained, PEOPLE_PER_PAGE, "upage", anchor="untrained")
        due_page = page_of(self.request, due_soon, PEOPLE_PER_PAGE, "dpage", anchor="due-soon")
        sessions, _sort = queries.session_list(queries.sessions_visible_to(self.request.user, self.municipality),
                                               self.own_ids(), year=year, sort="held_on")
        untrained_columns = PEOPLE_COLUMNS + [("days_overdue", gettext_lazy("超過日数"))]
        due_columns = PEOPLE_COLUMNS + [("days_left", gettext_lazy("残日数"))]
        context.update(
            form=form, as_of=as_of, year=year, year_label=fiscal_year_label(year),
            settings=queries.settings_for(self.municipality),
            plan=queries.plan_of(self.request.user, self.municipality, year), sessions=sessions,
            untrained=untrained_page.object_list, due_soon=due_page.object_list, untrained_page=untrained_page,
            due_page=due_page, untrained_count=len(untrained), due_count=len(due_soon), usort=usort, dsort=dsort,
            total=len(people),
            untrained_columns=sort_links(self.request, untrained_columns, as_of, "usort", "upage"),
            due_columns=sort_links(self.request, due_columns, as_of, "dsort", "dpage"),
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
        """(the filter form, the sessions it keeps as a queryset in its sort, the sort)."""
        courses = queries.courses_for_municipality(self.request.user, self.municipality)
        form = SessionFilterForm(self.request.GET or None, courses=courses)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})  # the valid fields (a refused one falls back to its default)
        course = data.get("course")
        sessions, sort = queries.session_rows(
            queries.sessions_visible_to(self.request.user, self.municipality), self.own_ids(),
            year=data.get("year"), course=course.pk if course else None, sort=data.get("sort"))
        return form, sessions, sort


class SessionListView(SessionListMixin, TemplateView):
    template_name = "training/sessions.html"

    def get_context_data(self, **kwargs):
        form, sessions, sort = self.filtered_sessions()
        # LIMIT/OFFSET in the database plus one COUNT: the same queries on every page and at any size.
        page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(**kwargs) | {
            "form": form, "sessions": page.object_list, "sort": sort, "page_obj": page,
            "is_paginated": page.paginator.num_pages > 1, "total": page.paginator.count,
            "export_query": query.urlencode()}


class SessionExportView(SessionListMixin, View):
    def get(self, request, *args, **kwargs):
        _form, sessions, _sort = self.filtered_sessions()
        return xlsx_response(export.sessions_bytes(self.municipality, sessions),
                             f"training_sessions_{self.municipality.code}.xlsx")


class SessionFormView(TrainingMixin, ServiceFormView):
    """A session the municipality organises itself (it is its only participant)."""

    template_name = "form.html"
    form_class = SessionForm
    write = True

    def get_session(self) -> Session | None:
        if "session" not in self.kwargs:
            return None
        return self.scoped(Session.objects.filter(organiser_municipality=self.municipality).select_related("course"),
                           pk=self.kwargs["session"])

    def get_form_kwargs(self):
        self.session = self.get_session()
        return super().get_form_kwargs() | {
            "instance": self.session, "courses": queries.courses_for_municipality(self.request.user, self.municipality)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves self.session
        return context | {"title": _("Edit session") if self.session else _("Add session")}

    def save(self, form):
        fields = {name: form.cleaned_data[name] for name in SessionForm.Meta.fields}
        return services.save_session(actor=self.request.user, via="web", session=self.session,
                                     organiser_municipality=self.municipality, **fields)

    def success_url_for(self, saved) -> str:
        return reverse("training:attendance", args=[self.municipality.code, saved.pk])


class AttendanceView(TrainingMixin, ServiceFormView):
    """The municipality marks which of its people attended a session it takes part in."""

    template_name = "training/attendance.html"
    form_class = AttendanceForm

    def get_session(self) -> Session:
        # Read access to the session is enough, even to post: the attendance rows are the municipality's own
        # (MunicipalityMixin asked for write access to it), while a joint session stays its organiser's.
        return get_visible_or_404(
            queries.sessions_of([self.municipality.pk]).select_related(
                "course", "organiser_association", "organiser_municipality"),
            self.request.user, pk=self.kwargs["session"])

    def get_form_kwargs(self):
        self.session = self.get_session()
        self.existing = {a.staff_id: a for a in visible(
            Attendance.objects.filter(session=self.session, staff__municipality=self.municipality), self.request.user)}
        audience = self.session.course.audience or [role for role, _label in Staff.Role.choices]
        people = visible(Staff.objects.filter(municipality=self.municipality), self.request.user)
        people = [p for p in people.select_related("department")
                  if p.role in audience or p.pk in self.existing]
        return super().get_form_kwargs() | {"people": people, "existing": self.existing}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"session": self.session}

    def save(self, form):
        self.counts = services.mark_attendance(actor=self.request.user, via="web", session=self.session,
                                               municipality=self.municipality, entries=form.entries())
        return self.session

    @property
    def success_message(self) -> str:
        created, updated = self.counts
        return _("Saved: %(created)d added, %(updated)d changed.") % {"created": created, "updated": updated}

    def success_url_for(self, saved) -> str:
        return reverse("training:attendance", args=[self.municipality.code, saved.pk])


# ---- courses ----------------------------------------------------------------------------------------------


class CourseListView(TrainingMixin, ServiceFormView):
    """The curriculum the municipality can use; its own courses are added here."""

    template_name = "training/courses.html"
    form_class = CourseForm

    def get_context_data(self, **kwargs):
        courses = queries.courses_for_municipality(self.request.user, self.municipality).select_related(
            "association", "municipality")
        return super().get_context_data(**kwargs) | {"courses": courses}

    def save(self, form):
        return services.create_course(actor=self.request.user, via="web", municipality=self.municipality,
                                      **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("training:courses", args=[self.municipality.code])


class OwnCourseMixin:
    """A course the page's owner made (the shipped curriculum is reference data, read-only): edit, retire,
    reactivate, delete. Subclasses say whose courses (`owner`) and where the list is (`courses_url`)."""

    write = True

    def get_course(self) -> Course:
        return self.scoped(Course.objects.filter(**self.owner()), pk=self.kwargs["course"])

    def success_url_for(self, saved) -> str:
        return self.courses_url()


class MunicipalCourseMixin(OwnCourseMixin, TrainingMixin):
    def owner(self) -> dict:
        return {"municipality": self.municipality}

    def courses_url(self) -> str:
        return reverse("training:courses", args=[self.municipality.code])


class AssociationCourseMixin(OwnCourseMixin, AssociationMixin):
    def owner(self) -> dict:
        return {"association": self.association}

    def courses_url(self) -> str:
        return reverse("training:association", args=[self.association.pk])


class CourseEditBase(ServiceFormView):
    template_name = "training/course_form.html"
    form_class = CourseForm

    def get_form_kwargs(self):
        self.course = self.get_course()
        return super().get_form_kwargs() | {"instance": self.course}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves self.course
        return context | {"title": _("Edit course"), "course": self.course, "retire_form": RetireForm(),
                          "used": services.course_references(self.course), "cancel_url": self.courses_url()}

    def save(self, form):
        return services.update_course(actor=self.request.user, via="web", course=self.course, **form.cleaned_data)


class CourseRetireBase(ServiceFormView):
    """GET: the retirement date to confirm; POST: retire the course from that date (empty: today)."""

    template_name = "form.html"
    form_class = RetireForm
    success_message = gettext_lazy("The course was retired. Past sessions and plans keep it.")

    def get_context_data(self, **kwargs):
        course = self.get_course()
        return super().get_context_data(**kwargs) | {"title": _("Retire course %(course)s") % {"course": course},
                                                     "cancel_url": self.courses_url()}

    def save(self, form):
        return services.retire_course(actor=self.request.user, via="web", course=self.get_course(),
                                      on=form.cleaned_data["retired_on"])




class CourseReactivateBase(ServiceButtonView):
    done_message = gettext_lazy("The course is offered again.")

    def act(self):
        services.reactivate_course(actor=self.request.user, via="web", course=self.get_course())

    def redirect_url(self) -> str:
        return self.courses_url()


class CourseDeleteBase(ServiceButtonView):
    done_message = gettext_lazy("The course was deleted.")

    def act(self):
        services.delete_course(actor=self.request.user, via="web", course=self.get_course())

    def redirect_url(self) -> str:
        return self.courses_url()


class CourseEditView(MunicipalCourseMixin, CourseEditBase):
    pass


class CourseRetireView(MunicipalCourseMixin, CourseRetireBase):
    pass


class CourseReactivateView(MunicipalCourseMixin, CourseReactivateBase):
    pass


class CourseDeleteView(MunicipalCourseMixin, CourseDeleteBase):
    pass


class AssociationCourseEditView(AssociationCourseMixin, CourseEditBase):
    pass


class AssociationCourseRetireView(AssociationCourseMixin, CourseRetireBase):
    pass


class AssociationCourseReactivateView(AssociationCourseMixin, CourseReactivateBase):
    pass


class AssociationCourseDeleteView(AssociationCourseMixin, CourseDeleteBase):
    pass


# ---- plans ------------------------------------------------------------------------------------------------


class PlanView(TrainingMixin, TemplateView):
    """GET: the fiscal year's plan; POST: create it, pre-filled with the curriculum."""

    template_name = "training/plan.html"

    def get_context_data(self, **kwargs):
        year = self.plan_year()
        return super().get_context_data(**kwargs) | {
            "year": year, "year_label": fiscal_year_label(year),
            "plan": queries.plan_of(self.request.user, self.municipality, year)}

    def post(self, request, *args, **kwargs):
        year = self.plan_year()
        courses = queries.courses_for_municipality(request.user, self.municipality)
        try:
            services.create_plan(actor=request.user, via="web", municipality=self.municipality, fiscal_year=year,
                                 courses=list(courses))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The plan was created from the curriculum. Set the months."))
        return redirect("training:plan", code=self.municipality.code, year=year)


class PlanItemMixin(TrainingMixin):
    def get_item(self, pk) -> PlanItem:
        return self.scoped(PlanItem.objects.filter(plan__municipality=self.municipality)
                           .select_related("plan__municipality", "course"), pk=pk)


class PlanItemFormView(PlanItemMixin, ServiceFormView):
    template_name = "form.html"
    form_class = PlanItemForm
    write = True

    def setup_objects(self):
        if "item" in self.kwargs:
            self.item = self.get_item(self.kwargs["item"])
            self.plan = self.item.plan
        else:
            self.item = None
            self.plan = queries.plan_of(self.request.user, self.municipality, self.plan_year())
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

    def save(self, form):
        fields = {name: form.cleaned_data[name] for name in PlanItemForm.Meta.fields}
        return services.save_plan_item(actor=self.request.user, via="web", plan=self.plan, item=self.item, **fields)

    def success_url_for(self, saved) -> str:
        return reverse("training:plan", args=[self.municipality.code, self.plan.fiscal_year])


class PlanItemActionView(PlanItemMixin, ServiceButtonView):
    def item(self) -> PlanItem:
        if not hasattr(self, "_item"):
            self._item = self.get_item(self.kwargs["item"])
        return self._item

    def redirect_url(self) -> str:
        return reverse("training:plan", args=[self.municipality.code, self.item().plan.fiscal_year])


class PlanItemDeleteView(PlanItemActionView):
    """Deletes an item no session carried out; the service refuses the others (retire them)."""

    done_message = gettext_lazy("The plan item was deleted.")

    def act(self):
        services.delete_plan_item(actor=self.request.user, via="web", item=self.item())


class PlanItemRetireView(PlanItemActionView):
    """Retires an item from today: it stays on the plan, marked, as what the plan said."""

    done_message = gettext_lazy("The plan item was retired.")

    def act(self):
        form = RetireForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
        services.retire_plan_item(actor=self.request.user, via="web", item=self.item(),
                                  on=form.cleaned_data["retired_on"])


class PlanItemReactivateView(PlanItemActionView):
    done_message = gettext_lazy("The plan item is in the plan again.")

    def act(self):
        services.reactivate_plan_item(actor=self.request.user, via="web", item=self.item())


# ---- association --------------------------------------------------------------------------------------------


class AssociationTrainingView(AssociationMixin, TemplateView):
    template_name = "training/association.html"
    SORTS = ("code", "name", "total", "trained", "due_soon", "untrained")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AsOfForm(self.request.GET or None)
        as_of = form.as_of_or_today()
        members = list(visible(Municipality.objects.members_of(self.association), self.request.user))
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
        context.update(form=form, as_of=as_of, rows=rows, sort=sort, sorts=sorts, sessions=sessions, courses=courses,
                       year_label=fiscal_year_label(fiscal_year(as_of)),
                       settings=queries.settings_for_association(self.association.pk))
        return context


class AssociationCourseView(AssociationMixin, ServiceFormView):
    template_name = "form.html"
    form_class = CourseForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": _("Add course")}

    def save(self, form):
        return services.create_course(actor=self.request.user, via="web", association=self.association,
                                      **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("training:association", args=[self.association.pk])


class JointSessionFormView(AssociationMixin, ServiceFormView):
    """A joint session organised by the association for several members."""

    template_name = "form.html"
    form_class = JointSessionForm

    def get_session(self) -> Session | None:
        if "session" not in self.kwargs:
            return None
        return self.scoped(Session.objects.filter(organiser_association=self.association), pk=self.kwargs["session"])

    def get_form_kwargs(self):
        self.session = self.get_session()
        self.members = visible(Municipality.objects.members_of(self.association), self.request.user)
        courses = queries.courses_for_association(self.request.user, self.association)
        return super().get_form_kwargs() | {"instance": self.session, "courses": courses, "members": self.members}

    def get_initial(self):
        if self.session is None:
            return {"participants": self.members, "has_test": True, "has_survey": True}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which resolves self.session
        return context | {"title": _("Edit joint session") if self.session else _("Add joint session")}

    def save(self, form):
        fields = {name: form.cleaned_data[name] for name in SessionForm.Meta.fields}
        return services.save_session(actor=self.request.user, via="web", session=self.session,
                                     organiser_association=self.association,
                                     participants=form.cleaned_data["participants"], **fields)

    def success_url_for(self, saved) -> str:
        return reverse("training:association", args=[self.association.pk])


class TrainingSettingsView(AssociationMixin, ServiceFormView):
    template_name = "form.html"
    form_class = TrainingSettingsForm

    def get_form_kwargs(self):
        instance = visible(TrainingSettings.objects.filter(association=self.association), self.request.user).first()
        return super().get_form_kwargs() | {"instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Training settings"),
            "help": _("A person counts as trained when they attended a statutory course within the window "
                      "before the as-of date (おおむね一年ごと, 施行令 第32条).")}

    def save(self, form):
        return services.update_settings(actor=self.request.user, via="web", association=self.association,
                                        **form.cleaned_data)

    def success_url_for(self, saved) -> str:
        return reverse("training:settings", args=[self.association.pk])
