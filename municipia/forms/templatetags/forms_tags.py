"""Template helpers of the form builder: an answer as people read it."""

from django import template

from municipia.forms.answers import shown_answer

register = template.Library()


@register.filter
def answer_to(answers, field):
    """The answer kept for `field` in an answers mapping, as it reads (options by their label)."""
    return shown_answer(field, (answers or {}).get(field.key, ""))
