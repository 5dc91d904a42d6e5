"""`jichitai pia-threshold --persons N --handlers S [--serious-incident] [--staff-only] --format json`."""

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.pia import rules


class Command(DomainCommand):
    help = ("特定個人情報ファイルに必要な特定個人情報保護評価（規則第4条〜第7条）: "
            "不要・基礎項目評価・基礎項目評価＋重点項目評価・基礎項目評価＋全項目評価を、条文と理由とともに示します。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Read as text and checked in handle(): a bad count then exits 2 with a Japanese message (and one JSON
        # document under --format json) whether the command runs from the shell or through call_command.
        parser.add_argument("--persons", required=True, help="対象人数 N（ファイルに記録される本人の数）")
        parser.add_argument("--handlers", required=True, help="取扱者数 S（取り扱う職員と委託先の人数）")
        parser.add_argument("--serious-incident", action="store_true",
                            help="過去1年以内に重大事故が発生した、または知った")
        parser.add_argument("--staff-only", action="store_true", help="職員だけのファイル（評価不要）")

    def handle(self, *args, **options):
        try:
            persons = rules.read_count(options["persons"], "--persons（対象人数）")
            handlers = rules.read_count(options["handlers"], "--handlers（取扱者数）")
        except rules.InvalidCount as exc:
            raise InvalidInput(str(exc)) from exc
        result = rules.threshold(persons, handlers, options["serious_incident"], options["staff_only"])
        self.emit(options, result.as_json(), f"{result.label}（{result.article}）\n{result.reason}")
