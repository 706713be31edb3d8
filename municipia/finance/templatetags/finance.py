from decimal import Decimal

from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def money(amount, currency):
    """An amount with its currency, written the way the active language writes money."""
    if amount is None:
        return ""
    locale = (get_language() or "en").replace("-", "_")
    return format_currency(Decimal(amount), currency, locale=locale)
