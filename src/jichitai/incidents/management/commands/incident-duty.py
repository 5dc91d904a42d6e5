"""`jichitai incident-duty`: is an incident reportable to the 個人情報保護委員会, on which grounds, by when.

Nothing is read from or written to the database: the answer comes from incidents.rules alone. The
association's 速報 target is not known here, so the default (known-at + 3 days) is used.
"""

import datetime as dt
import re
import unicodedata

from django.utils import timezone

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.core.wareki import format_date
from jichitai.incidents import rules

_KNOWN_AT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$")


def parse_known_at(value: str) -> dt.datetime:
    """YYYY-MM-DD or YYYY-MM-DDTHH:MM, read as Asia/Tokyo time."""
    match = _KNOWN_AT.match(unicodedata.normalize("NFKC", value or "").strip())
    if not match:
        raise InvalidInput(f"--known-at「{value}」は YYYY-MM-DD または YYYY-MM-DDTHH:MM で指定してください。")
    year, month, day, hour, minute = (int(g) if g else 0 for g in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, tzinfo=rules.TOKYO)
    except ValueError:
        raise InvalidInput(f"--known-at「{value}」は存在しない日時です。") from None


def parse_persons(value: str | None) -> int | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
    if not re.fullmatch(r"-?\d+", text):
        raise InvalidInput(f"--persons「{value}」は0以上の整数で指定してください。")
    return int(text)


class Command(DomainCommand):
    help = ("事案が個人情報保護委員会への報告の対象か（報告規則 第2条）、その理由、"
            "速報（目安）と確報の期限（第3条）を示します。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--known-at", required=True, help="事態を知った日時 YYYY-MM-DD[THH:MM]（日本時間）")
        parser.add_argument("--persons", help="本人の数（不明なら省略: 100人を超えるおそれありとして扱う）")
        parser.add_argument("--network-or-number-system", action="store_true",
                            help="情報提供ネットワークシステム、または個人番号利用事務・関係事務のシステムで起きた（第1号）")
        parser.add_argument("--improper-purpose", action="store_true", help="不正の目的によるもの（第2号）")
        parser.add_argument("--public-exposure", action="store_true", help="不特定多数の者が閲覧できる状態になった（第3号）")
        parser.add_argument("--encrypted", action="store_true", help="高度な暗号化その他の保護措置あり（すべての事由から除外）")

    def handle(self, *args, **options):
        known_at = parse_known_at(options["known_at"])
        persons = parse_persons(options["persons"])
        errors = rules.input_errors(discovered_at=None, known_at=known_at, persons=persons,
                                    persons_unknown=False, now=timezone.now())
        if errors:
            raise InvalidInput(" ".join(errors.values()))
        assessment = rules.assess(persons, persons is None, options["network_or_number_system"],
                                  options["improper_purpose"], options["public_exposure"], options["encrypted"],
                                  known_at, rules.DEFAULT_PRELIMINARY_DAYS)
        self.emit(options, assessment.as_json(), self.text(assessment))

    @staticmethod
    def text(assessment: rules.Assessment) -> str:
        lines = [f"報告対象: {'はい' if assessment.reportable else 'いいえ'}"]
        for ground in assessment.grounds:
            lines.append(f"  {rules.GROUND_BY_NUMBER[ground].article} {rules.GROUND_BY_NUMBER[ground].label}")
        if assessment.reportable:
            lines.append(f"速報: {format_date(assessment.preliminary_due)} （目安。法定の日数はなく「速やかに」、"
                         f"{rules.PRELIMINARY_ARTICLE}）")
            lines.append(f"確報: {format_date(assessment.final_due)} まで（{rules.FINAL_ARTICLE}、"
                         f"知った日から{assessment.final_days}日以内）")
            lines.append(f"本人への通知: 必要（{rules.NOTICE_ARTICLE}）")
        lines += [f"理由: {r.text}（{r.article}）" for r in assessment.reasons if r.ground is None
                  and not assessment.reportable]
        return "\n".join(lines)
