"""The audit log in words: each action's Japanese name, and before/after as 「項目: 前 → 後」.

Entries keep their English action codes and JSON (the hash chain covers them, and they are what the filters and
the API match); only what a person reads is translated here. An action is named by ACTIONS when it has its own
name, else by its subject (SUBJECTS, the part before the last dot) and its verb (VERBS): staff.update →
「職員の変更」. tests/audit/test_labels.py finds every action string written in the source and fails when one has
no name here.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.core.wareki import format_date, format_datetime, format_fiscal_year

from .services import COMMAND_ACTOR

ACTIONS = {
    "membership.grant": "権限の付与",
    "workshop.criteria": "評価基準・重みの変更",
    "membership.update": "権限の変更",
    "membership.revoke": "権限の取消し",
    "association.join": "連合会・協議会への加入",
    "association.leave": "連合会・協議会からの脱退",
    "user.password": "パスワードの設定",
    "user.password_reset": "パスワードの再設定",
    "user.password_setup": "初回パスワードの設定",
    "user.deactivate": "利用者の無効化",
    "user.unlock": "利用者のロック解除",
    "apitoken.create": "APIトークンの発行",
    "apitoken.revoke": "APIトークンの失効",
    "login.success": "ログイン",
    "login.failure": "ログインの失敗",
    "login.lockout": "ログインのロック",
    "login.two_factor_success": "二要素認証の成功",
    "login.two_factor_failure": "二要素認証の失敗",
    "logout": "ログアウト",
    "password.change": "パスワードの変更",
    "sessions.logout_others": "他の端末からのログアウト",
    "two_factor.enrolment_started": "二要素認証の登録開始",
    "two_factor.enable": "二要素認証の有効化",
    "two_factor.disable": "二要素認証の無効化",
    "two_factor.recovery_codes": "回復コードの再発行",
    "two_factor.reset": "二要素認証のリセット",
    "two_factor.policy": "二要素認証の方針の変更",
    "backup.create": "バックアップの作成",
    "backup.restore": "バックアップからの復元",
    "progress.set": "進捗の記録",
    "staff.assign": "担当者の割当て",
    "beppyo.load": "別表の読込み",
    "curriculum.load": "研修カリキュラムの読込み",
    "framework.load": "安全管理措置の枠組みの読込み",
    "standard_areas.load": "標準化対象業務の読込み",
    "cloud_plan.costs": "クラウド化計画の経費見積りの変更",
    "number_system.sync": "個人番号を保管するシステムの同期",
    "linkage.replace": "情報連携確認シートの置換え",
    "analysis.approved": "取扱手順表・リスク分析の承認",
    "analysis.returned": "取扱手順表・リスク分析の差戻し",
    "template.publish": "ひな形の公開",
    "template.copy": "ひな形の複写",
    "attendance.mark": "出欠の記録",
    "measure.assess": "安全管理措置の評価",
    "scores.save": "課題の採点",
    "members.evaluate": "会員団体の集計",
    "risk.settings": "リスク評価の設定変更",
    "training.settings": "研修の設定変更",
    "incident.settings": "事案報告の設定変更",
    "pia.change": "重要な変更",
    "pia.evaluation": "PIA評価",
    "demo.load": "デモデータの作成",
    "demo.linkage": "デモデータ（情報連携）の作成",
    "demo.pia": "デモデータ（PIA）の作成",
    "training.demo": "デモデータ（研修）の作成",
    "measure.demo": "デモデータ（安全管理措置）の作成",
}

# What an action acts on: the part of its code before the last dot.
SUBJECTS = {
    "association": "連合会・協議会", "municipality": "団体", "department": "課室", "staff": "職員",
    "user": "利用者", "membership": "権限", "apitoken": "APIトークン", "process": "個人番号利用事務",
    "ordinance": "条例", "progress": "進捗", "flow": "業務フロー", "handling": "取扱手順表の行",
    "handling_record": "取扱記録", "rules_document": "取扱規程", "risk": "リスク分析", "analysis": "取扱手順表・リスク分析", "template": "ひな形",
    "review": "見直し", "rules": "取扱規程",
    "linkage": "情報連携確認シートの項目", "linkage_profile": "情報連携の設定", "number_system": "個人番号を保管するシステム",
    "course": "研修講座", "training_plan": "研修計画", "plan_item": "研修計画の項目", "session": "研修の実施",
    "attendance": "出欠", "incident": "事案", "incident_phase": "事案の経過", "incident_measure": "再発防止策",
    "drill": "訓練", "pia.file": "特定個人情報ファイル", "pia.evaluation": "PIA評価", "pia.change": "重要な変更",
    "workshop": "課題分析", "issue": "課題", "action_item": "行動計画の項目", "kpi": "KPI", "criterion": "評価基準",
    "weight": "重み", "business_system": "業務システム", "cloud_plan": "クラウド化計画",
    "measure": "安全管理措置", "framework": "安全管理措置の枠組み",
    "backup": "バックアップ",
}

VERBS = {
    "create": "登録", "update": "変更", "delete": "削除", "retire": "廃止", "restore": "復元", "rename": "名称変更",
    "merge": "統合", "abolish": "廃止", "transfer": "異動", "amend": "改正", "repeal": "廃止", "import": "取込み",
    "export": "出力", "approve": "承認", "approved": "承認", "return": "差戻し", "returned": "差戻し",
    "review": "見直し", "reviewed": "見直し", "reactivate": "再開", "void": "取消し", "settings": "設定変更", "load": "読込み", "assign": "割当て",
    "publish": "公開", "copy": "複写", "mark": "記録", "set": "記録", "replace": "置換え", "sync": "同期",
    "grant": "付与", "revoke": "取消し", "join": "加入", "leave": "脱退", "save": "保存", "assess": "評価",
    "reset": "リセット", "enable": "有効化", "disable": "無効化", "role": "役割の変更",
    "recompute": "再計算",
}

# Keys of before/after that are not a field of the entry's object.
KEYS = {
    "row": "取扱手順表の行",
    "address": "接続元", "username": "利用者名", "user": "利用者", "role": "役割", "roles": "役割",
    "column": "項目", "status": "状態", "effective_on": "適用日", "rows": "行", "ids": "行", "sheet": "シート",
    "steps": "業務フローの段階", "template": "ひな形", "source": "元", "items": "項目", "members": "会員団体",
    "paths": "参加の形と導入年度", "processes": "事務", "process": "事務", "file": "ファイル", "files": "ファイル", "created_at": "作成日時",
    "created": "新規", "updated": "更新", "deleted": "削除", "total": "合計", "linked": "連携", "moved": "移動",
    "new_systems": "新しいシステム", "attendance": "出欠", "participants": "参加者", "participant": "参加者",
    "sessions": "回数", "session": "研修の実施", "scores": "採点", "value": "値", "workshop": "課題分析",
    "password": "パスワード", "is_active": "有効", "cleared": "解除", "two_factor": "二要素認証",
    "two_factor_policy": "二要素認証の方針", "method": "方式", "replaced": "置換え", "devices_removed": "削除した端末",
    "confirmed": "確認済み", "expires": "期限", "expires_at": "有効期限", "read_only": "読み取り専用",
    "prefix": "トークンの先頭", "name": "名称", "revoked": "失効", "expired": "期限切れ", "active": "有効",
    "inactive_user": "利用者の無効化", "password_changed": "パスワード変更", "restored": "復元した件数",
    "counts": "件数", "database": "データベース", "version": "版", "format": "形式", "migrations": "移行",
    "expected": "想定", "key": "鍵", "last_activity": "最終操作", "revision": "版", "history": "履歴",
    "profiles": "情報連携の設定", "plans": "計画", "evaluations": "評価", "changes": "変更", "systems": "システム",
    "progress_changes": "進捗の変更", "officer": "承認者", "note": "備考", "notes": "備考", "what": "内容",
    "kind": "種別", "prefecture": "都道府県", "scope": "範囲", "averages": "平均", "position": "順位",
    "retired": "廃止", "title": "題名", "fiscal_year": "年度", "statutory": "法定", "audience": "対象",
    "hours": "時間", "description": "内容", "count": "件数", "reason": "理由", "state": "状態",
    "department": "課室", "staff": "職員", "issue": "課題", "municipality": "団体", "association": "連合会・協議会",
}

# A field whose model name is too general for the log (the staff's 「名称」 is a person's name).
FIELD_LABELS = {("orgs.Staff", "name"): "氏名"}

# Keys that say which part was changed (progress.set's column): shown even when the same before and after.
CONTEXT_KEYS = ("column",)

# Actions whose before/after describe another model than the object they are recorded on.
ACTION_MODELS = {"progress.set": "processes.ProgressChange"}

YES, NO, NOTHING = "はい", "いいえ", "（なし）"
SYSTEM = "システム"


def actor_text(entry) -> str:
    """Who wrote the entry: the user's name, 「システム」 for a command or the demo."""
    return SYSTEM if entry.actor_id is None and entry.actor_name == COMMAND_ACTOR else entry.actor_name


