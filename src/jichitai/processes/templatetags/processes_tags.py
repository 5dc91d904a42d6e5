from django import template

from jichitai.processes import rules

register = template.Library()


@register.inclusion_tag("processes/_cell.html")
def status_cell(municipality, process, column, status, editable):
    return {"municipality": municipality, "process": process, "column": column, "status": status,
            "symbol": rules.STATUS_SYMBOL[status], "label": rules.STATUS_LABEL[status],
            "editing": False, "editable": editable}


@register.filter
def dictitem(mapping, key):
    return mapping.get(key)
