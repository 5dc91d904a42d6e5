from pathlib import Path

from jichitai.core.commands import EXIT_INVALID, DomainCommand, InvalidInput
from jichitai.exchange.imports import report_lines, run_import
from jichitai.orgs.commands import municipality_from_code


class Command(DomainCommand):
    help = ("Import a workbook, CSV or JSON file: progress, 団体一覧, roster, attendance, handling and risk tables, "
            "linkage sheets, issue analysis, systems, checklists. All or nothing: any error and nothing is written.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file")
        parser.add_argument("--municipality", help="6-digit code: the municipality the sheets belong to")
        parser.add_argument("--association", help="association name, for 団体一覧, issue analysis and systems")
        parser.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise InvalidInput(f"ファイル {path} がありません。")
        municipality = municipality_from_code(options["municipality"]) if options["municipality"] else None
        report = run_import(path.read_bytes(), actor=None, municipality=municipality,
                            association_name=options["association"], dry_run=options["dry_run"],
                            options={"file_stem": path.stem}, label=path.name)
        self.emit(options, report.as_json(), "\n".join(report_lines(report)))
        if not report.ok:
            self.exit(EXIT_INVALID)
