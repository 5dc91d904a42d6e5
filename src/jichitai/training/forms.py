from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import WarekiDateField, harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.core.wareki import fiscal_year, fiscal_year_label
from jichitai.orgs.models import Staff

from . import queries, rules
from .models import Course, PlanItem, Session, TrainingSettings

ROLE_CHOICES = Staff.Role.choices
MONTH_CHOICES = [("", "—")] + [(m, f"{m}月") for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def _course_label(course: Course) -> str:
    mark = "★" if course.statutory else ""
    return f"{course.code} {course.title}{mark}"


def _offered(form, courses) -> None:
    """The course choices of a new record leave retired courses out; an edited record keeps the one it names."""
    current = form.instance.course_id if form.instance.pk else None
    form.fields["course"].queryset = queries.offered(courses, timezone.localdate(), keep=current)
    form.fields["course"].label_from_instance = _course_label


class RetireForm(NoEchoMyNumberMixin, forms.Form):
    retired_on = WarekiDateField(label=_("retired on"), required=False,
                                 help_text=_("Empty: today. 和暦 (R8.4.1) or western dates."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)


class CourseForm(NoEchoMyNumberMixin, forms.ModelForm):
    audience = forms.MultipleChoiceField(label=_("audience roles"), choices=ROLE_CHOICES, required=False,
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Course
        fields = ["code", "title", "audience", "description", "hours", "statutory"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].max_value = 99
        self.fields["hours"].validators.append(MaxValueValidator(99))


class TrainingSettingsForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = TrainingSettings
        fields = ["window_months", "due_soon_days"]


class PlanItemForm(NoEchoMyNumberMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(label=_("roles"), choices=ROLE_CHOICES, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    planned_month = forms.TypedChoiceField(label=_("planned month"), choices=MONTH_CHOICES, coerce=int,
                                           empty_value=None, required=False)
    planned_on = WarekiDateField(label=_("planned date"), required=False)

    class Meta:
        model = PlanItem
        fields = ["course", "roles", "planned_month", "planned_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"planned_on": WarekiDateField}

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        _offered(self, courses)


class SessionForm(NoEchoMyNumberMixin, forms.ModelForm):
    held_on = WarekiDateField(label=_("held on"))

    class Meta:
        model = Session
        fields = ["course", "held_on", "place", "has_test", "has_survey"]
        field_classes = {"held_on": WarekiDateField}

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        _offered(self, courses)


class JointSessionForm(SessionForm):
    participants = forms.ModelMultipleChoiceField(label=_("participating municipalities"), queryset=None,
                                                  widget=forms.CheckboxSelectMultiple)

    class Meta(SessionForm.Meta):
        fields = SessionForm.Meta.fields + ["participants"]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = members


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date must not be in the future."))
    return value


class AsOfForm(NoEchoMyNumberMixin, forms.Form):
    as_of = WarekiDateField(label=_("As of"), required=False)

    def clean_as_of(self):
        return _not_future(self.cleaned_data.get("as_of"))

    def as_of_or_today(self):
        return (self.cleaned_data.get("as_of") if self.is_valid() else None) or timezone.localdate()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)


class SessionFilterForm(NoEchoMyNumberMixin, forms.Form):
    SORTS = [("-held_on", _("Newest first")), ("held_on", _("Oldest first")), ("course", _("Course")),
             ("place", _("Place")), ("attended", _("Attended"))]

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, empty_value=None, required=False)
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none(), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = fiscal_year(timezone.localdate())
        self.fields["year"].choices = [("", _("All"))] + [(y, fiscal_year_label(y))
                                                          for y in range(this_year, this_year - 6, -1)]
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = _course_label


class AttendanceForm(NoEchoMyNumberMixin, forms.Form):
    """One row per person: attended, test score (0–100), survey submitted. Field names carry the staff id."""

    def __init__(self, *args, people, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            current = existing.get(person.pk)
            label = f"{person.staff_number} {person.name}"
            self.fields[f"attended_{person.pk}"] = forms.BooleanField(
                required=False, initial=bool(current and current.attended),
                widget=forms.CheckboxInput(attrs={"aria-label": f"{label} 受講"}))
            self.fields[f"score_{person.pk}"] = forms.IntegerField(
                required=False, min_value=rules.SCORE_MIN, max_value=rules.SCORE_MAX,
                initial=current.test_score if current else None,
                widget=forms.NumberInput(attrs={"size": 4, "aria-label": f"{label} テスト点数"}))
            self.fields[f"survey_{person.pk}"] = forms.BooleanField(
                required=False, initial=bool(current and current.survey_submitted),
                widget=forms.CheckboxInput(attrs={"aria-label": f"{label} アンケート"}))

    def rows(self):
        """(person, attended field, score field, survey field) for the template."""
        return [(p, self[f"attended_{p.pk}"], self[f"score_{p.pk}"], self[f"survey_{p.pk}"]) for p in self.people]

    def entries(self) -> list[dict]:
        data = self.cleaned_data
        return [{"staff": p, "attended": data[f"attended_{p.pk}"], "test_score": data[f"score_{p.pk}"],
                 "survey_submitted": data[f"survey_{p.pk}"]} for p in self.people]
