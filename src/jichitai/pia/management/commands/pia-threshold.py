"""`jichitai pia-threshold --persons N --handlers S [--serious-incident] [--staff-only] --format json`."""

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.pia import rules


class Command(DomainCommand):
    help = ("Which 特定個人情報保護評価 the law requires for a file (規則第4条〜第7条): "
            "none, basic, basic+key or basic+full, with the article and the reason.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Read as text and checked in handle(): a bad count then exits 2 with a Japanese message (and one JSON
        # document under --format json) whether the command runs from the shell or through call_command.
        parser.add_argument("--persons", required=True, help="対象人数 N (persons recorded in the file)")
        parser.add_argument("--handlers", required=True, help="取扱者数 S (staff and contractors handling it)")
        parser.add_argument("--serious-incident", action="store_true",
                            help="A: a serious incident occurred or became known within the past year")
        parser.add_argument("--staff-only", action="store_true", help="a file of staff only (exempt)")

    def handle(self, *args, **options):
        try:
            persons = rules.read_count(options["persons"], "--persons（対象人数）")
            handlers = rules.read_count(options["handlers"], "--handlers（取扱者数）")
        except rules.InvalidCount as exc:
            raise InvalidInput(str(exc)) from exc
        result = rules.threshold(persons, handlers, options["serious_incident"], options["staff_only"])
        self.emit(options, result.as_json(), f"{result.label}（{result.article}）\n{result.reason}")
