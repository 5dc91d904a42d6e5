"""No page sends back an individual number that came in its query string (a search box, a filter, a parameter
it does not read): every GET route of the persona table, as the member and as the secretariat."""

import pytest

from tests.test_crawler import world  # noqa: F401 - the fixture: every route's objects
from tests.test_my_number_guard import assert_not_leaked, with_check_digit
from tests.test_tenancy import ROUTES, personas  # noqa: F401 - personas is a fixture

SENT = " ".join([with_check_digit("12345678901")[i:i + 4] for i in range(0, 12, 4)])
KEYS = ("q", "x", "as_of", "sort", "next")
PAGES = sorted(name for name, route in ROUTES.items() if route.method == "get" and not route.json)


@pytest.mark.parametrize("name", PAGES)
def test_a_number_in_the_query_string_is_not_echoed(client, personas, world, name):  # noqa: F811
    route = ROUTES[name]
    path = route.path.format(**world)
    query = "&".join(f"{key}={SENT}" for key in KEYS)
    checked = 0
    for persona in ("member", "secretariat"):
        client.force_login(personas[persona])
        response = client.get(path + ("&" if "?" in path else "?") + query)
        if response.get("Content-Type", "").startswith(("text/", "application/json")) and not response.streaming:
            assert_not_leaked(response.content.decode(), SENT, f"{name} as {persona}")
            checked += 1
        if response.status_code in (301, 302):
            assert_not_leaked(response["Location"], SENT, f"{name} as {persona}: redirect")
    assert checked or name.endswith(("export", "xlsx", "docx", "svg", "pdf")) or response.status_code >= 300


def test_the_api_refuses_it_in_japanese_without_echo(client, personas, world):  # noqa: F811
    client.force_login(personas["member"])
    response = client.get(f"/api/v1/municipalities/{world['code']}/processes?q={SENT}")
    assert response.status_code == 400
    assert "個人番号" in response.json()["detail"]
    assert_not_leaked(response.content.decode(), SENT, "API")


def test_a_near_miss_passes(client, personas, world):  # noqa: F811
    """Twelve digits whose check digit is wrong are not a number: the page answers as usual."""
    client.force_login(personas["member"])
    wrong = SENT[:-1] + str((int(SENT[-1]) + 1) % 10)
    assert client.get(f"/m/{world['code']}/staff/?q={wrong}").status_code == 200


def test_a_nul_character_in_the_query_string_is_refused(client, personas, world):  # noqa: F811
    """PostgreSQL refuses NUL in a text it is asked to compare with (a 500 on search boxes): refused at the door
    on both databases, in Japanese."""
    client.force_login(personas["member"])
    response = client.get(f"/m/{world['code']}/staff/?q=a%00b")
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert client.get(f"/api/v1/municipalities/{world['code']}/processes?q=a%00b").status_code == 400
