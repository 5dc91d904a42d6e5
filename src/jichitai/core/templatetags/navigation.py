from django import template

from jichitai.core import navigation

register = template.Library()


@register.inclusion_tag("_menu.html", takes_context=True)
def menu(context):
    """The grouped menu of the municipality or association the page is about."""
    request = context.get("request")
    path = request.path if request else ""
    user = getattr(request, "user", None)
    if municipality := context.get("municipality"):
        # The way back to the association's pages, for its secretariat looking at a member.
        back = municipality.association if context.get("is_secretariat") else None
        return {"scope_name": f"{municipality.name}（{municipality.code}）",
                "groups": navigation.groups(navigation.MUNICIPALITY, municipality, path, user), "association": back}
    if association := context.get("association"):
        return {"scope_name": association.name, "groups": navigation.groups(navigation.ASSOCIATION, association, path, user)}
    return {"groups": []}
