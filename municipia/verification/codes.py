"""Verification codes: random, short enough to type, with a check character.

Ten random characters of Crockford's base 32 (digits and letters without I, L, O and U, so that
none can be taken for another: 50 bits, about 10^15 codes) and one check character (Luhn mod 32:
it catches every single mistyped character, and every swap of two neighbours but 0 and Z). Read
without regard to case, spaces or dashes, and with O read as 0 and I or L as 1, as people copy them
from paper.
Shown in groups: 7K3M-Q9TX-2HC.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 10
LENGTH = RANDOM_LENGTH + 1
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_.\t")


def check_character(payload: str) -> str:
    """The Luhn mod N check character of `payload` (N = 32)."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for character in reversed(payload):
        addend = factor * ALPHABET.index(character)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_code() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return payload + check_character(payload)


def canonical(text: str) -> str:
    """The code as typed, upper case, without separators, ambiguous letters read as digits."""
    return (text or "").upper().translate(_IGNORED).translate(_READ_AS)[:64]


def is_well_formed(code: str) -> bool:
    """A canonical code of the right length, alphabet and check character."""
    return (
        len(code) == LENGTH
        and all(character in ALPHABET for character in code)
        and check_character(code[:-1]) == code[-1]
    )


def shown(code: str) -> str:
    """The code in groups of four, as printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
