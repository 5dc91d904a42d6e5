"""`jichitai user`: accounts and roles from the command line (the machine's operator: every scope).

    jichitai user add USERNAME (--municipality CODE | --association NAME | --operator) --role ROLE
                      [--name 氏名] [--password-stdin]        without a password: a one-time set-up link
    jichitai user list [--municipality CODE | --association NAME]
    jichitai user grant USERNAME (--municipality CODE | --association NAME | --operator) --role ROLE
    jichitai user revoke USERNAME (--municipality CODE | --association NAME | --operator)
    jichitai user deactivate USERNAME
    jichitai user reset USERNAME                               a new set-up link; the old password stops working
    jichitai user unlock USERNAME

Every subcommand takes --format json; exit 0 on success, 2 on invalid input (then nothing was written).
"""

import sys

from django.contrib.auth import get_user_model

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.orgs import queries, services
from jichitai.orgs.commands import municipality_from_code
from jichitai.orgs.models import Association, Membership
from jichitai.orgs.scoping import COMMAND_LINE, visible

ROLES = [choice for choice, _ in Membership.Role.choices]
USERNAME_HELP = "ログイン名"
ROLE_HELP = "権限（" + "、".join(f"{code}: {services.ROLE_LABELS[code]}" for code in ROLES) + "）"


