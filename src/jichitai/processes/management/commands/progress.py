from jichitai.core.commands import DomainCommand
from jichitai.orgs.commands import municipality_from_code
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.processes import rules
from jichitai.processes.queries import progress_matrix
from jichitai.processes.serializers import matrix_json


class Command(DomainCommand):
    help = "Print a municipality's progress matrix as of a date."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--municipality", required=True, help="6-digit local government code")
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        municipality = municipality_from_code(options["municipality"])
        as_of = self.as_of(options["as_of"])
        matrix = progress_matrix(COMMAND_LINE, municipality, as_of)
        payload = matrix_json(matrix)
        lines = [f"{municipality.code} {municipality.name} {as_of.isoformat()}現在"]
        for row in payload["rows"]:
            symbols = " ".join(rules.STATUS_SYMBOL[row["cells"][name]] for _, name in rules.COLUMNS)
            lines.append(f"{symbols}  {row['process']}")
        self.emit(options, payload, "\n".join(lines))

