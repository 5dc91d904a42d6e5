"""What the import commands share: a file, the municipality it belongs to, a dry run."""

from pathlib import Path

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.orgs.commands import municipality_from_code


class FileImportCommand(DomainCommand):
    municipality_help = "団体コード（6桁）: シートの属する団体"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="取り込むファイル（.xlsx、.csv、.json）")
        parser.add_argument("--municipality", help=self.municipality_help)
        parser.add_argument("--dry-run", action="store_true", help="検証と件数の確認だけを行い、何も書き込まない")

    def read(self, options) -> tuple[Path, bytes, object]:
        """(path, its bytes, the municipality named or None); exit 2 when either is wrong."""
        path = Path(options["file"])
        if not path.is_file():
            raise InvalidInput(f"ファイル {path} がありません。")
        municipality = municipality_from_code(options["municipality"]) if options["municipality"] else None
        return path, path.read_bytes(), municipality
