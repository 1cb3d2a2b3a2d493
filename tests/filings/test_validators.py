"""USCC, LEI, Notice 42 banned wording and hedged legal conclusions."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from filings.validators import (
    CENTRAL,
    ENTITY_TYPES,
    PROVINCES,
    TextHit,
    check_lei,
    check_uscc,
    find_banned_terms,
    find_hedge_words,
    lei_check_digits,
    normalise_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_lei,
    validate_no_banned_terms,
    validate_no_hedge_words,
    validate_uscc,
)

# -- USCC ------------------------------------------------------------------------------------------


def test_worked_example_from_the_domain_notes():
    # S = 538; 538 mod 31 = 11; 31 - 11 = 20 -> "L" (domain.md §5.4).
    assert uscc_check_char("91110000600037341") == "L"
    assert org_code_check_char("60003734") == "1"

    result = check_uscc("91110000600037341L")

    assert result.valid
    assert result.errors == ()
    assert result.warnings == ()
    assert result.normalised == "91110000600037341L"
    assert result.region_code == "110000"
    assert result.province == PROVINCES["11"]
    assert (result.province.name_zh, result.province.name_en) == ("北京市", "Beijing")
    assert result.entity_type == ENTITY_TYPES["91"]
    with translation.override("en"):
        assert result.entity_type_label == "Market regulation (SAMR) · Enterprise"
    with translation.override("zh-hans"):
        assert result.entity_type_label == "市场监管（工商） · 企业"


def test_synthetic_shanghai_code_with_letters_in_the_body():
    result = check_uscc("91310115MA1G4L1W0D")

    assert result.valid
    assert result.warnings == ()
    assert result.province.name_en == "Shanghai"
    assert result.region_code == "310115"


@pytest.mark.parametrize(
    ("code", "entity_type"),
    [
        ("Y1110000MB12345626", "Other authorities · Other"),
        ("A1110000MA00000076", "CMC Reform and Organisation Office · Military public institution"),
        ("N2440300MA5F0000XG", "Agriculture · Village-level collective economic organisation"),
    ],
)
def test_codes_starting_with_a_letter_are_valid(code, entity_type):
    result = check_uscc(code)

    assert result.valid
    with translation.override("en"):
        assert result.entity_type_label == entity_type


def test_a_nationally_registered_code_has_the_central_region():
    result = check_uscc("11100000000013127D")

    assert result.valid
    assert result.province == CENTRAL
    assert result.entity_type.category_en == "Government organ"


def test_input_is_normalised_from_full_width_lower_case_and_spaced():
    assert normalise_uscc(" ９１１１００００６０００３７３４１ｌ ") == "91110000600037341L"
    assert normalise_uscc("9111 0000-6000 3734 1l") == "91110000600037341L"
    assert check_uscc("９１１１００００６０００３７３４１ｌ").valid


def test_there_are_34_provincial_level_divisions():
    assert len(PROVINCES) == 34
    assert PROVINCES["82"].name_zh == "澳门特别行政区"
    assert sorted(PROVINCES) == [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65", "71", "81", "82",
    ]  # fmt: skip


def _codes(issues):
    return [issue.code for issue in issues]


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        ("", ["uscc_empty"]),
        ("91110000600037341", ["uscc_length"]),
        ("91110000600037341LL", ["uscc_length"]),
        ("9111000060003734IO", ["uscc_characters"]),
        ("9111000060003734I", ["uscc_length", "uscc_characters"]),
        ("91110000600037341X", ["uscc_checksum"]),
        ("911A0000600037341L", ["uscc_region_format", "uscc_checksum"]),
        ("94110000600037341B", ["uscc_category"]),  # authority 9 has no category 4
        ("A1110000600037341L", ["uscc_checksum"]),  # a letter first is fine; the check char is not
        ("91310115MA1G4L1WXK", ["uscc_checksum"]),  # circulates on Q&A sites; fails both checks
    ],
)
def test_every_error_kind(value, errors):
    result = check_uscc(value)

    assert not result.valid
    assert _codes(result.errors) == errors


def test_error_messages_are_translated_and_filled_in():
    with translation.override("en"):
        assert [issue.text for issue in check_uscc("91110000600037341").errors] == [
            "A unified social credit code has 18 characters; this one has 17."
        ]
        assert [str(issue) for issue in check_uscc("9111000060003734IO").errors] == [
            "The code contains characters a unified social credit code never uses: I O "
            "(only digits and capital letters other than I, O, S, V and Z)."
        ]


def test_a_wrong_embedded_organisation_code_is_only_a_warning():
    first17 = "9111000060003734" + "2"  # the org-code check digit should be 1
    code = first17 + uscc_check_char(first17)

    result = check_uscc(code)

    assert result.valid
    assert _codes(result.warnings) == ["uscc_org_checksum"]


def test_an_unknown_province_prefix_is_only_a_warning():
    first17 = "91990000600037341"
    result = check_uscc(first17 + uscc_check_char(first17))

    assert result.valid
    assert result.province is None
    assert result.region_code == "990000"
    assert _codes(result.warnings) == ["uscc_region_unknown"]
    with translation.override("en"):
        assert result.warnings[0].text == (
            "Characters 3 and 4 (99) are not the code of a provincial-level division; please verify the code."
        )


def test_validate_uscc_raises_one_coded_error_per_problem():
    validate_uscc("91110000600037341L")

    with pytest.raises(ValidationError) as caught:
        validate_uscc("911A0000600037341L")

    assert [error.code for error in caught.value.error_list] == ["uscc_region_format", "uscc_checksum"]
    with translation.override("en"):
        assert (
            caught.value.messages[0] == "Characters 3 to 8 (the administrative division code) must be digits."
        )


# -- LEI -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lei", ["HWUPKR0MPOU8FGXBT394", "7LTWFZYICNSX8D621K86", "5493001KJTIIGC8Y1R12"])
def test_valid_leis(lei):
    assert check_lei(lei).valid
    assert lei_check_digits(lei[:18]) == lei[18:]
    validate_lei(lei)


def test_lei_is_normalised():
    assert check_lei(" hwupkr0mpou8fgxbt394 ").normalised == "HWUPKR0MPOU8FGXBT394"
    assert check_lei("ＨＷＵＰＫＲ０ＭＰＯＵ８ＦＧＸＢＴ３９４").valid


@pytest.mark.parametrize(
    ("lei", "code"),
    [
        ("HWUPKR0MPOU8FGXBT39", "lei_length"),
        ("HWUPKR0MPOU8FGXBT3A4", "lei_characters"),
        ("HWUPKR0MPOU8FGX-T394", "lei_characters"),
        ("HWUPKR0MPOU8FGXBT349", "lei_checksum"),
        ("5493001KJTIIGC8Y1R21", "lei_checksum"),
    ],
)
def test_invalid_leis(lei, code):
    assert _codes(check_lei(lei).errors) == [code]
    with pytest.raises(ValidationError) as caught:
        validate_lei(lei)
    assert caught.value.code == code


# -- Notice 42 banned wording ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "matched"),
    [
        ("上海某某虚拟货币科技有限公司", "虚拟货币", "虚拟货币"),
        ("经营范围：虚拟资产管理咨询", "虚拟资产", "虚拟资产"),
        ("加密货币交易", "加密货币", "加密货币"),
        ("加密资产托管", "加密资产", "加密资产"),
        ("稳定币发行", "稳定币", "稳定币"),
        ("现实世界资产代币化服务", "现实世界资产代币化", "现实世界资产代币化"),
        ("某某RWA科技", "RWA", "RWA"),
        ("某某rwa科技", "RWA", "rwa"),
        ("ＲＷＡ平台", "RWA", "ＲＷＡ"),
        ("R.W.A services", "RWA", "R.W.A"),
        ("Ｒ Ｗ Ａ", "RWA", "Ｒ Ｗ Ａ"),
        ("RWA-backed notes", "RWA", "RWA"),
        ("tokenised RWAs", "RWA", "RWAs"),
        ("虚拟 货币", "虚拟货币", "虚拟 货币"),
        ("香港穩定幣", "稳定币", "穩定幣"),
    ],
)
def test_banned_terms_are_found_in_any_disguise(text, term, matched):
    [hit] = find_banned_terms(text)

    assert hit.term == term
    assert hit.text == matched
    assert text[hit.start : hit.end] == matched


@pytest.mark.parametrize(
    "text",
    [
        "hardware and software development",
        "forward contracts",
        "Norway branch",
        "Rwanda office",
        "数据加密、货币兑换咨询",  # two scope items, not 加密货币
        "资产支持证券",
    ],
)
def test_innocent_text_is_not_flagged(text):
    assert find_banned_terms(text) == []


def test_hits_come_in_order_with_positions_for_highlighting():
    text = "本公司从事RWA及稳定币业务"

    assert find_banned_terms(text) == [
        TextHit(term="RWA", text="RWA", start=5, end=8),
        TextHit(term="稳定币", text="稳定币", start=9, end=12),
    ]


def test_validate_no_banned_terms_names_each_term_once():
    validate_no_banned_terms("深圳某某供应链管理有限公司")

    with pytest.raises(ValidationError) as caught:
        validate_no_banned_terms("RWA、rwa、稳定币")

    assert caught.value.code == "n42_banned_term"
    with translation.override("en"):
        assert caught.value.messages == [
            "Names and business scopes may not contain wording banned by notice "
            "Yinfa [2026] No. 42: RWA、稳定币."
        ]


# -- hedge words in legal conclusions --------------------------------------------------------------


def test_hedged_conclusions_are_found():
    text = "本所律师认为，发行人基本符合相关规定，交易结构大致符合要求，原则上 符合备案条件。"

    assert find_hedge_words(text) == [
        TextHit(term="基本符合", text="基本符合", start=10, end=14),
        TextHit(term="大致符合", text="大致符合", start=23, end=27),
        TextHit(term="原则上符合", text="原则上 符合", start=30, end=36),
    ]


@pytest.mark.parametrize("phrase", ["大体符合", "总体上满足", "基本满足", "基本合规", "基本上符合"])
def test_siblings_of_the_hedge_words(phrase):
    assert [hit.term for hit in find_hedge_words(f"经核查，{phrase}。")] == [phrase]


def test_a_clear_conclusion_passes():
    conclusion = "本所律师认为，本次发行符合《境内企业境外发行证券和上市管理试行办法》的规定。"

    assert find_hedge_words(conclusion) == []
    validate_no_hedge_words(conclusion)
    with pytest.raises(ValidationError) as caught:
        validate_no_hedge_words("基本符合")
    assert caught.value.code == "hedged_conclusion"
