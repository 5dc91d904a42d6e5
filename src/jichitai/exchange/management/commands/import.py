from jichitai.core.commands import EXIT_INVALID
from jichitai.exchange.commands import FileImportCommand
from jichitai.exchange.imports import report_lines, run_import


class Command(FileImportCommand):
    help = ("Import a workbook, CSV or JSON file: progress, 団体一覧, roster, attendance, handling and risk tables, "
            "linkage sheets, issue analysis, systems, checklists. All or nothing: any error and nothing is written.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--association", help="association name, for 団体一覧, issue analysis and systems")

    def handle(self, *args, **options):
        path, data, municipality = self.read(options)
        report = run_import(data, actor=None, municipality=municipality, association_name=options["association"],
                            dry_run=options["dry_run"], options={"file_stem": path.stem}, label=path.name)
        self.emit(options, report.as_json(), "\n".join(report_lines(report)))
        if not report.ok:
            self.exit(EXIT_INVALID)
