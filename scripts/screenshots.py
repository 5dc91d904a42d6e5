"""Screenshots of the main pages, taken from the demo in headless Chromium (README, 「画面」).

    python scripts/screenshots.py                  # docs/screenshots/<name>.png, 1400×900
    python scripts/screenshots.py --pdf DIR        # also prints the matrix, checklist, to-do and incident
                                                   # pages to DIR/<name>.pdf through the print stylesheet
    python scripts/screenshots.py --only matrix,todo --data-dir /tmp/shots

The demo is built into a temporary data directory (or --data-dir, reused when it already holds a database),
so the pictures never come from, or touch, a real installation. Each page is fetched with Django's test
client as the demo's users (aoba_admin for a municipality, kyogikai for the association's secretariat), its
/static/ references are pointed at the files on disk and the HTML is opened by Chromium as a local file:
no server is started. Chromium is only needed by this script, never by the product.
"""

import argparse
import os
import re
import shutil
import subprocess  # noqa: S404
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1400, 900
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
NO_BROWSER = (
    "Chromium が見つかりません。スクリーンショットには Chromium（または Google Chrome）が必要です。\n"
    "  Debian/Ubuntu: sudo apt-get install chromium   （場所を指定するには CHROMIUM=/path/to/chromium）\n"
    "Chromium was not found. Screenshots need Chromium (or Google Chrome) on the PATH or in $CHROMIUM.\n"
    "  Debian/Ubuntu: sudo apt-get install chromium"
)


@dataclass(frozen=True)
class Page:
    name: str  # docs/screenshots/<name>.png
    caption: str  # the README's caption
    user: str  # the demo user who looks at it
    path: str  # format string: {code} municipality, {association}, {incident}, {plan}, {workshop}, {process}
    pdf: bool = False  # one of the pages whose print layout is checked with --pdf
    picture: bool = True  # in docs/screenshots/ (False: only printed with --pdf)
    anchor: str = ""  # the picture shows the title, then the section from the first <h2> holding this text


PAGES = [
    Page("todo", "やること（デモあおば市）", "aoba_admin", "/m/{code}/todo/", pdf=True),
    Page("matrix", "事務登録簿・進捗（〇△×の表、クリックで更新）", "aoba_admin", "/m/{code}/", pdf=True),
    Page("checklist", "情報連携後チェックリスト", "aoba_admin", "/m/{code}/checklist/", pdf=True),
    Page("flow", "業務フロー（軽自動車税の例）", "aoba_admin", "/m/{code}/processes/{process}/analysis/"),
    Page("handling", "取扱手順表・リスク分析（同じ事務）", "aoba_admin", "/m/{code}/processes/{process}/analysis/",
         anchor="取扱手順"),
    Page("risk", "リスク分析の一覧", "aoba_admin", "/m/{code}/risk/"),
    Page("training", "研修の受講状況", "aoba_admin", "/m/{code}/training/"),
    Page("incidents", "漏えい等事案の台帳", "aoba_admin", "/m/{code}/incidents/", pdf=True, picture=False),
    Page("incident", "漏えい等事案（報告期限と再発防止策）", "aoba_admin", "/m/{code}/incidents/{incident}/", pdf=True),
    Page("pia", "特定個人情報保護評価（PIA）", "aoba_admin", "/m/{code}/pia/"),
    Page("association", "協議会: 構成団体の比較", "kyogikai", "/a/{association}/"),
    Page("cloud_plan", "ガバメントクラウド共同利用計画", "kyogikai", "/a/{association}/cloud/plans/{plan}/"),
    Page("timeline", "調達スケジュール", "kyogikai", "/a/{association}/cloud/timeline/"),
    Page("action_plan", "行動計画（ワークショップ）", "kyogikai", "/a/{association}/workshops/{workshop}/plan/"),
]


def find_browser() -> str | None:
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def build_demo(data_dir: Path) -> None:
    """`jichitai demo --no-server` into data_dir, unless a demo database is already there."""
    if (data_dir / "jichitai.sqlite3").exists():
        print(f"既存のデモを使います / reusing the demo in {data_dir}")
        return
    print(f"デモを作成しています / building the demo in {data_dir} …")
    subprocess.run([sys.executable, "-m", "jichitai.cli", "demo", "--no-server"],  # noqa: S603
                   check=True, env=os.environ.copy(), stdout=subprocess.DEVNULL)


