"""Import of a large 情報資産取扱手順表 + リスク分析表 workbook, against openpyxl merely reading it.

Requirement: a workbook of 20,000 handling rows and 20,000 risk rows imports in less time than openpyxl
(read-only mode) takes merely to read the same workbook's cells. In one run this script measures, each
--repeat times (medians reported), on a fresh SQLite database in a temporary directory:

  read      openpyxl.load_workbook(read_only=True, data_only=True), every cell of every sheet visited
            with ws.iter_rows(values_only=True);
  import    jichitai.exchange.imports.run_import(data, actor=None, municipality=m): read, validate and
            write all 40,000 rows (and their countermeasures) for real, committed. The process is in the
            register beforehand; its rows are deleted (outside the timing) after each repetition, so every
            repetition imports into an empty analysis;
  dry run   the same with dry_run=True (everything written, then rolled back), for information.

The workbook is generated with openpyxl's write-only mode in the seed's layout (tests/seed_sheets.py): a
title row 「情報資産取扱手順表(事務名)」 with 「日付: H30.1.10」 in column K, the header row, the data rows;
the risk sheet ends with the seed's scale legend. Cell texts vary from row to row; ratings are 1–3; the
stated 資産価値/総合評価/残存評価 are right except for about 2% of rows (so the import warns); each 対策 cell
has one or two bullets with △0.5 or △1.

The main figure is one process with both sheets of 20,000 rows. `--split` adds, for information, the same
40,000 rows split over 20 processes (20 sheet pairs of 1,000 rows).
"""

import argparse
import atexit
import io
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

PROCESS = "軽自動車税の減免申請に係る事務"
DATE = "日付: H30.1.10"
# The seed's headers as typed in the seed (with its stray spaces) and the legend under its risk table.
HANDLING_HEADER = ["ID", "情報資産名称", "種類", "取扱段階", "取扱方法", "取扱手順", "関連業務機能", "責任者", "責任者 任務",
                   "担当者", "担当者任務", "備考", "機密性", "完全性", "可用性", "資産 価値"]
RISK_HEADER = ["ID", "情報資産名称", "資産価値", "脆弱性", "脆弱性評価", "脅威", "関連業務機能", "脅威評価", "総合評価", "対策",
               "残存リスク", "残存評価"]
LEGEND = [
    ["脅威"], ["評価", "クラス", "内容"], [3, "高", "発生する可能性は高い"], [2, "中", "発生する可能性は中程度である"],
    [1, "低", "発生する可能性は低い"], ["ぜい弱性"], ["評価", "クラス", "内容"],
    [3, "高", "全く管理策が講じられていないためぜい弱である"], [2, "中", "管理策の追加等により改善の余地がある"],
    [1, "低", "適切な管理策が講じられていて安全である"],
]

ASSETS = ["減免申請書", "住民票の写し", "課税台帳", "納税通知書", "還付申請書", "本人確認書類の写し", "申告書", "決定通知書",
          "照会結果一覧", "システム出力帳票", "委任状", "口座振替依頼書", "課税証明書", "督促状控"]
KINDS = ["紙", "紙", "電子", "電子", "その他"]
STAGES = ["取得", "利用", "保管", "提供", "廃棄"]
VERBS = ["受領し", "確認し", "入力し", "照合し", "複写し", "送付し", "綴じ", "保管し", "裁断し", "消去し"]
OBJECTS = ["提出された書類", "申請内容", "添付書類", "本人確認書類", "システムの照会結果", "原本", "写し", "帳票", "電子データ",
           "通知書"]
ENDINGS = ["不備がないか確認する。", "記録簿に記録する。", "課長の承認を得る。", "施錠できる書庫に保管する。",
           "担当課員が二人で確認する。", "処理日を台帳に記入する。", "郵送で返送する。", "システムに登録する。"]
FUNCTIONS = ["申請書の受領", "本人確認と個人番号照会", "入力", "保管", "廃棄", "決定通知書の発行", "審査", "照会回答", "還付処理"]
RESPONSIBLE = ["課長", "課長補佐", "係長"]
DUTIES = ["指示", "承認", "確認", "監督"]
HANDLERS = ["担当課員", "窓口担当", "会計年度任用職員", "システム担当"]
HANDLER_DUTIES = ["添付書類の確認", "本人確認", "システムへの入力 決定通知書の発行", "ファイルの整理・記録", "裁断処分する",
                  "照会結果の確認", "郵送準備"]