def _scope_arguments(parser, *, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--municipality", metavar="CODE", help="団体コード（6桁）")
    group.add_argument("--association", metavar="NAME", help="協議会名")
    group.add_argument("--operator", action="store_true", help="運用管理者（団体に属さない）")


class Command(DomainCommand):
    help = "利用者と権限の管理（add / list / grant / revoke / deactivate / reset / unlock）。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="SUBCOMMAND")

        def sub(name, help_text):
            sub_parser = commands.add_parser(name, help=help_text)
            sub_parser.add_argument("--format", choices=["text", "json"], default="text",
                                    help="出力の形式（text: 人が読む文、json: スクリプト向け）")
            return sub_parser

        add = sub("add", "利用者を追加する（パスワードなしなら一度だけ使える設定用リンクを表示）")
        add.add_argument("username", help=USERNAME_HELP)
        _scope_arguments(add, required=True)
        add.add_argument("--role", choices=ROLES, help=ROLE_HELP)
        add.add_argument("--name", default="", help="氏名")
        add.add_argument("--password-stdin", action="store_true", help="パスワードを標準入力から読む")
        listing = sub("list", "利用者の一覧")
        group = listing.add_mutually_exclusive_group()
        group.add_argument("--municipality", metavar="CODE", help="団体コード（6桁）")
        group.add_argument("--association", metavar="NAME", help="協議会名")
        grant = sub("grant", "既存の利用者に権限を付与する")
        grant.add_argument("username", help=USERNAME_HELP)
        _scope_arguments(grant, required=True)
        grant.add_argument("--role", choices=ROLES, help=ROLE_HELP)
        revoke = sub("revoke", "権限を外す")
        revoke.add_argument("username", help=USERNAME_HELP)
        _scope_arguments(revoke, required=True)
        for name, help_text in (("deactivate", "利用者を無効にする（削除はしない）"),
                                ("reset", "パスワードを無効にし、新しい設定用リンクを表示する"),
                                ("unlock", "ロックを解除する")):
            sub(name, help_text).add_argument("username", help=USERNAME_HELP)

    def handle(self, *args, **options):
        return getattr(self, "do_" + options["action"])(options)

    # --- helpers -----------------------------------------------------------------------------------------------

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise InvalidInput(f"ユーザー「{username}」は登録されていません。")
        return user

    def _scope(self, options) -> dict:
        if options.get("municipality"):
            return {"municipality": municipality_from_code(options["municipality"])}
        if options.get("association"):
            association = Association.objects.filter(name=options["association"]).first()
            if association is None:
                raise InvalidInput(f"協議会「{options['association']}」は登録されていません（団体一覧の取込で作成します）。")
            return {"association": association}
        return {}

    def _role(self, options) -> str:
        if options.get("operator"):
            if options.get("role") not in (None, Membership.Role.OPERATOR):
                raise InvalidInput("--operator の役割は operator だけです。")
            return Membership.Role.OPERATOR
        if not options.get("role"):
            raise InvalidInput("--role を指定してください（admin / editor / viewer / secretariat / secretariat_admin）。")
        return options["role"]

    @staticmethod
    def _scope_text(scope: dict) -> str:
        target = scope.get("municipality") or scope.get("association")
        return str(target) if target else "全体（運用管理者）"

    # --- subcommands -------------------------------------------------------------------------------------------

    def do_add(self, options):
        role, scope = self._role(options), self._scope(options)
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise InvalidInput("標準入力からパスワードを読めませんでした。")
        user, token = services.add_user(actor=COMMAND_LINE, via="command", username=options["username"],
                                        name=options["name"], role=role, password=password, **scope)
        label = services.ROLE_LABELS[role]
        payload = {"ok": True, "username": user.username, "role": role, "scope": self._scope_text(scope)}
        text = f"利用者「{user.username}」を{self._scope_text(scope)}の{label}として追加しました。"
        if token:
            path = services.setup_path(token)
            payload["setup_path"] = path
            text += f"\n初回パスワード設定用リンク（72時間有効、一度だけ使用可）: {path}\n（サーバーのアドレスの後に付けて本人に渡してください）"
        self.emit(options, payload, text)

    def do_list(self, options):
        scope = self._scope(options)
        memberships = visible(Membership.objects.filter(**scope), COMMAND_LINE)
        rows = queries.user_rows(memberships, sort="municipality")
        payload = {"ok": True, "users": [
            {"username": r.username, "name": r.name, "role": r.role, "scope": r.scope, "active": r.active,
             "last_login": r.last_login.isoformat() if r.last_login else None, "locked": r.locked} for r in rows]}
        lines = ["\t".join([r.username, r.name or "—", services.ROLE_LABELS.get(r.role, r.role), r.scope or "全体",
                            "有効" if r.active else "無効",
                            f"{r.last_login:%Y-%m-%d %H:%M}" if r.last_login else "未ログイン"]) for r in rows]
        self.emit(options, payload, "\n".join(lines) if lines else "利用者はいません。")

    def do_grant(self, options):
        user, role, scope = self._user(options["username"]), self._role(options), self._scope(options)
        services.grant_role(actor=COMMAND_LINE, via="command", user=user, role=role, **scope)
        self.emit(options, {"ok": True, "username": user.username, "role": role, "scope": self._scope_text(scope)},
                  f"「{user.username}」に{self._scope_text(scope)}の{services.ROLE_LABELS[role]}を付与しました。")

    def do_revoke(self, options):
        user, scope = self._user(options["username"]), self._scope(options)
        if options.get("operator"):
            memberships = Membership.objects.filter(user=user, role=Membership.Role.OPERATOR)
        else:
            memberships = Membership.objects.filter(user=user, **scope)
        memberships = list(memberships.select_related("user", "municipality", "association"))
        if not memberships:
            raise InvalidInput(f"「{user.username}」は{self._scope_text(scope)}に権限を持っていません。")
        for membership in memberships:
            services.revoke_role(actor=COMMAND_LINE, via="command", membership=membership)
        self.emit(options, {"ok": True, "username": user.username, "revoked": [m.role for m in memberships]},
                  f"「{user.username}」の{self._scope_text(scope)}の権限を外しました。")

    def do_deactivate(self, options):
        user = self._user(options["username"])
        services.deactivate_user(actor=COMMAND_LINE, via="command", user=user)
        self.emit(options, {"ok": True, "username": user.username, "active": False},
                  f"「{user.username}」を無効にしました（記録は残ります）。")

    def do_reset(self, options):
        user = self._user(options["username"])
        path = services.setup_path(services.reset_password(actor=COMMAND_LINE, via="command", user=user))
        self.emit(options, {"ok": True, "username": user.username, "setup_path": path},
                  f"「{user.username}」のパスワードを無効にしました。設定用リンク（72時間有効）: {path}")

    def do_unlock(self, options):
        user = self._user(options["username"])
        cleared = services.unlock_user(actor=COMMAND_LINE, via="command", user=user)
        self.emit(options, {"ok": True, "username": user.username, "cleared": cleared},
                  f"「{user.username}」のロックを解除しました。")
