"""USCC and LEI checks answer any text with a result (and the validators with ValidationError)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from filings.validators import (
    USCC_ALPHABET,
    check_lei,
    check_uscc,
    lei_check_digits,
    uscc_check_char,
    validate_lei,
    validate_uscc,
)

FAST = settings(max_examples=150, deadline=None)

code_like = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=USCC_ALPHABET + "IOSVZ -ｌ０１２ＡＢ", min_size=16, max_size=20),
    st.from_regex(r"[0-9A-Za-zＡ-Ｚａ-ｚ０-９ß\u0130\u0131]{18,20}", fullmatch=True),
)


@FAST
@given(value=code_like)
@example(value="ß" * 9)  # upper-cases to 18 characters
@example(value="\u0130" * 18)  # Turkish dotted I: upper case is two characters
@example(value="９１１１００００６０００３７３４１Ｌ")
def test_a_uscc_check_returns_a_result_and_the_validator_only_validation_errors(value: str):
    result = check_uscc(value)

    assert result.valid == (not result.errors)
    for issue in (*result.errors, *result.warnings):
        assert issue.text  # every message renders with its parameters
    try:
        validate_uscc(value)
    except ValidationError as error:
        assert not result.valid and error.messages
    else:
        assert result.valid


@FAST
@given(first17=st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_a_code_with_its_own_check_character_passes_the_checksum(first17: str):
    result = check_uscc(first17 + uscc_check_char(first17))

    assert "uscc_checksum" not in {issue.code for issue in result.errors}


@FAST
@given(value=code_like)
@example(value="ß" * 10)
@example(value="5493001KJTIIGC8Y1R12")
def test_an_lei_check_returns_a_result_and_the_validator_only_validation_errors(value: str):
    result = check_lei(value)

    for issue in result.errors:
        assert issue.text
    try:
        validate_lei(value)
    except ValidationError:
        assert not result.valid
    else:
        assert result.valid


@FAST
@given(first18=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=18, max_size=18))
def test_an_lei_with_its_own_check_digits_is_valid(first18: str):
    assert check_lei(first18 + lei_check_digits(first18)).valid


@pytest.mark.parametrize("value", ["", " ", "\x00" * 18])
def test_blank_and_control_characters_are_refused_plainly(value: str):
    with pytest.raises(ValidationError):
        validate_uscc(value)
    with pytest.raises(ValidationError):
        validate_lei(value)
