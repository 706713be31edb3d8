from django import template

register = template.Library()


@register.filter
def mark_of(marks: dict, pk):
    """The asker's verdict on the suggestion `pk`, or ""."""
    return (marks or {}).get(pk, "")
