"""The persona table's row type, shared by tests/test_tenancy.py and the apps' tests/routes_<app>.py."""

from dataclasses import dataclass, field


@dataclass
class Route:
    path: str  # formatted with code, pk (a process), association
    method: str = "get"
    data: dict = field(default_factory=dict)
    # expected status per persona: member (admin of the municipality), secretariat, outsider
    expect: tuple = (200, 200, 404)
    json: bool = False


# Writes through a web form: the member is redirected, the secretariat refused, the outsider never sees it.
MUNICIPAL_WRITE = (302, 403, 404)
