from jichitai.core.commands import DomainCommand
from jichitai.core.reference import load_all, reference_data


class Command(DomainCommand):
    help = "同梱の参照データ（別表、安全管理措置の枠組み、研修カリキュラムなど）を読み込みます。何度実行しても同じ結果です。"

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
