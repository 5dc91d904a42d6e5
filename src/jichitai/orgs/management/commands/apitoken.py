from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.orgs.models import ApiToken
from jichitai.orgs.token_services import (
    DEFAULT_EXPIRES_DAYS,
    STATE_LABELS,
    create_api_token,
    revoke_api_token,
    token_state,
    tokens_of,
)


def _when(value) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


class Command(DomainCommand):
    help = ("利用者の個人用APIトークンを発行して表示します（二度と表示できません）。"
            "--list USERNAME で一覧、--revoke PREFIX で失効。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username", nargs="?", help="トークンを発行する利用者")
        parser.add_argument("--name", default="", help="トークンの用途がわかる名前")
        parser.add_argument("--expires-days", type=int, default=DEFAULT_EXPIRES_DAYS,
                            help=f"有効期間の日数（1〜365、既定 {DEFAULT_EXPIRES_DAYS}）")
        parser.add_argument("--read-only", action="store_true", help="読み取り専用のトークンにする")
        parser.add_argument("--list", metavar="USERNAME", dest="list_user", help="利用者のトークンを一覧する")
        parser.add_argument("--revoke", metavar="PREFIX", help="この接頭辞のトークンを失効させる")

    def _user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise InvalidInput(f"ユーザー {username} がいません。")
        return user

    def handle(self, *args, **options):
        chosen = [bool(options["username"]), bool(options["list_user"]), bool(options["revoke"])]
        if sum(chosen) != 1:
            raise InvalidInput("USERNAME、--list USERNAME、--revoke PREFIX のどれか一つを指定してください。")
        if options["list_user"]:
            return self._list(options)
        if options["revoke"]:
            return self._revoke(options)
        user = self._user(options["username"])
        try:
            token = create_api_token(actor=None, via="command", user=user, name=options["name"],
                                     expires_days=options["expires_days"], read_only=options["read_only"])
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages)) from None
        made = tokens_of(user)[0]
        scope = "読み取り専用" if made.read_only else "読み書き"
        # The token alone on stdout (TOKEN=$(jichitai apitoken USER)); what it is, on stderr.
        self.emit(options, {"username": user.username, "token": token, "prefix": made.prefix, "name": made.name,
                            "read_only": made.read_only, "expires_at": made.expires_at.isoformat()}, token)
        if options["format"] == "text":
            self.stderr.write(f"このトークンは二度と表示されません（接頭辞 {made.prefix}、{scope}、"
                              f"有効期限 {_when(made.expires_at)}）。")

    def _list(self, options):
        user = self._user(options["list_user"])
        now = timezone.now()
        rows = [{"prefix": t.prefix, "name": t.name, "read_only": t.read_only, "state": token_state(t, now),
                 "created_at": t.created_at.isoformat(),
                 "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                 "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                 "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None} for t in tokens_of(user)]
        lines = [f"{user.username} のAPIトークン: {len(rows)}件"]
        for t, row in zip(tokens_of(user), rows, strict=True):
            lines.append(f"{t.prefix}  {t.name or '（名前なし）'}  {'読み取り専用' if t.read_only else '読み書き'}  "
                         f"{STATE_LABELS[row['state']]}  作成 {_when(t.created_at)}  期限 {_when(t.expires_at) or '-'}  "
                         f"最終使用 {_when(t.last_used_at) or '未使用'}")
        self.emit(options, {"username": user.username, "tokens": rows}, "\n".join(lines))

    def _revoke(self, options):
        matches = list(ApiToken.objects.select_related("user").filter(prefix=options["revoke"]))
        if not matches:
            raise InvalidInput(f"接頭辞 {options['revoke']} のAPIトークンがありません。")
        if len(matches) > 1:
            raise InvalidInput(f"接頭辞 {options['revoke']} のAPIトークンが複数あります。")
        token = matches[0]
        already = token.revoked_at is not None
        revoke_api_token(actor=None, via="command", token=token)
        text = (f"APIトークン {token.prefix}（{token.user.username}）は既に失効しています。" if already
                else f"APIトークン {token.prefix}（{token.user.username}）を失効させました。")
        self.emit(options, {"prefix": token.prefix, "username": token.user.username,
                            "revoked_at": token.revoked_at.isoformat(), "already_revoked": already}, text)
