"""Bank account numbers: the IBAN (ISO 13616) and the BIC (ISO 9362), checked before they are
printed on invoices, receipts and payment e-mails.

An IBAN is accepted when its country is one that issues IBANs, its length is that country's, its
national part has the country's letters and digits in the right places, and its check digits pass
the ISO 7064 MOD 97-10 test. A BIC is four letters of the bank, an ISO country code, two letters or
digits of the place and an optional branch of three. Both are kept in their electronic form
(capitals, no spaces) and shown in groups of four (the IBAN's paper form).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The national part of each country's IBAN after the check digits, in SWIFT's notation: n digits,
# a upper-case letters, c letters or digits (SWIFT's IBAN registry; member and candidate countries
# of the networks' regions included).
IBAN_FORMATS = {
    "AD": "4n4n12c", "AE": "3n16n", "AL": "8n16c", "AT": "16n", "AZ": "4a20c", "BA": "16n",
    "BE": "12n", "BG": "4a6n8c", "BH": "4a14c", "BI": "23n", "BR": "23n1a1c", "BY": "4c4n16c",
    "CH": "5n12c", "CR": "18n", "CY": "8n16c", "CZ": "20n", "DE": "18n", "DJ": "23n", "DK": "14n",
    "DO": "4c20n", "EE": "16n", "EG": "25n", "ES": "20n", "FI": "14n", "FK": "2a12n", "FO": "14n",
    "FR": "10n11c2n", "GB": "4a14n", "GE": "2a16n", "GI": "4a15c", "GL": "14n", "GR": "7n16c",
    "GT": "4c20c", "HN": "4a20n", "HR": "17n", "HU": "24n", "IE": "4a14n", "IL": "19n",
    "IQ": "4a15n", "IS": "22n", "IT": "1a10n12c", "JO": "4a4n18c", "KW": "4a22c", "KZ": "3n13c",
    "LB": "4n20c", "LC": "4a24c", "LI": "5n12c", "LT": "16n", "LU": "3n13c", "LV": "4a13c",
    "LY": "21n", "MC": "10n11c2n", "MD": "2c18c", "ME": "18n", "MK": "3n10c2n", "MN": "16n",
    "MR": "23n", "MT": "4a5n18c", "MU": "4a19n3a", "NI": "4a24n", "NL": "4a10n", "NO": "11n",
    "OM": "3n16c", "PK": "4a16c", "PL": "24n", "PS": "4a21c", "PT": "21n", "QA": "4a21c",
    "RO": "4a16c", "RS": "18n", "RU": "14n15c", "SA": "2n18c", "SC": "4a20n3a", "SD": "14n",
    "SE": "20n", "SI": "15n", "SK": "20n", "SM": "1a10n12c", "SO": "4n3n12n", "ST": "21n",
    "SV": "4a20n", "TL": "19n", "TN": "20n", "TR": "5n1n16c", "UA": "6n19c", "VA": "18n",
    "VG": "4a16n", "XK": "4n10n2n", "YE": "4a4n18c",
}  # fmt: skip
_KINDS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]"}
_BIC = re.compile(r"[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?")


def _pattern(spec: str) -> re.Pattern:
    parts = re.findall(r"(\d+)([nac])", spec)
    return re.compile("".join(f"{_KINDS[kind]}{{{count}}}" for count, kind in parts))


IBAN_PATTERNS = {country: _pattern(spec) for country, spec in IBAN_FORMATS.items()}
IBAN_LENGTHS = {
    country: 4 + sum(int(count) for count, _kind in re.findall(r"(\d+)([nac])", spec))
    for country, spec in IBAN_FORMATS.items()
}


def compact(value: str) -> str:
    """The electronic form: capitals, without spaces, dashes or dots."""
    return re.sub(r"[\s\-.]", "", value or "").upper()


def iban_checksum_ok(iban: str) -> bool:
    """ISO 7064 MOD 97-10: the country and check digits moved to the end, letters as 10 to 35."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def clean_iban(value: str) -> str:
    """The IBAN in its electronic form, or a ValidationError saying what is wrong with it."""
    iban = compact(value)
    if not re.fullmatch(r"[A-Z0-9]+", iban) or len(iban) < 5:
        raise ValidationError(_("An IBAN has only letters and digits."), code="iban")
    country = iban[:2]
    if country not in IBAN_FORMATS:
        raise ValidationError(
            _("%(country)s is not a country that issues IBANs.") % {"country": country},
            code="iban_country",
        )
    if len(iban) != IBAN_LENGTHS[country]:
        raise ValidationError(
            _("An IBAN of %(country)s has %(length)s characters; this one has %(given)s.")
            % {"country": country, "length": IBAN_LENGTHS[country], "given": len(iban)},
            code="iban_length",
        )
    if not iban[2:4].isdigit() or not IBAN_PATTERNS[country].fullmatch(iban[4:]):
        raise ValidationError(
            _("This IBAN does not follow the format of %(country)s.") % {"country": country},
            code="iban_format",
        )
    if not iban_checksum_ok(iban):
        raise ValidationError(
            _("The check digits of this IBAN are wrong: a character was mistyped."),
            code="iban_checksum",
        )
    return iban


def clean_bic(value: str, *, iban: str = "") -> str:
    """The BIC in capitals, 8 or 11 characters; with an IBAN, the BIC must be of its country
    (the French overseas territories and Monaco share France's IBAN)."""
    bic = compact(value)
    match = _BIC.fullmatch(bic)
    if match is None:
        raise ValidationError(
            _(
                "A BIC has 8 or 11 letters and digits: four letters for the bank, two for the "
                "country, two for the place and, optionally, three for the branch."
            ),
            code="bic",
        )
    if iban and match.group(1) != iban[:2] and {match.group(1), iban[:2]} - {"FR", "MC"}:
        raise ValidationError(
            _("The BIC is of %(bic)s but the IBAN of %(iban)s.")
            % {"bic": match.group(1), "iban": iban[:2]},
            code="bic_country",
        )
    return bic


def grouped(value: str) -> str:
    """Groups of four characters, as an IBAN is printed on paper."""
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
