from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jichitai.core.navigation import ASSOCIATION, MUNICIPALITY, MenuItem
from jichitai.core.reference import ReferenceData


class TrainingConfig(AppConfig):
    name = "jichitai.training"
    label = "training"
    menu = (
        MenuItem(_("Training"), "training:dashboard", MUNICIPALITY, "people", 10),
        MenuItem(_("Training"), "training:association", ASSOCIATION, "people", 10),
    )
    reference_data = (ReferenceData("curriculum", "研修カリキュラム", "jichitai.training.services.load_curriculum"),)
