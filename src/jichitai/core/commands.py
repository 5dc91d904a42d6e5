"""Base for the project's domain commands: `--format json`, exit codes 0 / 1 / 2 (docs/architecture.md)."""

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

EXIT_PROBLEMS = 1
EXIT_INVALID = 2


class InvalidInput(CommandError):
    def __init__(self, message: str):
        super().__init__(message, returncode=EXIT_INVALID)


class DomainCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="出力の形式（text: 人が読む文、json: スクリプト向け）")

    def emit(self, options, payload: dict, text: str) -> None:
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)

    def execute(self, *args, **options):
        try:
            try:
                return super().execute(*args, **options)
            except ValidationError as exc:
                raise InvalidInput("; ".join(exc.messages)) from exc
        except CommandError as exc:
            # Scripts reading --format json always get one JSON document, errors included.
            if options.get("format") == "json":
                self.stdout.write(json.dumps({"ok": False, "errors": [{"message": str(exc)}]}, ensure_ascii=False))
            raise

    def as_of(self, value: str | None):
        """--as-of: 和暦 or western; today when absent; never in the future."""
        from django.utils import timezone

        from jichitai.core.wareki import DateParseError, format_date, parse_date

        today = timezone.localdate()
        if not value:
            return today
        try:
            day = parse_date(value)
        except DateParseError as exc:
            raise InvalidInput(str(exc)) from exc
        if day > today:
            raise InvalidInput(f"--as-of {format_date(day)} は未来の日付です。")
        return day

    def progress(self, label: str):
        """A callback (done, total) drawing a bar on stderr when it is a terminal; silent in scripts and logs,
        so stdout stays one JSON document with --format json."""
        if not self.stderr.isatty():
            return None

        def draw(done: int, total: int) -> None:
            filled = 30 * done // total if total else 30
            self.stderr.write(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}",
                              ending="\n" if done >= total else "")
            self.stderr.flush()

        return draw

    def exit(self, code: int) -> None:
        sys.stdout.flush()
        sys.exit(code)
