from jichitai.core.commands import DomainCommand
from jichitai.core.wareki import format_date
from jichitai.orgs.commands import municipality_from_code
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.processes import rules
from jichitai.processes.queries import progress_matrix
from jichitai.processes.serializers import matrix_json
from jichitai.processes.services import rebuild_current_cells


class Command(DomainCommand):
    help = "団体の進捗表をある日付の時点で表示します。または、すべての現在の進捗を履歴から再構築します。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--municipality", help="団体コード（6桁）")
        target.add_argument("--rebuild", action="store_true",
                            help="すべての事務の現在の進捗を履歴から再構築する")
        parser.add_argument("--as-of", help="日付（YYYY-MM-DD または和暦。省略時: 今日）")

    def handle(self, *args, **options):
        if options["rebuild"]:
            cells = rebuild_current_cells(progress=self.progress("現在の進捗を再構築"))
            self.emit(options, {"ok": True, "cells": cells}, f"現在の進捗を履歴から再構築しました（{cells:,} セル）。")
            return
        municipality = municipality_from_code(options["municipality"])
        as_of = self.as_of(options["as_of"])
        matrix = progress_matrix(COMMAND_LINE, municipality, as_of)
        payload = matrix_json(matrix)
        lines = [f"{municipality.code} {municipality.name} {format_date(as_of)}現在"]
        for row in payload["rows"]:
            symbols = " ".join(rules.STATUS_SYMBOL[row["cells"][name]] for _, name in rules.COLUMNS)
            lines.append(f"{symbols}  {row['process']}")
        self.emit(options, payload, "\n".join(lines))

