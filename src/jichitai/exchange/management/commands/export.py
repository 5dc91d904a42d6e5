from pathlib import Path

from jichitai.core.commands import DomainCommand
from jichitai.exchange.progress_export import export_bytes
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.processes.queries import progress_matrix


class Command(DomainCommand):
    help = "Export a sheet: `export progress --municipality CODE -o FILE.xlsx`."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("kind", choices=["progress"])
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--as-of")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, **options):
        municipality = self.municipality(options["municipality"])
        as_of = self.as_of(options["as_of"])
        output = Path(options["output"])
        output.write_bytes(export_bytes(progress_matrix(COMMAND_LINE, municipality, as_of)))
        self.emit(options, {"file": str(output), "municipality": municipality.code, "as_of": as_of.isoformat()},
                  f"{output} を書き出しました。")
