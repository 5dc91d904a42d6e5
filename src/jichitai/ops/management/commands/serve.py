"""`jichitai serve`: the production server (gunicorn, run from here so that its settings are the project's).

Defaults, each an option (docs/deploy.md):
- --bind 127.0.0.1:8000: only the reverse proxy on the same host reaches it (TLS ends at the proxy).
- --workers 2 × CPUs + 1 (gunicorn's advice for sync workers), at most MAX_WORKERS.
- --timeout 300 s: the sync worker that takes a request is killed when it has not answered within the timeout,
  and an import reads, checks and writes the whole workbook inside its request (one transaction: a killed worker
  rolls it back and the user gets an error from the proxy). A workbook at the import limits (100,000 rows a
  sheet, 3,000,000 cells; settings.IMPORT_LIMITS) takes minutes on a modest server: the 20,000-row bench
  (README, "Performance") is a fifth of it. 300 s leaves that margin; the proxy's read timeout must be as long.
- --graceful-timeout 60 s: on stop or restart (SIGTERM, SIGHUP), a worker finishes the request in hand for up to
  this long. systemd's TimeoutStopSec must be longer (docs/deploy.md uses 90 s).
- No max-requests recycling: 「全構成団体を再集計」 runs in a thread of the worker (JICHITAI_BACKGROUND_THREADS),
  and a recycled worker would drop it half-way.
- The access log goes to stdout, the error log to stderr (both to journald under systemd), through the project's
  My Number mask, as one JSON object a line when JICHITAI_LOG_FORMAT=json.
It refuses to start with JICHITAI_DEBUG on (debug pages show settings and code to anyone) and on a database
that lacks a migration (`jichitai upgrade` first).
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from jichitai.core.commands import InvalidInput
from jichitai.core.logging import MaskMyNumbers
from jichitai.core.mynumber import mask_my_numbers
from jichitai.ops.schema import pending_migrations_of_a_reachable_database

MAX_WORKERS = 8  # a few dozen staff at once; more workers add memory and database connections, not speed
DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_TIMEOUT = 300
DEFAULT_GRACEFUL_TIMEOUT = 60


def default_workers(cpus: int | None = None) -> int:
    """2 × CPUs + 1, between 2 and MAX_WORKERS (8 workers × 2 servers stay far below PostgreSQL's 100
    connections)."""
    cpus = cpus if cpus is not None else (os.cpu_count() or 1)
    return max(2, min(2 * cpus + 1, MAX_WORKERS))


def _gunicorn_logger_class():
    from gunicorn.glogging import Logger

    class MaskedLogger(Logger):
        """gunicorn's logger with every access-log value (request line, path, query string, referer, headers)
        masked before the line is made, the mask filter on both logs, and the JSON formatter when asked."""

        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                log.addFilter(MaskMyNumbers())
                if settings.LOG_FORMAT == "json":
                    from jichitai.core.logs import JsonFormatter

                    for handler in log.handlers:
                        handler.setFormatter(JsonFormatter())

        def atoms(self, resp, req, environ, request_time):
            return {key: mask_my_numbers(value) if isinstance(value, str) else value
                    for key, value in super().atoms(resp, req, environ, request_time).items()}

    return MaskedLogger


def application_class():
    from gunicorn.app.base import BaseApplication

    class JichitaiApplication(BaseApplication):
        def __init__(self, options: dict):
            self.options = options
            super().__init__()

        def load_config(self):
            for key, value in self.options.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:
                # gunicorn 24+ opens a control socket in the home directory; nothing here uses it, and the
                # service account of docs/deploy.md has no home to write to.
                self.cfg.set("control_socket_disable", True)

        def load(self):
            from django.core.wsgi import get_wsgi_application  # what jichitai.wsgi serves

            return get_wsgi_application()

    return JichitaiApplication


class Command(BaseCommand):
    help = ("本番用のサーバー（gunicorn）で Jichitai を起動します。既定では 127.0.0.1:8000 で待ち受け、"
            "前段のリバースプロキシ（TLS）から受けます。手順は docs/deploy.md を参照してください。")
    requires_system_checks = []  # the deploy checks are `jichitai check --deploy`'s job; starting stays quick

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=DEFAULT_BIND,
                            help=f"待ち受けるアドレスとポート（既定 {DEFAULT_BIND}。unix:/run/jichitai.sock も可）")
        parser.add_argument("--workers", type=int, default=None,
                            help=f"ワーカープロセスの数（既定: CPU 数 × 2 + 1、最大 {MAX_WORKERS}）")
        parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                            help=f"1 リクエストの制限時間（秒、既定 {DEFAULT_TIMEOUT}。大きなファイルの取込が収まる長さ）")
        parser.add_argument("--graceful-timeout", type=int, default=DEFAULT_GRACEFUL_TIMEOUT,
                            help=f"停止・再起動のとき処理中のリクエストを待つ時間（秒、既定 {DEFAULT_GRACEFUL_TIMEOUT}）")
        parser.add_argument("--forwarded-allow-ips", default="127.0.0.1,::1",
                            help="X-Forwarded-Proto を信頼するリバースプロキシのアドレス（カンマ区切り、既定 127.0.0.1,::1）")
        parser.add_argument("--no-access-log", action="store_true", help="アクセスログを出力しない")

    def handle(self, *args, **options):
        if settings.DEBUG:
            raise InvalidInput("JICHITAI_DEBUG が有効なため起動しません。本番ではデバッグを無効にしてください"
                               "（デバッグ画面は設定やプログラムを誰にでも見せてしまいます）。開発には `jichitai runserver` を使います。")
        workers = options["workers"] if options["workers"] is not None else default_workers()
        if not 1 <= workers <= 64:
            raise InvalidInput(f"--workers は 1 から 64 までの数で指定してください（{workers} が指定されました）。")
        for name in ("timeout", "graceful_timeout"):
            if options[name] < 1:
                raise InvalidInput(f"--{name.replace('_', '-')} は 1 秒以上で指定してください。")
        pending = pending_migrations_of_a_reachable_database()
        if pending:
            raise InvalidInput(f"データベースに未適用の移行が {len(pending)} 件あります（{', '.join(pending[:3])} …）。"
                               "先に `jichitai upgrade`（または `jichitai migrate`）を実行してください。")
        connections.close_all()  # the workers are forked: none may share this process's connection
        gunicorn_options = {
            "bind": [options["bind"]],
            "workers": workers,
            "worker_class": "sync",  # behind a buffering reverse proxy (nginx), as gunicorn advises
            "timeout": options["timeout"],
            "graceful_timeout": options["graceful_timeout"],
            "keepalive": 5,
            "forwarded_allow_ips": options["forwarded_allow_ips"],
            "proc_name": "jichitai",
            "logger_class": _gunicorn_logger_class(),
            "errorlog": "-",
            "accesslog": None if options["no_access_log"] else "-",
            "loglevel": "info",
            # The request line and timing, without the client's headers: the reverse proxy logs those.
            "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        }
        self.stdout.write(f"Jichitai を {options['bind']} で起動します（ワーカー {workers}、"
                          f"制限時間 {options['timeout']} 秒）。Ctrl+C または SIGTERM で停止します。")
        self.stdout.flush()
        application_class()(gunicorn_options).run()
