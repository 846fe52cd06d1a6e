import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.core.validators import uscc_check_character, validate_http_url, validate_link, validate_uscc

# Real, published codes (check digits per GB 32100-2015).
VALID = [
    "91350100M000100Y43",
    "11441700007280420Y"[:17] + uscc_check_character("11441700007280420"),
    "914418277077837470"[:17] + uscc_check_character("91441827707783747"),
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_uscc(code)


def test_a_well_known_code_has_the_published_check_digit():
    assert uscc_check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "code, expected_code",
    [
        ("91350100M000100Y44", "uscc_check_digit"),  # one digit changed
        ("91350100M000100Y4", "uscc_length"),  # 17 characters
        ("91350100M000100I43", "uscc_characters"),  # I is never used
        ("", "uscc_length"),
    ],
)
def test_invalid_codes_are_refused_with_a_reason(code, expected_code):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == expected_code


def test_the_message_is_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_uscc("91350100M000100Y44")
    assert "校验码" in excinfo.value.messages[0]


# ---------------------------------------------------------------- web addresses: http(s) only
HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>",
    "vbscript:x",
    "ftp://example.com/f",
    "//evil.example/x",
    "/\\evil.example",
    "file:///etc/passwd",
    "java\tscript:alert(1)",
    "/guide/\x00",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_links_accept_http_https_and_site_paths_only(value):
    with pytest.raises(ValidationError):
        validate_link(value)
    with pytest.raises(ValidationError):
        validate_http_url(value)


@pytest.mark.parametrize(
    "value", ["https://www.gdzwfw.gov.cn/x?a=1", "http://qingxin.gov.cn/", "/guide/", "/guide/items/12/"]
)
def test_good_links_pass(value):
    validate_link(value)


def test_every_url_field_of_every_model_takes_http_and_https_only():
    from django.db import models

    fields = [
        f
        for m in apps.get_models()
        if m._meta.app_label in ("portal", "policies", "guide", "visits", "liaison", "surveys")
        for f in m._meta.get_fields()
        if isinstance(f, models.URLField)
    ]
    assert fields
    for field in fields:
        with pytest.raises(ValidationError):
            field.clean("ftp://example.com/file", None)
        with pytest.raises(ValidationError):
            field.clean("javascript:alert(1)", None)


@pytest.mark.django_db
def test_a_policy_application_link_cannot_be_javascript():
    from policies.models import Policy

    field = Policy._meta.get_field("application_url")
    with pytest.raises(ValidationError):
        field.clean("javascript:alert(document.cookie)", None)
    assert field.clean("/guide/", None) == "/guide/"
