from django import template

from jichitai.processes import rules

register = template.Library()


def cell_context(municipality, process, column, cell: rules.Cell, editable: bool) -> dict:
    """What _cell.html needs; shared by the matrix page (this tag) and the htmx cell view."""
    return {"municipality": municipality, "process": process, "column": column, "cell": cell,
            "status": cell.status, "symbol": rules.STATUS_SYMBOL[cell.status],
            "label": rules.STATUS_LABEL[cell.status],
            "derived_symbol": rules.STATUS_SYMBOL.get(cell.derived or "", ""),
            "editing": False, "editable": editable}


@register.inclusion_tag("processes/_cell.html")
def status_cell(municipality, process, column, cell, editable):
    return cell_context(municipality, process, column, cell, editable)


@register.filter
def dictitem(mapping, key):
    return mapping.get(key)


@register.filter
def plain_number(value):
    """8.00 → 8, 0.50 → 0.5: scores and reductions as the sheets write them."""
    from decimal import Decimal, InvalidOperation

    from jichitai.core.numbers import normalise_number

    try:
        return normalise_number(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return value


@register.filter
def status_mark(code: str) -> str:
    """「〇 完了」: a recorded status as the matrix marks it (rules.STATUSES); 「証跡に従う」 for a cell that follows
    the evidence again."""
    if code in rules.STATUS_LABEL:
        return f"{rules.STATUS_SYMBOL[code]} {rules.STATUS_LABEL[code]}"
    return "証跡に従う" if code == rules.FOLLOW_EVIDENCE else code