NOTES = ["", "", "", "税関係システム", "税関係システム 通知書の郵送", "住基ネット照会", "中間サーバー経由"]
WEAKNESSES = ["窓口がオープンスペースのため、第三者に見られる可能性が高い。", "本人確認の際に他者に聞こえる。声によって漏洩する可能性が高い。",
              "入力途中で退席した場合に、他者が情報をのぞき見る可能性がある。", "保管整理がされていないため、保管場所が分からなくなる。",
              "廃棄時に保管場所から出した際に、外部に落としてしまう可能性がある。", "パスワードが共有されている。",
              "USBメモリの持ち出し制限がない。", "郵送先の確認手順が定められていない。"]
THREATS = ["他者に見られ、記録されたため情報が漏洩する。", "他者に聞こえ、記録されたため情報が漏洩する。",
           "保管整理の不備により、他者が見つけて記録されてしまう可能性がある。", "外部の人が拾って情報を記録してしまう。",
           "誤送付により第三者に情報が渡る。", "不正アクセスにより情報が持ち出される。"]
MEASURES = ["個人スペースを作る。", "周りに人がいないか確認する。", "張り紙等によって読み上げないよう注意喚起する事を要領化する。",
            "退席時は、パソコンの画面のフィルタリングをし、申請書は机の中に入れてしまう。", "整理整頓と保存場所の記録と管理。",
            "書類をすぐに裁断する。", "ブルーシートを敷くなど、見落しがないようにする。", "宛先を二人で読み合わせる。",
            "パスワードを個人ごとに設定する。", "USBメモリの使用を許可制にする。"]
RESIDUAL_RISKS = ["個人情報を他者に聞こえる声で読みあげる。", "徹底されない可能性がある。", "忘れる可能性がある。",
                  "廃棄後回収されて復元される。", "確認漏れが起こり得る。"]


def setup() -> None:
    """Django on a fresh SQLite database in a temp dir, as bench/progress_pages.py does."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from progress_pages import setup_django

    data_dir = tempfile.mkdtemp(prefix="jichitai-bench-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)  # ~17 MB of imported rows
    setup_django(data_dir)


def number(value: Decimal | int) -> int | float:
    """How a score is typed into a cell: 8, 7.5."""
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


def sheet_rows(rng: random.Random, count: int, wrong: float = 0.02) -> tuple[list[list], list[list], int]:
    """(handling rows, risk rows, countermeasure count) for `count` rows of one process."""
    handling, risk, measures_total = [], [], 0
    for i in range(count):
        row_id = f"{i // 5 + 1}-{i % 5 + 2}"  # groups of five stages, like the seed's 1-2 … 1-6
        asset = f"{rng.choice(ASSETS)}（{i // 5 + 1}件目）"
        c, g, a = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
        value = c + g + a - 3  # the default method, sum_minus_3
        stated_value = value + 1 if rng.random() < wrong else value
        function = rng.choice(FUNCTIONS)
        handling.append([
            row_id, asset, rng.choice(KINDS), STAGES[i % 5],
            f"{rng.choice(OBJECTS)}を{rng.choice(VERBS)}、{rng.choice(ENDINGS)}",
            f"{rng.choice(OBJECTS)}を{rng.choice(VERBS)}、{rng.choice(ENDINGS)}{rng.choice(ENDINGS)}",
            function, rng.choice(RESPONSIBLE), rng.choice(DUTIES), rng.choice(HANDLERS), rng.choice(HANDLER_DUTIES),
            rng.choice(NOTES), c, g, a, stated_value,
        ])
        vulnerability, threat = rng.randint(1, 3), rng.randint(1, 3)
        chosen = rng.sample(MEASURES, rng.randint(1, 2))
        reductions = [rng.choice((Decimal("0.5"), Decimal(1))) for _ in chosen]
        separator = rng.choice((" ", "\n"))
        cell = separator.join(f"・{text}△{number(r)}" for text, r in zip(chosen, reductions, strict=True))
        measures_total += len(chosen)
        total = value * vulnerability * threat
        residual = Decimal(value) * max(Decimal(1), vulnerability - sum(reductions)) * threat
        risk.append([
            row_id, asset, value, rng.choice(WEAKNESSES), vulnerability, rng.choice(THREATS), function, threat,
            total + 1 if rng.random() < wrong else total, cell, rng.choice(RESIDUAL_RISKS),
            number(residual + 1 if rng.random() < wrong else residual),
        ])
    return handling, risk, measures_total


def title(kind: str, width: int, process: str) -> list:
    row = [f"{kind}({process})"] + [None] * (width - 1)
    row[10] = DATE
    return row


def build_workbook(processes: list[str], rows_each: int, seed: int = 1) -> tuple[bytes, int]:
    """(xlsx bytes, countermeasure count): a handling and a risk sheet per process."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    measures = 0
    for n, process in enumerate(processes, start=1):
        handling, risk, count = sheet_rows(rng, rows_each)
        measures += count
        suffix = f"{n} " if len(processes) > 1 else ""
        for name, rows in ((f"{suffix}情報資産取扱手順表", [title("情報資産取扱手順表", 17, process), HANDLING_HEADER,
                                                          *handling]),
                           (f"{suffix}リスク分析表", [title("リスク分析表", 12, process), RISK_HEADER, *risk, *LEGEND])):
            sheet = workbook.create_sheet(name)
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), measures


