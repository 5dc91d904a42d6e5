from django.core.management import call_command

from jichitai.core.commands import DomainCommand
from jichitai.core.statistics import refresh_planner_statistics
from jichitai.demo.builder import build
from jichitai.orgs.services import ROLE_LABELS

DEFAULT_ADDRESS = "127.0.0.1:8000"


class Command(DomainCommand):
    help = "架空のデモデータを用意し、ログイン情報を表示して、サーバーを起動します（--no-server のときは起動しません）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-server", action="store_true", help="サーバーを起動しない")
        parser.add_argument("--addr", default=DEFAULT_ADDRESS, help="サーバーのアドレスとポート")

    def handle(self, *args, **options):
        from django.conf import settings

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        result = build()
        refresh_planner_statistics(everything=True)
        payload = {
            "url": f"http://{options['addr']}/",
            "association": {"name": result.association.name},
            "municipalities": [{"code": m.code, "name": m.name} for m in result.municipalities],
            "users": result.users,
        }
        lines = [f"Jichitai デモ: {payload['url']}  ({result.association.name}, {len(result.municipalities)} 団体)",
                 "ログイン:"]
        lines += [f"  {u['username']:14} / {u['password']}  ({ROLE_LABELS.get(u['role'], u['role'])}: {u['scope']})" for u in result.users]
        self.emit(options, payload, "\n".join(lines))
        if not options["no_server"]:
            call_command("runserver", options["addr"], use_reloader=False)