def action_label(code: str) -> str:
    """The Japanese name of an action code; the code itself only when nothing names it (the test forbids that)."""
    if code in ACTIONS:
        return ACTIONS[code]
    if code in SUBJECTS:
        return SUBJECTS[code]
    subject, _dot, verb = code.rpartition(".")
    if subject in SUBJECTS and verb in VERBS:
        return f"{SUBJECTS[subject]}の{VERBS[verb]}"
    return code


def is_named(code: str) -> bool:
    return action_label(code) != code


# The audit pages' filter offers one choice per first word of the codes (a code prefix matches its actions).
GROUPS = {
    "login": "ログイン", "logout": "ログアウト", "two_factor": "二要素認証", "password": "パスワード",
    "sessions": "ログイン中の端末", "demo": "デモデータ", "members": "会員団体の集計", "scores": "課題の採点",
    "beppyo": "別表", "curriculum": "研修カリキュラム", "standard_areas": "標準化対象業務", "training": "研修",
    "pia": "PIA", "measure": "安全管理措置",
}


def action_groups() -> list[tuple[str, str]]:
    """(code prefix, name) for the audit pages' filter, by name."""
    groups = {}
    for code in [*ACTIONS, *SUBJECTS]:
        head = code.split(".")[0]
        prefix = head if head == code and head in ACTIONS else f"{head}."
        groups.setdefault(prefix, GROUPS.get(head) or SUBJECTS.get(head) or ACTIONS.get(head) or head)
    return sorted(groups.items(), key=lambda item: item[1])


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the entry has no before (a creation) or no after (a deletion)
    after: str | None

    def __str__(self) -> str:
        if self.before is not None and self.after is not None:
            return f"{self.label}: {self.before} → {self.after}"
        return f"{self.label}: {self.after if self.after is not None else self.before}"


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def key_label(name: str, model=None) -> str:
    if model is not None and (model._meta.label, name) in FIELD_LABELS:
        return FIELD_LABELS[model._meta.label, name]
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None) and field.verbose_name != name.replace("_", " "):
        return str(field.verbose_name)
    if name in KEYS:
        return KEYS[name]
    if field is not None and getattr(field, "verbose_name", None):
        return _(str(field.verbose_name))
    return name