def openpyxl_read(data: bytes) -> int:
    """Visit every cell value of every sheet; returns the number of cells visited."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for _value in row:
                cells += 1
    workbook.close()
    return cells


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def check(report, processes: list, rows_each: int, measures: int, *, dry_run: bool) -> None:
    from jichitai.handling.models import HandlingRow
    from jichitai.risk.models import Countermeasure, RiskRow

    assert report.ok, report.errors[:5]
    assert len(report.sheets) == 2 * len(processes), report.sheets
    for result in report.sheets:
        assert (result.rows, result.created, result.updated) == (rows_each, rows_each, 0), result
    expected = (0, 0, 0) if dry_run else (rows_each * len(processes), rows_each * len(processes), measures)
    counts = (HandlingRow.objects.filter(process__in=processes).count(),
              RiskRow.objects.filter(handling_row__process__in=processes).count(),
              Countermeasure.objects.filter(risk_row__handling_row__process__in=processes).count())
    assert counts == expected, (counts, expected)


def clear(processes: list) -> None:
    """Back to an empty analysis for the processes (cascades to risk rows and countermeasures)."""
    from django.db import transaction

    from jichitai.handling.models import HandlingRow, ProcessAnalysis
    from jichitai.risk.models import Countermeasure, RiskRow

    with transaction.atomic():
        Countermeasure.objects.filter(risk_row__handling_row__process__in=processes).delete()
        RiskRow.objects.filter(handling_row__process__in=processes).delete()
        HandlingRow.objects.filter(process__in=processes).delete()
        ProcessAnalysis.objects.filter(process__in=processes).delete()


def run_variant(label: str, municipality, names: list[str], rows_each: int, repeat: int) -> None:
    from jichitai.exchange.imports import run_import
    from jichitai.processes.models import Process

    data, measures = build_workbook(names, rows_each)
    processes = [Process.objects.create(municipality=municipality, name=name) for name in names]
    reads, imports, dry_runs = [], [], []
    warnings = 0
    for _ in range(repeat):
        seconds, cells = timed(openpyxl_read, data)
        reads.append(seconds)
        seconds, report = timed(run_import, data, actor=None, municipality=municipality)
        imports.append(seconds)
        check(report, processes, rows_each, measures, dry_run=False)
        warnings = len(report.warnings)
        clear(processes)
        seconds, report = timed(run_import, data, actor=None, municipality=municipality, dry_run=True)
        dry_runs.append(seconds)
        check(report, processes, rows_each, measures, dry_run=True)
    read, full, dry = (statistics.median(t) for t in (reads, imports, dry_runs))
    ratio = full / read
    print(f"\n[{label}] {len(names)} process(es) × ({rows_each:,} handling + {rows_each:,} risk rows) · "
          f"{2 * len(names)} sheets · {cells:,} cells · {measures:,} countermeasures · {len(data) / 1e6:.1f} MB")
    print(f"  warnings per import: {warnings:,} (stated values that differ from the computed ones)")
    print(f"  {'':<44} {'median s':>9}   {'all runs (s)'}")
    for name, values in (("openpyxl read-only read of every cell", reads), ("run_import (written, committed)", imports),
                         ("run_import dry_run=True", dry_runs)):
        print(f"  {name:<44} {statistics.median(values):>9.2f}   {' '.join(f'{v:.2f}' for v in values)}")
    print(f"  ratio import / openpyxl read = {ratio:.2f} → {'< 1: requirement met' if ratio < 1 else '≥ 1: NOT met'}"
          f" (dry run / read = {dry / read:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000, help="handling rows (and risk rows) in total")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--split", action="store_true", help="also the 20-process variant")
    args = parser.parse_args()
    setup()

    from django.db import connection

    from jichitai.core.codes import with_check_digit
    from jichitai.orgs.models import Association, Municipality
    from jichitai.processes.services import load_beppyo

    load_beppyo()
    association = Association.objects.create(name="ベンチ協議会")
    municipality = Municipality.objects.create(code=with_check_digit("99901"), name="ベンチ市", association=association)
    connection.ensure_connection()
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"SQLite {sqlite3.sqlite_version} · {connection.settings_dict['NAME']}")
    print(f"repetitions: {args.repeat} (medians)")
    run_variant("one process", municipality, [PROCESS], args.rows, args.repeat)
    if args.split:
        names = [f"{PROCESS}{n}" for n in range(1, 21)]
        run_variant("20 processes", municipality, names, args.rows // 20, args.repeat)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
