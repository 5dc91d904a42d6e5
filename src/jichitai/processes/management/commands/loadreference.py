from jichitai.core.commands import DomainCommand
from jichitai.processes.services import load_beppyo


class Command(DomainCommand):
    help = "Load the reference catalogues shipped in jichitai/data (番号法 別表). Idempotent."

    def handle(self, *args, **options):
        result = load_beppyo()
        self.emit(options, {"beppyo": result},
                  f"別表: {result['total']} items ({result['created']} created, {result['updated']} updated), "
                  f"revision {result['revision']}")
