"""Values of the columns mapped to activity fields: dates, periods, amounts, statuses, percentages.

Each reader returns None for a value it cannot read, and the import warns about it: a plan's table
says "2n semestre 2026" or "a definir" as often as it gives a date.
"""

import calendar
import datetime
import re
from decimal import Decimal, InvalidOperation

from municipia.plans.importing.items import normalise

_YEAR = r"(19\d\d|20\d\d|21\d\d)"
_QUARTER = re.compile(
    rf"^(?:[qt](\d)\s*[-/ ]?\s*{_YEAR}|{_YEAR}\s*[-/ ]?\s*[qt](\d)|(\d)\s*t\s*{_YEAR})$"
)


def parse_date(text: str, *, end: bool = False) -> datetime.date | None:
    """A day, a month or a year; a month or a year stands for its first day, or its last one when
    `end`. Day before month, as every language of the site writes it."""
    value = text.strip().lower().rstrip(".")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        pass
    found = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", value)
    if found:
        day, month, year = (int(g) for g in found.groups())
        year += 2000 if year < 100 else 0
        return _date(year, month, day)
    found = re.fullmatch(rf"(\d{{1,2}})[/.\-]{_YEAR}", value) or re.fullmatch(
        rf"{_YEAR}[/.\-](\d{{1,2}})", value
    )
    if found:
        first, second = (int(g) for g in found.groups())
        year, month = (second, first) if first <= 12 and second > 12 else (first, second)
        if not 1 <= month <= 12:
            return None
        return _date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    found = _QUARTER.fullmatch(value.replace("trimestre", "t").replace(" ", ""))
    if found:
        numbers = [int(g) for g in found.groups() if g]
        quarter, year = (numbers[0], numbers[1]) if numbers[0] <= 4 else (numbers[1], numbers[0])
        if not 1 <= quarter <= 4:
            return None
        month = quarter * 3 if end else quarter * 3 - 2
        return _date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    found = re.fullmatch(_YEAR, value)
    if found:
        year = int(found.group(1))
        return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
    return None


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_period(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    """A span such as "2025-2027", "01/2025 to 06/2026" or "2026": its first and its last day."""
    value = text.strip()
    parts = re.split(
        r"\s*(?:[\u2013\u2014]|\s-\s|(?<=\d{4})-(?=\d{4})|\bto\b|\ba\b|\bà\b|\bfins\b)\s*", value
    )
    if len(parts) == 2:
        return parse_date(parts[0]), parse_date(parts[1], end=True)
    return parse_date(value), parse_date(value, end=True)


_MULTIPLIERS = {
    "k": 1000,
    "mil": 1000,
    "m": 1_000_000,
    "mio": 1_000_000,
    "mill": 1_000_000,
    "millon": 1_000_000,
    "millones": 1_000_000,
    "milions": 1_000_000,
    "millions": 1_000_000,
    "milhoes": 1_000_000,
}
_CURRENCIES = {"€": "EUR", "eur": "EUR", "mxn": "MXN", "usd": "USD", "brl": "BRL", "£": "GBP"}


def parse_amount(text: str) -> tuple[Decimal | None, str]:
    """An amount and the currency it names, if any: "1.250.000 €", "$ 2,5 M", "12 500,50 EUR"."""
    value = text.strip()
    currency = ""
    lowered = normalise(value)
    for mark, code in _CURRENCIES.items():
        if mark in value.lower() or mark in lowered.split():
            currency = code
            break
    found = re.search(r"\d[\d\s.,\u00a0\u202f']*", value)
    if not found:
        return None, currency
    digits = re.sub(r"[\s\u00a0\u202f']", "", found.group(0)).rstrip(".,")
    rest = normalise(value[found.end() :]).split()
    multiplier = _MULTIPLIERS.get(rest[0], 1) if rest else 1
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif digits.count(",") == 1 and not re.search(r",\d{3}$", digits):
        decimal_mark = ","
    elif digits.count(".") == 1 and not re.search(r"\.\d{3}$", digits):
        decimal_mark = "."
    elif (digits.count(",") == 1 or digits.count(".") == 1) and multiplier > 1:
        decimal_mark = "," if "," in digits else "."  # "2,500 M" is two and a half million
    else:
        decimal_mark = ""
    thousands = {",", "."} - {decimal_mark}
    for mark in thousands:
        digits = digits.replace(mark, "")
    digits = digits.replace(decimal_mark, ".") if decimal_mark else digits
    try:
        amount = Decimal(digits) * multiplier
    except InvalidOperation:
        return None, currency
    return amount.quantize(Decimal("0.01")), currency


# Phrases that say an activity's status, in the site's languages, compared without accents.
_STATUS_PHRASES = {
    "done": "done, completed, complete, finished, achieved, closed, realizada, realizado, "
    "completada, completado, finalizada, finalizado, terminada, terminado, hecho, cumplida, "
    "cumplido, feta, fet, executada, executat, finalitzada, finalitzat, acabada, acabat, "
    "realitzada, realitzat, realisee, realise, terminee, termine, achevee, acheve, concluida, "
    "concluido",
    "in_progress": "in progress, ongoing, underway, started, en curso, en proceso, en marcha, "
    "en ejecucion, iniciada, iniciado, en curs, en proces, en execucio, en marxa, en cours, "
    "em curso, em andamento, em execucao",
    "planned": "planned, not started, pending, to do, scheduled, planificada, planificado, "
    "prevista, previsto, pendiente, por iniciar, no iniciada, programada, programado, pendent, "
    "previst, planifiee, prevue, a venir, planeada, planeado, pendente, nao iniciada",
    "dropped": "dropped, cancelled, canceled, abandoned, cancelada, cancelado, descartada, "
    "descartado, anulada, anulado, cancel lada, cancel lat, abandonada, abandonat, abandonnee, "
    "annulee, abandonado",
}
_STATUSES = {
    phrase.strip(): status
    for status, phrases in _STATUS_PHRASES.items()
    for phrase in phrases.split(",")
}


def parse_status(text: str) -> str | None:
    """The status a cell names ("En curs", "Finalizada 2024"…), or None."""
    value = normalise(text)
    for phrase in sorted(_STATUSES, key=len, reverse=True):
        if value == phrase or value.startswith(phrase + " "):
            return _STATUSES[phrase]
    return None


def parse_progress(text: str) -> int | None:
    found = re.fullmatch(r"\s*(\d{1,3}(?:[.,]\d+)?)\s*%?\s*", text)
    if not found:
        return None
    value = round(float(found.group(1).replace(",", ".")))
    return value if 0 <= value <= 100 else None
