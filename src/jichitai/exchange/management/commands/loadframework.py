from jichitai.core.commands import EXIT_INVALID
from jichitai.exchange.commands import FileImportCommand
from jichitai.exchange.imports import report_lines, run_import


class Command(FileImportCommand):
    help = ("安全管理措置のチェックリストを読み込みます（data/safe_management_measures.json と同じ形の JSON、または "
            "ID・区分・項目・解説・課室単位 の列を持つ Excel）。何度実行しても同じ結果で、エラーがあれば何も書き込みません。")

    municipality_help = "団体コード（6桁）: この団体だけに適用するリスト"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--code", help="リストのコード（Excel の省略時: ファイル名）")
        parser.add_argument("--name", help="リストの名称（Excel の省略時: 見出し行の上の表題）")
        parser.add_argument("--source", help="リストの出典")
        parser.add_argument("--revision", help="リストの版または日付")

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
