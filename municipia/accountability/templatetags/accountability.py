from django import template

register = template.Library()


@register.filter
def is_link(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://", "/"))


@register.filter
def is_list(value) -> bool:
    return isinstance(value, list)