@cache
def _named_fields() -> dict[str, str]:
    """Field name → its Japanese name, over every model (the first model naming it wins)."""
    names = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if verbose and field.name not in names and str(verbose) != field.name.replace("_", " "):
                names[field.name] = verbose
    return names


def field_label(name: str) -> str | None:
    """The Japanese name of a field or key named `name` in any model or in the log (None when nothing names it):
    for messages about a value sent without its model, such as the API's validation errors."""
    if name in KEYS:
        return KEYS[name]
    verbose = _named_fields().get(name)
    if verbose is None:
        return None
    text = str(verbose)
    return text if _JAPANESE.search(text) else None


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _is_fiscal_year(field) -> bool:
    """Fiscal years are stored as their starting western year (2024) and read as 令和6年度."""
    return field.name == "fiscal_year" or field.name.endswith("_fy")


def value_text(value, field=None) -> str:
    """A before/after value in words: choices by their label, yes/no, dates in 和暦, lists joined."""
    if value is None or value == "":
        return NOTHING
    if value is True:
        return YES
    if value is False:
        return NO
    if isinstance(value, list | tuple):
        return "、".join(value_text(item, field) for item in value) if value else NOTHING
    if isinstance(value, dict):
        return "、".join(f"{key_label(str(k))}: {value_text(v)}" for k, v in value.items()) or NOTHING
    if field is not None and getattr(field, "choices", None):
        for code, label in field.flatchoices:
            if str(code) == str(value):
                return str(label)
    if field is not None and _is_fiscal_year(field) and isinstance(value, int) and not isinstance(value, bool):
        return format_fiscal_year(value)
    kind = field.get_internal_type() if field is not None else ""
    if kind in ("DateField", "DateTimeField") and isinstance(value, str):
        try:
            if kind == "DateField":
                return format_date(dt.date.fromisoformat(value))
            moment = dt.datetime.fromisoformat(value)
            return format_datetime(timezone.localtime(moment) if timezone.is_aware(moment) else moment)
        except ValueError:
            return value
    return str(value)


def changes(entry) -> list[Change]:
    """What an entry changed, in words: for an update the keys whose value differs, else every key given."""
    model = _model(ACTION_MODELS.get(entry.action, entry.object_type))
    before = entry.before if isinstance(entry.before, dict) else ({} if entry.before is None else {"": entry.before})
    after = entry.after if isinstance(entry.after, dict) else ({} if entry.after is None else {"": entry.after})
    both = bool(before) and bool(after)
    result = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        field = _field(model, name)
        label = key_label(name, model) if name else "内容"
        if both and old == new:
            if name in CONTEXT_KEYS:  # what was changed, not a change: once, without an arrow
                result.append(Change(label, None, value_text(new, field)))
            continue
        result.append(Change(label, value_text(old, field) if name in before else None,
                             value_text(new, field) if name in after else None))
    return result


def changes_text(entry) -> str:
    """The changes on one line each (the .xlsx export's cell)."""
    return "\n".join(str(change) for change in changes(entry))
