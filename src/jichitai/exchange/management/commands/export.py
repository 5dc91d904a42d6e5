from pathlib import Path

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.core.text import normalise
from jichitai.handling import export as analysis_export
from jichitai.orgs.commands import municipality_from_code
from jichitai.orgs.scoping import COMMAND_LINE, visible
from jichitai.processes import export as progress_export
from jichitai.processes.models import Process
from jichitai.processes.queries import progress_matrix
from jichitai.risk.queries import settings_for


class Command(DomainCommand):
    help = ("シートを書き出します: `export progress --municipality CODE -o FILE.xlsx`, "
            "`export risk --municipality CODE --process NAME -o FILE.xlsx`, "
            "`export pia-draft --municipality CODE --file NAME -o FILE.docx`, "
            "`export rules --municipality CODE --department NAME -o FILE.docx`.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("kind", choices=["progress", "risk", "pia-draft", "rules"],
                            help="progress: 進捗表、risk: 取扱手順表・リスク分析表、pia-draft: 評価書の案、rules: 取扱規程の案")
        parser.add_argument("--municipality", required=True, help="団体コード（6桁）")
        parser.add_argument("--as-of", help="progress: 進捗表の日付（和暦も可。省略時: 今日）")
        parser.add_argument("--process", help="risk: 事務名（情報資産取扱手順表・リスク分析表）")
        parser.add_argument("--file", help="pia-draft: 特定個人情報ファイルの名称")
        parser.add_argument("--department", help="rules: 取扱規程の案を書き出す課室")
        parser.add_argument("-o", "--output", required=True, help="書き出すファイル")

    def handle(self, *args, **options):
        municipality = municipality_from_code(options["municipality"])
        output = Path(options["output"])
        if options["kind"] == "pia-draft":
            payload = self._pia_draft(municipality, options["file"], output)
        elif options["kind"] == "rules":
            payload = self._rules(municipality, options["department"], output)
        elif options["kind"] == "risk":
            process = self._process(municipality, options["process"])
            output.write_bytes(analysis_export.export_bytes(process, settings_for(municipality)))
            payload = {"file": str(output), "municipality": municipality.code, "process": process.name}
        else:
            as_of = self.as_of(options["as_of"])
            output.write_bytes(progress_export.export_bytes(progress_matrix(COMMAND_LINE, municipality, as_of)))
            payload = {"file": str(output), "municipality": municipality.code, "as_of": as_of.isoformat()}
        self.emit(options, payload, f"{output} を書き出しました。")

    def _process(self, municipality, name: str | None) -> Process:
        if not name:
            raise InvalidInput("export risk には --process（事務名）の指定が必要です。")
        process = visible(Process.objects.filter(municipality=municipality, name=normalise(name)), COMMAND_LINE).first()
        if process is None:
            raise InvalidInput(f"事務「{name}」は団体 {municipality.code} の登録簿にありません。")
        return process

    def _rules(self, municipality, name: str | None, output: Path) -> dict:
        from jichitai.handling.rules_draft import export_bytes
        from jichitai.orgs.models import Department

        if not name:
            raise InvalidInput("export rules には --department（課室名）の指定が必要です。")
        department = visible(Department.objects.filter(municipality=municipality, name=normalise(name)),
                             COMMAND_LINE).select_related("municipality").first()
        if department is None:
            raise InvalidInput(f"課室「{name}」は団体 {municipality.code} に登録されていません。")
        output.write_bytes(export_bytes(department))  # ValidationError (nothing approved) → exit 2
        return {"file": str(output), "municipality": municipality.code, "department": department.name}

    def _pia_draft(self, municipality, name: str | None, output: Path) -> dict:
        from jichitai.pia.draft import PiaDraftError, export_bytes
        from jichitai.pia.models import SpiFile

        if not name:
            raise InvalidInput("export pia-draft には --file（特定個人情報ファイル名）の指定が必要です。")
        spi_file = visible(SpiFile.objects.filter(municipality=municipality, name=normalise(name)),
                           COMMAND_LINE).first()
        if spi_file is None:
            raise InvalidInput(f"特定個人情報ファイル「{name}」は団体 {municipality.code} に登録されていません。")
        try:
            data = export_bytes(spi_file)
        except PiaDraftError as exc:
            raise InvalidInput(str(exc)) from exc
        output.write_bytes(data)
        return {"file": str(output), "municipality": municipality.code, "spi_file": spi_file.name}
