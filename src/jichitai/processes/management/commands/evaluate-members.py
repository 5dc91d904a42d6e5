import os

from django.utils import timezone

from jichitai.core.commands import EXIT_PROBLEMS, DomainCommand, InvalidInput
from jichitai.orgs.models import Association, Municipality
from jichitai.processes.models import MemberEvaluation
from jichitai.processes.summary_services import queue_evaluation, run_evaluation


class Command(DomainCommand):
    help = ("構成団体の集計（進捗とチェックリスト）を今日の時点で更新します（一つの協議会の構成団体、またはすべての団体）。"
            "進み具合は協議会のページに、端末では進捗バーで表示します。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--association", type=int, help="協議会のID（省略時: すべての団体）")
        parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                            help="並行して集計するプロセス数（既定 2、CPU が一つなら 1）")

    def handle(self, *args, **options):
        association, members = None, Municipality.objects.all()
        if options["association"] is not None:
            association = Association.objects.filter(pk=options["association"]).first()
            if association is None:
                raise InvalidInput(f"協議会 {options['association']} はありません。")
            members = members.members_of(association)
        ids = list(members.order_by("pk").values_list("pk", flat=True))
        started = timezone.now()
        run = queue_evaluation(actor=None, via="command", association=association, member_ids=ids)
        if options["workers"] < 1:
            raise InvalidInput("--workers は 1 以上で指定してください。")
        run_evaluation(run.pk, ids, progress=self.progress("構成団体の再集計"), workers=options["workers"])
        run.refresh_from_db()
        seconds = (timezone.now() - started).total_seconds()
        payload = {"ok": run.state == MemberEvaluation.State.DONE, "run": run.pk, "state": run.state,
                   "members": run.done, "seconds": round(seconds, 1)}
        if run.state == MemberEvaluation.State.DONE:
            text = f"{run.done:,} 団体の集計を更新しました（{seconds:.1f} 秒）。"
        else:
            text = f"再集計に失敗しました（{run.message}）。{run.done:,} / {run.total:,} 団体まで更新済みです。"
        self.emit(options, payload, text)
        if run.state != MemberEvaluation.State.DONE:
            self.exit(EXIT_PROBLEMS)
