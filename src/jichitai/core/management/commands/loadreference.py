from jichitai.core.commands import DomainCommand
from jichitai.core.reference import load_all, reference_data


class Command(DomainCommand):
    help = "Load the reference data shipped in jichitai/data (別表, measures framework, curriculum, …). Idempotent."

    def handle(self, *args, **options):
        result = load_all()
        lines = []
        for item in reference_data():
            outcome = result[item.key]
            line = f"{item.label}: {outcome['total']} 件（新規 {outcome.get('created', 0)}、更新 {outcome.get('updated', 0)}）"
            if outcome.get("revision"):
                line += f" 版 {outcome['revision']}"
            lines.append(line)
        self.emit(options, result, "\n".join(lines))
