from jichitai.core.commands import EXIT_INVALID
from jichitai.exchange.commands import FileImportCommand
from jichitai.exchange.imports import report_lines, run_import


class Command(FileImportCommand):
    help = ("Excel・CSV・JSON のファイルを取り込みます（進捗表、団体一覧、職員名簿、研修の出欠、取扱手順表・リスク分析表、"
            "情報連携確認シート、課題分析、システム一覧、チェックリスト）。エラーが一つでもあれば何も書き込みません。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--association", help="協議会名（団体一覧、課題分析、システム一覧の取込で指定）")

    def handle(self, *args, **options):
        path, data, municipality = self.read(options)
        report = run_import(data, actor=None, municipality=municipality, association_name=options["association"],
                            dry_run=options["dry_run"], options={"file_stem": path.stem}, label=path.name)
        self.emit(options, report.as_json(), "\n".join(report_lines(report)))
        if not report.ok:
            self.exit(EXIT_INVALID)
