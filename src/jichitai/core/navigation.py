"""The menus: each app declares its entries in its AppConfig (`menu`), and base.html draws them in groups.

A municipality's pages show the municipality menu, an association's pages the association menu. An entry
names a URL that takes the municipality's code (MUNICIPALITY) or the association's pk (ASSOCIATION).
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

MUNICIPALITY, ASSOCIATION = "municipality", "association"
# The groups, in the order they are shown (the municipality bar had 14 entries on one line).
GROUPS = (
    ("work", _("Work & progress")),
    ("analysis", _("Analysis & assessment")),
    ("people", _("Training & organisation")),
    ("incidents", _("Incident response")),
    ("cloud", _("Cloud")),
    ("admin", _("Administration")),
)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    scope: str  # MUNICIPALITY or ASSOCIATION
    group: str  # a key of GROUPS
    order: int = 100
    # Dotted path of a predicate (user, municipality or association) -> bool: the entry is drawn only for those it
    # admits (a page that would answer 403 is not offered). A path, because AppConfigs load before the models.
    shown_to: str = ""

    def shown(self, user, target) -> bool:
        return not self.shown_to or user is None or import_string(self.shown_to)(user, target)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


def items(scope: str) -> list[MenuItem]:
    found = [item for config in apps.get_app_configs() for item in getattr(config, "menu", ()) if item.scope == scope]
    return sorted(found, key=lambda item: item.order)


def groups(scope: str, target, current_path: str, user=None) -> list[tuple[str, list[Link], bool]]:
    """(group label, links, whether the page shown is one of them) for every group with an entry `user` may use."""
    arg = target.code if scope == MUNICIPALITY else target.pk
    shown = [item for item in items(scope) if item.shown(user, target)]
    result = []
    for key, label in GROUPS:
        links = []
        for item in shown:
            if item.group == key:
                url = reverse(item.url_name, args=[arg])
                # A scope's own root (/m/{code}/) is current only on itself; other entries also on their sub-pages.
                root = url.count("/") <= 3
                links.append(Link(item.label, url, current_path == url or (not root and current_path.startswith(url))))
        if links:
            result.append((label, links, any(link.current for link in links)))
    return result
