"""ISO 4217 currency codes, their names in the UI language, and the precision of their amounts."""

import functools
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_name, get_currency_precision, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@functools.cache
def currency_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in currency_codes()


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code."),
            code="unknown_currency",
            params={"code": value},
        )


def currency_choices() -> list[tuple[str, str]]:
    """Every currency as (code, "EUR · Euro") in the active language, sorted by code."""
    locale = (get_language() or "en").replace("-", "_")
    return [
        (code, f"{code} · {get_currency_name(code, locale=locale)}")
        for code in sorted(currency_codes())
    ]


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit (two decimals for EUR, none for JPY), half up."""
    places = min(get_currency_precision(currency), 2)
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
