from pathlib import Path

from jichitai.core.commands import EXIT_INVALID, DomainCommand, InvalidInput
from jichitai.exchange.imports import run_import
from jichitai.orgs.commands import municipality_from_code


class Command(DomainCommand):
    help = "Import a workbook (progress sheet, 団体一覧). All or nothing: any error and nothing is written."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file")
        parser.add_argument("--municipality", help="6-digit code, for progress sheets")
        parser.add_argument("--association", help="association name, for 団体一覧 sheets")
        parser.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise InvalidInput(f"ファイル {path} がありません。")
        municipality = municipality_from_code(options["municipality"]) if options["municipality"] else None
        report = run_import(path.read_bytes(), actor=None, municipality=municipality,
                            association_name=options["association"], dry_run=options["dry_run"])
        lines = [f"{s.sheet}: {s.kind} {s.rows} rows, {s.created} created, {s.updated} updated" for s in report.sheets]
        lines += [f"エラー {p}" for p in report.errors] + [f"警告 {p}" for p in report.warnings]
        if not report.ok:
            lines.append("エラーがあるため、何も取り込んでいません。")
        elif report.dry_run:
            lines.append("--dry-run のため、何も書き込んでいません。")
        self.emit(options, report.as_json(), "\n".join(lines))
        if not report.ok:
            self.exit(EXIT_INVALID)
