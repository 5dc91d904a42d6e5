"""The Japanese catalogue is complete, compiled, and covers every string the code marks for translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import jichitai

LOCALE = Path(jichitai.__file__).parent / "locale" / "ja" / "LC_MESSAGES"


def test_every_message_is_translated_and_not_fuzzy():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert len(po) > 100
    untranslated = [e.msgid for e in po
                    if (not e.msgstr if not e.msgid_plural else not all(e.msgstr_plural.values()))
                    or "fuzzy" in e.flags]
    assert untranslated == []


def test_compiled_catalogue_matches_source():
    po = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.pofile(str(LOCALE / "django.po"))}
    mo = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.mofile(str(LOCALE / "django.mo"))}
    assert mo == po


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (gettext) is not installed")
def test_catalogue_has_every_marked_string(tmp_path):
    copy = tmp_path / "jichitai"
    shutil.copytree(Path(jichitai.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (copy / "locale" / "ja" / "LC_MESSAGES" / "django.po").unlink()
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "ja", "--no-location"], cwd=copy,
                   check=True, capture_output=True, env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin",
                                                       "PYTHONPATH": str(Path(__file__).parent.parent)})
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale" / "ja" / "LC_MESSAGES" / "django.po"))}
    catalogued = {e.msgid for e in polib.pofile(str(LOCALE / "django.po"))}
    assert extracted - catalogued == set()


def test_pages_render_in_japanese_by_default_and_english_on_request(client_for, admin_user, municipality):
    client = client_for(admin_user)
    assert "事務登録簿・進捗" in client.get(f"/m/{municipality.code}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Register & progress" in client.get(f"/m/{municipality.code}/").content.decode()


def test_browser_language_does_not_switch_the_ui(client_for, admin_user, municipality):
    html = client_for(admin_user).get(f"/m/{municipality.code}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "事務登録簿・進捗" in html.content.decode()
