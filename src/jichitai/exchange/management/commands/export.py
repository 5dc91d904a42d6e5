from pathlib import Path

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.core.text import normalise
from jichitai.exchange import analysis_export, progress_export
from jichitai.orgs.scoping import COMMAND_LINE, visible
from jichitai.processes.models import Process
from jichitai.processes.queries import progress_matrix
from jichitai.risk.queries import settings_for


class Command(DomainCommand):
    help = ("Export a sheet: `export progress --municipality CODE -o FILE.xlsx`, "
            "`export risk --municipality CODE --process NAME -o FILE.xlsx`.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("kind", choices=["progress", "risk"])
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--as-of", help="progress: the date of the matrix (default: today)")
        parser.add_argument("--process", help="risk: the process name (情報資産取扱手順表・リスク分析表)")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, **options):
        municipality = self.municipality(options["municipality"])
        output = Path(options["output"])
        if options["kind"] == "risk":
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
