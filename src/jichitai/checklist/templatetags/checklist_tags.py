"""{{ status|verdict }}: a checklist verdict as a mark and words (〇 問題なし, △ 要確認, × 法令違反)."""

from django import template

from jichitai.checklist.rules import STATUS_LABEL, status_words

register = template.Library()


@register.filter
def verdict(status) -> str:
    return status_words(status) if status in STATUS_LABEL else ""
