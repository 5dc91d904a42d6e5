from jichitai.core.commands import EXIT_INVALID
from jichitai.exchange.commands import FileImportCommand
from jichitai.exchange.imports import report_lines, run_import


class Command(FileImportCommand):
    help = ("Load a checklist of measures: the JSON shape of data/safe_management_measures.json, or a workbook with "
            "columns ID · 区分 · 項目 · 解説 · 課室単位. Idempotent; all or nothing (the import pipeline's framework kind).")

    municipality_help = "6-digit code: the list applies to this municipality only"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--code", help="the list's code (workbooks: default the file name)")
        parser.add_argument("--name", help="the list's name (workbooks: default the title above the header)")
        parser.add_argument("--source", help="where the list comes from")
        parser.add_argument("--revision", help="the list's revision or date")

    def handle(self, *args, **options):
        path, data, municipality = self.read(options)
        overrides = {key: options[key] for key in ("code", "name", "source", "revision") if options[key]}
        report = run_import(data, actor=None, municipality=municipality, dry_run=options["dry_run"],
                            kinds=("framework",), options=overrides | {"file_stem": path.stem}, label=path.name)
        if not report.ok:
            self.emit(options, report.as_json(), "\n".join(report_lines(report)))
            self.exit(EXIT_INVALID)
            return
        result = report.sheets[0].details | {"total": report.sheets[0].rows} if report.sheets else {}
        text = (f"{result['code']}: {result['total']} 項目（新規 {result['created']}、更新 {result['updated']}、"
                f"廃止 {result['retired']}）")
        if options["dry_run"]:
            text += "\n--dry-run のため、何も書き込んでいません。"
        self.emit(options, {"ok": True, "dry_run": options["dry_run"], "framework": result}, text)
