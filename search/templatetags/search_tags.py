"""Small helpers for the search templates' filter lists."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def is_selected(value, selected):
    """Whether a facet value is among the selected ones (a list) or is the selected one."""
    if selected is None or selected == "":
        return False
    if isinstance(selected, list | tuple):
        return str(value) in [str(item) for item in selected]
    return str(value) == str(selected)
