"""Reference data shipped with the package (別表, curriculum, frameworks, standard areas).

Each app names its own loaders in its AppConfig (`reference_data`), so that `jichitai loadreference` loads
everything without core knowing the apps. A loader takes `actor=` and returns a dict with at least
total, created and updated; running it twice changes nothing the second time.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ReferenceData:
    key: str  # the key of its result in `loadreference --format json`
    label: str  # as shown to users
    loader: str  # dotted path of the loader


def reference_data() -> list[ReferenceData]:
    return [item for config in apps.get_app_configs() for item in getattr(config, "reference_data", ())]


def load_all(actor=None) -> dict[str, dict]:
    return {item.key: import_string(item.loader)(actor=actor) for item in reference_data()}
