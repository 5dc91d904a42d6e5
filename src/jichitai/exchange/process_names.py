"""Naming a process in a sheet: the register's own name, a label such as 「別表56項」, or the 別表 text.

Shared by the progress sheet and the staff roster, so that both accept the same names (issue 4 §3).
"""

from dataclasses import dataclass

from jichitai.core.sheets.reading import compact
from jichitai.core.sheets.report import ImportReport
from jichitai.processes import rules
from jichitai.processes.models import LegalBasisItem, Process


@dataclass
class Resolution:
    process_id: int | None = None  # a process of the register
    item: LegalBasisItem | None = None  # a 別表 item the register has no process for yet


class ProcessNames:
    """The register and the catalogue, loaded once (two queries)."""

    def __init__(self, municipality):
        self.municipality = municipality
        processes = list(Process.objects.filter(municipality=municipality).values_list(
            "id", "name", "beppyo_item__item_arabic"))
        self.by_name = {compact(name): pid for pid, name, _ in processes}
        self.by_item: dict[str, list[int]] = {}
        for pid, _, arabic in processes:
            if arabic:
                self.by_item.setdefault(arabic, []).append(pid)
        self.items = {item.item_arabic: item for item in LegalBasisItem.objects.all()}
        self.comparable = {key: rules.comparable_text(item.process) for key, item in self.items.items()}

    def resolve(self, name: str, sheet: str, cell: str, report: ImportReport) -> Resolution | None:
        """The process a name means, or None after reporting why it means none (or several)."""
        key = compact(name)
        if key in self.by_name:
            return Resolution(process_id=self.by_name[key])
        label = rules.parse_item_label(name)
        if label is not None:
            item = self.items.get(label)
            if item is None:
                report.error(sheet, cell, f"{rules.format_item_label(label)} は番号法別表にありません。")
                return None
        else:
            match = rules.match_catalogue(name, self.comparable)
            if match.key is None:
                candidates = "、".join(
                    f"{rules.format_item_label(k)}（{self.items[k].process[:30]}…, 類似度 {s:.2f}）"
                    for k, s in match.candidates
                ) or "なし"
                reason = ("候補が絞り込めません" if match.score >= rules.MATCH_MIN_SCORE
                          else "登録簿にも番号法別表にも一致する事務がありません")
                report.error(sheet, cell, f"事務「{name[:40]}」: {reason}。近い候補: {candidates}")
                return None
            item = self.items[match.key]
            if not match.exact:
                report.warn(sheet, cell,
                            f"事務「{name[:40]}」を {item.label}（{item.process[:40]}…）と判定しました（類似度 {match.score:.2f}）。")
        existing = self.by_item.get(item.item_arabic, [])
        if len(existing) > 1:
            report.error(sheet, cell, f"{item.label} に当たる事務が登録簿に複数あります。事務名で指定してください。")
            return None
        if existing:
            return Resolution(process_id=existing[0])
        return Resolution(item=item)