def setup_django(data_dir: Path) -> None:
    os.environ["JICHITAI_DEBUG"] = "1"
    os.environ["JICHITAI_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jichitai.settings"


def identifiers() -> dict:
    """The demo objects the paths name: the first member, its reportable incident, the model process …"""
    from jichitai.cloud.models import CloudPlan
    from jichitai.handling.models import HandlingRow
    from jichitai.incidents.models import Incident
    from jichitai.orgs.models import Association, Municipality
    from jichitai.planning.models import Workshop

    municipality = Municipality.objects.get(code="992011")
    incidents = Incident.objects.filter(municipality=municipality).order_by("pk")
    incident = next((i for i in incidents if i.measures.exists()), None) or incidents.first()
    row = HandlingRow.objects.filter(process__municipality=municipality).order_by("pk").first()
    return {
        "code": municipality.code,
        "association": Association.objects.order_by("pk").first().pk,
        "incident": incident.pk if incident else 0,
        "process": row.process_id if row else 0,
        "plan": CloudPlan.objects.order_by("pk").first().pk,
        "workshop": Workshop.objects.order_by("pk").first().pk,
    }


def static_files(html: str) -> str:
    """/static/<path> → file:///…/<path>, found the way runserver finds it (app and package static dirs)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    prefix = "/" + settings.STATIC_URL.lstrip("/")

    def local(match: re.Match) -> str:
        found = finders.find(match.group(2))
        return f"{match.group(1)}{Path(found).as_uri() if found else match.group(0)}"

    return re.sub(rf'((?:href|src)=["\']){re.escape(prefix)}([^"\'?#]+)', local, html)


def fetch(pages: list[Page], work: Path) -> dict[str, str]:
    """name → file:// URL of the page's HTML, fetched as its user."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    ids = identifiers()
    clients = {}
    files = {}
    for page in pages:
        if page.user not in clients:
            clients[page.user] = Client(HTTP_HOST="localhost")
            clients[page.user].force_login(get_user_model().objects.get(username=page.user))
        url = page.path.format(**ids)
        response = clients[page.user].get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code} ({page.name})")
        html = static_files(response.content.decode())
        if page.anchor:
            html, found = re.subn(rf"<h2>(?=[^<]*{re.escape(page.anchor)})", '<h2 id="shot">', html, count=1)
            if not found:
                raise SystemExit(f"{url}: no <h2> with 「{page.anchor}」 ({page.name})")
            # Headless Chromium pictures the top of a page only: what comes between the title and the
            # section is left out of the picture (the file is a copy; the page itself is not changed).
            html = html.replace("</head>", "<style>main > :not(.page-head, #shot, #shot ~ *) { display: none; }"
                                "</style></head>", 1)
        target = work / f"{page.name}.html"
        target.write_text(html, encoding="utf-8")
        files[page.name] = target.as_uri()
    return files


def chromium(browser: str, *args: str) -> None:
    # --no-sandbox: root in containers and CI; the pages are our own local files.
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--allow-file-access-from-files", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(f"Chromium failed ({result.returncode}): {result.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNG files go (docs/screenshots)")
    parser.add_argument("--pdf", type=Path, help="also print the print-checked pages to PDF files here")
    parser.add_argument("--only", help="comma-separated page names (default: all)")
    parser.add_argument("--data-dir", type=Path, help="demo data directory (default: a temporary one)")
    options = parser.parse_args()

    browser = find_browser()
    if browser is None:
        print(NO_BROWSER, file=sys.stderr)
        return 2
    pages = PAGES
    if options.only:
        wanted = set(options.only.split(","))
        unknown = wanted - {page.name for page in PAGES}
        if unknown:
            parser.error(f"unknown page(s): {', '.join(sorted(unknown))}; known: {', '.join(p.name for p in PAGES)}")
        pages = [page for page in PAGES if page.name in wanted]

    with tempfile.TemporaryDirectory(prefix="jichitai-shots-") as tmp:
        data_dir = (options.data_dir or Path(tmp) / "data").resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        setup_django(data_dir)
        build_demo(data_dir)
        work = Path(tmp) / "html"
        work.mkdir()
        files = fetch(pages, work)
        options.out.mkdir(parents=True, exist_ok=True)
        for page in (page for page in pages if page.picture):
            target = options.out / f"{page.name}.png"
            chromium(browser, f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={target}", files[page.name])
            print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}  {page.caption}")
        if options.pdf:
            options.pdf.mkdir(parents=True, exist_ok=True)
            for page in (page for page in pages if page.pdf):
                target = options.pdf / f"{page.name}.pdf"
                chromium(browser, "--no-pdf-header-footer", f"--print-to-pdf={target}", files[page.name])
                print(f"{target}  {page.caption}（印刷）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
