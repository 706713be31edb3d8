"""Codes: random, typeable, with a check character that catches what people mistype."""

import itertools

from municipia.verification import codes


def test_a_new_code_is_well_formed_and_shown_in_groups():
    code = codes.new_code()
    assert len(code) == codes.LENGTH == 11
    assert set(code) <= set(codes.ALPHABET)
    assert codes.is_well_formed(code)
    assert codes.shown(code) == f"{code[:4]}-{code[4:8]}-{code[8:]}"


def test_codes_are_not_repeated():
    assert len({codes.new_code() for _ in range(2000)}) == 2000


def test_case_separators_and_look_alike_letters_are_read_as_meant():
    code = "7K3MQ9TX2H" + codes.check_character("7K3MQ9TX2H")
    assert codes.canonical(" 7k3m-q9tx-2h" + code[-1].lower() + " ") == code
    zeros = "0000000001"
    zeros += codes.check_character(zeros)
    assert codes.canonical("oOoO-0000-0l" + zeros[-1]) == zeros
    assert codes.canonical("OOOO-OOOO-OI" + zeros[-1]) == zeros


def test_every_single_mistyped_character_is_caught():
    code = codes.new_code()
    for position, other in itertools.product(range(codes.LENGTH), codes.ALPHABET):
        if other != code[position]:
            typo = code[:position] + other + code[position + 1 :]
            assert not codes.is_well_formed(typo)


def test_every_swap_of_two_different_neighbours_but_0_and_z_is_caught():
    payload = "2345678923"
    for position, a, b in itertools.product(range(9), codes.ALPHABET, codes.ALPHABET):
        if a == b or {a, b} == {"0", "Z"}:  # Luhn's one blind spot, as with 09 and 90 in base 10
            continue
        typed = payload[:position] + a + b + payload[position + 2 :]
        code = typed + codes.check_character(typed)
        swapped = code[:position] + b + a + code[position + 2 :]
        assert not codes.is_well_formed(swapped)


def test_wrong_length_or_letters_are_not_well_formed():
    code = codes.new_code()
    assert not codes.is_well_formed(code[:-1])
    assert not codes.is_well_formed(code + "0")
    assert not codes.is_well_formed("U" + code[1:])
    assert not codes.is_well_formed("")
