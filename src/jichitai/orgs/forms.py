from django import forms

from jichitai.core.forms import NoEchoMyNumberMixin

from .models import Department, Staff


class DepartmentForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality


class StaffForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Staff
        fields = ["staff_number", "name", "department", "role"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
