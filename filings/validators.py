"""Identifier and wording checks for filings: USCC, LEI, Notice 42 banned terms, hedge words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# ---------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One finding of a check: a stable code for programs and a translated message for people."""

    code: str
    message: StrPromise
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message in the active language, with its parameters filled in."""
        return str(self.message) % self.params if self.params else str(self.message)

    def __str__(self) -> str:
        return self.text

    def as_validation_error(self) -> ValidationError:
        # Django interpolates params itself, so the message stays lazy until it is rendered.
        return ValidationError(self.message, code=self.code, params=self.params or None)


@dataclass(frozen=True)
class TextHit:
    """A phrase found in a text; ``text[start:end]`` of the *original* text is the match."""

    term: str  # the canonical term (e.g. "RWA", "虚拟货币", "基本符合")
    text: str  # the original characters, as typed (e.g. "Ｒ.Ｗ.Ａ")
    start: int
    end: int


def _is_chinese_language() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def _to_half_width(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC + casefold ``text`` character by character, remembering where each output char came from.

    Normalising per character (rather than the whole string) keeps an exact map back to the original
    positions, which is what a UI needs to highlight the match; full-width forms are single
    characters, so nothing we search for is lost by it.
    """
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        for out in unicodedata.normalize("NFKC", char).casefold().translate(_T2S):
            chars.append(out)
            offsets.append(index)
    return "".join(chars), offsets


# Traditional → simplified for the characters of the screened terms (Hong Kong and Taiwan spellings,
# and mixed ones such as 虛拟货幣). A small table rather than OpenCC: only these characters matter,
# and no conversion package is pinned. The mapping is one character to one, so offsets still hold.
_T2S = str.maketrans(
    {
        "虛": "虚", "擬": "拟", "貨": "货", "幣": "币", "資": "资", "產": "产", "穩": "稳",
        "現": "现", "實": "实", "際": "际", "證": "证", "數": "数", "碼": "码", "錢": "钱",
        "發": "发", "鏈": "链", "區": "区", "塊": "块",
    }
)  # fmt: skip


def _find(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> list[TextHit]:
    normalised, offsets = _normalised_with_offsets(text)
    hits = []
    for term, pattern in patterns:
        for match in pattern.finditer(normalised):
            start = offsets[match.start()]
            end = offsets[match.end() - 1] + 1
            hits.append(TextHit(term=term or match.group(0), text=text[start:end], start=start, end=end))
    return sorted(hits, key=lambda hit: (hit.start, hit.end))


# What someone may slip between the characters of a Chinese term: whitespace (incl. zero-width
# characters) and decorative punctuation (dots, dashes, stars, quotes, brackets: 加·密·货·币,
# 稳-定-币, “虚拟”货币). List and sentence separators are deliberately not allowed: business scopes
# list items as "数据加密、货币兑换", and "加密、货币" or "加密，货币" must not read as 加密货币.
_CJK_GAP = (
    r"[\s\u200b-\u200d\u2060\ufeff"
    r"·•・‧\-_.*/\\'\"“”‘’「」『』()\[\]【】〔〕<>《》〈〉~|#^+=]*"
)


def _cjk_pattern(term: str) -> str:
    return _CJK_GAP.join(re.escape(char) for char in term)


# ---------------------------------------------------------------------------------------------
# Unified Social Credit Code (GB 32100-2015)
# ---------------------------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols; I, O, S, V, Z are never used
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, …, 28
_ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 values letters A=10 … Z=35
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_STRIP = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class Division:
    """A provincial-level administrative division by its GB/T 2260 two-digit prefix."""

    code: str
    name_zh: str
    name_en: str

    @property
    def label(self) -> str:
        return self.name_zh if _is_chinese_language() else self.name_en


# The 34 provincial-level divisions (GB/T 2260).
PROVINCES: dict[str, Division] = {
    division.code: division
    for division in (
        Division("11", "北京市", "Beijing"),
        Division("12", "天津市", "Tianjin"),
        Division("13", "河北省", "Hebei"),
        Division("14", "山西省", "Shanxi"),
        Division("15", "内蒙古自治区", "Inner Mongolia"),
        Division("21", "辽宁省", "Liaoning"),
        Division("22", "吉林省", "Jilin"),
        Division("23", "黑龙江省", "Heilongjiang"),
        Division("31", "上海市", "Shanghai"),
        Division("32", "江苏省", "Jiangsu"),
        Division("33", "浙江省", "Zhejiang"),
        Division("34", "安徽省", "Anhui"),
        Division("35", "福建省", "Fujian"),
        Division("36", "江西省", "Jiangxi"),
        Division("37", "山东省", "Shandong"),
        Division("41", "河南省", "Henan"),
        Division("42", "湖北省", "Hubei"),
        Division("43", "湖南省", "Hunan"),
        Division("44", "广东省", "Guangdong"),
        Division("45", "广西壮族自治区", "Guangxi"),
        Division("46", "海南省", "Hainan"),
        Division("50", "重庆市", "Chongqing"),
        Division("51", "四川省", "Sichuan"),
        Division("52", "贵州省", "Guizhou"),
        Division("53", "云南省", "Yunnan"),
        Division("54", "西藏自治区", "Xizang (Tibet)"),
        Division("61", "陕西省", "Shaanxi"),
        Division("62", "甘肃省", "Gansu"),
        Division("63", "青海省", "Qinghai"),
        Division("64", "宁夏回族自治区", "Ningxia"),
        Division("65", "新疆维吾尔自治区", "Xinjiang"),
        Division("71", "台湾省", "Taiwan"),
        Division("81", "香港特别行政区", "Hong Kong SAR"),
        Division("82", "澳门特别行政区", "Macao SAR"),
    )
}

# Registration by a national-level authority (region code 100000): not a province, but legitimate.
CENTRAL = Division("10", "中央（国家级）", "Central (national level)")


def division_for_region(region_code: str) -> Division | None:
    """The provincial-level division (or CENTRAL) of a six-digit GB/T 2260 code, if the prefix is known."""
    prefix = region_code[:2]
    return CENTRAL if prefix == CENTRAL.code else PROVINCES.get(prefix)


@dataclass(frozen=True)
class EntityType:
    """Registration authority (character 1) and entity category under it (character 2)."""

    authority_code: str
    category_code: str
    authority_zh: str
    authority_en: str
    category_zh: str
    category_en: str

    @property
    def code(self) -> str:
        return self.authority_code + self.category_code

    @property
    def label(self) -> str:
        if _is_chinese_language():
            return f"{self.authority_zh} · {self.category_zh}"
        return f"{self.authority_en} · {self.category_en}"


_OTHER = ("其他", "Other")
_AUTHORITIES: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {
    "1": (
        "机构编制",
        "Institutional staffing",
        {
            "1": ("机关", "Government organ"),
            "2": ("事业单位", "Public institution"),
            "3": (
                "中央编办直接管理机构编制的群众团体",
                "Mass organisation staffed by the central staffing office",
            ),
            "9": _OTHER,
        },
    ),
    "2": (
        "外交",
        "Foreign affairs",
        {"1": ("外国常驻新闻机构", "Resident foreign news agency"), "9": _OTHER},
    ),
    "3": (
        "司法行政",
        "Judicial administration",
        {
            "1": ("律师执业机构", "Law firm"),
            "2": ("公证处", "Notary office"),
            "3": ("基层法律服务所", "Grassroots legal service office"),
            "4": ("司法鉴定机构", "Forensic appraisal institution"),
            "5": ("仲裁委员会", "Arbitration commission"),
            "9": _OTHER,
        },
    ),
    "4": ("文化", "Culture", {"1": ("外国在华文化中心", "Foreign cultural centre in China"), "9": _OTHER}),
    "5": (
        "民政",
        "Civil affairs",
        {
            "1": ("社会团体", "Social organisation"),
            "2": ("民办非企业单位", "Private non-enterprise unit"),
            "3": ("基金会", "Foundation"),
            "9": _OTHER,
        },
    ),
    "6": (
        "旅游",
        "Tourism",
        {
            "1": ("外国旅游部门常驻代表机构", "Representative office of a foreign tourism authority"),
            "2": (
                "港澳台地区旅游部门常驻内地（大陆）代表机构",
                "Representative office of a Hong Kong, Macao or Taiwan tourism authority",
            ),
            "9": _OTHER,
        },
    ),
    "7": (
        "宗教",
        "Religious affairs",
        {
            "1": ("宗教活动场所", "Place of religious activity"),
            "2": ("宗教院校", "Religious college"),
            "9": _OTHER,
        },
    ),
    "8": ("工会", "Trade unions", {"1": ("基层工会", "Grassroots trade union"), "9": _OTHER}),
    "9": (
        "市场监管（工商）",
        "Market regulation (SAMR)",
        {
            "1": ("企业", "Enterprise"),
            "2": ("个体工商户", "Individual business"),
            "3": ("农民专业合作社", "Farmers' specialised cooperative"),
        },
    ),
    "A": (
        "中央军委改革和编制办公室",
        "CMC Reform and Organisation Office",
        {"1": ("军队事业单位", "Military public institution"), "9": _OTHER},
    ),
    "N": (
        "农业",
        "Agriculture",
        {
            "1": ("组级集体经济组织", "Group-level collective economic organisation"),
            "2": ("村级集体经济组织", "Village-level collective economic organisation"),
            "3": ("乡镇级集体经济组织", "Township-level collective economic organisation"),
            "9": _OTHER,
        },
    ),
    "Y": ("其他", "Other authorities", {"1": _OTHER}),
}

ENTITY_TYPES: dict[str, EntityType] = {
    authority + category: EntityType(
        authority, category, authority_zh, authority_en, category_zh, category_en
    )
    for authority, (authority_zh, authority_en, categories) in _AUTHORITIES.items()
    for category, (category_zh, category_en) in categories.items()
}


@dataclass(frozen=True)
class USCCResult:
    """Everything ``check_uscc`` learnt about one code."""

    value: str  # as given
    normalised: str  # stripped, half-width, upper case: the form to store
    errors: tuple[Issue, ...]  # any error makes the code invalid
    warnings: tuple[Issue, ...]  # worth a second look; the code stays valid
    region_code: str | None = None  # characters 3-8, when the code has the right shape
    province: Division | None = None  # from the first two digits of region_code; CENTRAL for "10"
    entity_type: EntityType | None = None  # from characters 1-2, when the pair is known

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def entity_type_label(self) -> str | None:
        return self.entity_type.label if self.entity_type else None


def normalise_uscc(value: str) -> str:
    """Half-width, upper case, no spaces or hyphens: ``"9111 0000-6000 3734 1l"`` → ``"9111…341L"``."""
    return _USCC_STRIP.sub("", _to_half_width(value)).upper()


def uscc_check_char(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100: weights 3^i mod 31, check = (31 − S mod 31) mod 31)."""
    total = sum(
        USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation-code body (USCC characters 9-16)."""
    total = sum(
        _ORG_CODE_ALPHABET.index(char) * weight for char, weight in zip(body8, _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def check_uscc(value: str) -> USCCResult:
    """Check a unified social credit code and explain what it encodes."""
    code = normalise_uscc(value)
    errors: list[Issue] = []
    warnings: list[Issue] = []
    if not code:
        errors.append(Issue("uscc_empty", _("Enter the unified social credit code.")))
        return USCCResult(value=value, normalised=code, errors=tuple(errors), warnings=())

    if len(code) != 18:
        errors.append(
            Issue(
                "uscc_length",
                _("A unified social credit code has 18 characters; this one has %(length)d."),
                {"length": len(code)},
            )
        )
    unknown = sorted({char for char in code if char not in USCC_ALPHABET})
    if unknown:
        errors.append(
            Issue(
                "uscc_characters",
                _(
                    "The code contains characters a unified social credit code never uses: %(characters)s "
                    "(only digits and capital letters other than I, O, S, V and Z)."
                ),
                {"characters": " ".join(unknown)},
            )
        )
    if errors:
        return USCCResult(value=value, normalised=code, errors=tuple(errors), warnings=())

    region_code = code[2:8]
    entity_type = ENTITY_TYPES.get(code[:2])
    province = None
    if not region_code.isdigit():
        errors.append(
            Issue(
                "uscc_region_format",
                _("Characters 3 to 8 (the administrative division code) must be digits."),
            )
        )
    else:
        province = division_for_region(region_code)
        if province is None:
            warnings.append(
                Issue(
                    "uscc_region_unknown",
                    _(
                        "Characters 3 and 4 (%(prefix)s) are not the code of a provincial-level division; "
                        "please verify the code."
                    ),
                    {"prefix": region_code[:2]},
                )
            )
    if entity_type is None:
        errors.append(
            Issue(
                "uscc_category",
                _(
                    "“%(pair)s” is not a known registration authority and entity category "
                    "(characters 1 and 2)."
                ),
                {"pair": code[:2]},
            )
        )
    if uscc_check_char(code[:17]) != code[17]:
        errors.append(
            Issue(
                "uscc_checksum",
                _("The check character (the 18th) does not match: the code is mistyped or not genuine."),
            )
        )
    # A soft check: older codes embed a GB 11714 organisation code whose own check digit is
    # reliable, but that is not proven for every newer code, so it never rejects a code.
    if org_code_check_char(code[8:16]) != code[16]:
        warnings.append(
            Issue(
                "uscc_org_checksum",
                _(
                    "The embedded organisation code (characters 9 to 17) fails its own check digit; "
                    "please verify the code in the National Enterprise Credit Information Publicity System."
                ),
            )
        )
    return USCCResult(
        value=value,
        normalised=code,
        errors=tuple(errors),
        warnings=tuple(warnings),
        region_code=region_code if region_code.isdigit() else None,
        province=province,
        entity_type=entity_type,
    )


def validate_uscc(value: str) -> None:
    """Django validator: raise ValidationError (one entry per error) unless the code is valid.

    The value is normalised before checking, so store ``normalise_uscc(value)`` (e.g. in the form's
    ``clean_<field>``) to keep one spelling per code in the database.
    """
    result = check_uscc(value)
    if result.errors:
        raise ValidationError([issue.as_validation_error() for issue in result.errors])


# ---------------------------------------------------------------------------------------------
# Legal Entity Identifier (ISO 17442)
# ---------------------------------------------------------------------------------------------

_LEI_SHAPE = re.compile(r"[0-9A-Z]{18}[0-9]{2}")


@dataclass(frozen=True)
class LEIResult:
    value: str
    normalised: str
    errors: tuple[Issue, ...]

    @property
    def valid(self) -> bool:
        return not self.errors


def normalise_lei(value: str) -> str:
    return re.sub(r"\s+", "", _to_half_width(value)).upper()


def lei_check_digits(first18: str) -> str:
    """The two ISO 7064 MOD 97-10 check digits for the first 18 characters of an LEI."""
    number = int("".join(str(int(char, 36)) for char in first18) + "00")
    return f"{98 - number % 97:02d}"


def check_lei(value: str) -> LEIResult:
    """Check an LEI: 20 characters, digits in the last two places, MOD 97-10 remainder 1."""
    lei = normalise_lei(value)
    if len(lei) != 20:
        issue = Issue(
            "lei_length",
            _("A legal entity identifier has 20 characters; this one has %(length)d."),
            {"length": len(lei)},
        )
    elif not _LEI_SHAPE.fullmatch(lei):
        issue = Issue(
            "lei_characters",
            _("A legal entity identifier has 18 digits or capital letters followed by 2 check digits."),
        )
    elif int("".join(str(int(char, 36)) for char in lei)) % 97 != 1:
        issue = Issue(
            "lei_checksum",
            _("The check digits (the last two) do not match: the identifier is mistyped or not genuine."),
        )
    else:
        return LEIResult(value=value, normalised=lei, errors=())
    return LEIResult(value=value, normalised=lei, errors=(issue,))


def validate_lei(value: str) -> None:
    """Django validator for LEI fields."""
    result = check_lei(value)
    if result.errors:
        raise result.errors[0].as_validation_error()


# ---------------------------------------------------------------------------------------------
# Notice 42 (银发〔2026〕42号): wording banned from names and business scopes
# ---------------------------------------------------------------------------------------------

BANNED_TERMS = ("虚拟货币", "虚拟资产", "加密货币", "加密资产", "稳定币", "现实世界资产代币化", "RWA")

# Other spellings reported under the term: the same notion in other words (tokenisation phrasing:
# 真实世界资产代币化, 现实世界资产通证化) and in English. Traditional characters need no entry here:
# _T2S folds them before matching.
_VARIANTS: dict[str, tuple[str, ...]] = {
    "虚拟货币": (),
    "虚拟资产": (),
    "加密货币": ("加密数字货币",),
    "加密资产": ("加密数字资产",),
    "稳定币": (),
    "现实世界资产代币化": (
        "真实世界资产代币化", "现实世界资产通证化", "真实世界资产通证化", "现实资产代币化", "真实资产代币化",
    ),
}  # fmt: skip
_W = r"[\W_]{0,3}"  # between English words: space, hyphen, dot
_ENGLISH: dict[str, str] = {
    "虚拟货币": rf"virtual{_W}currenc(?:y|ies)",
    "虚拟资产": rf"virtual{_W}assets?",
    "加密货币": rf"crypto{_W}currenc(?:y|ies)",
    "加密资产": rf"crypto{_W}assets?",
    "稳定币": rf"stable{_W}coins?",
    "现实世界资产代币化": (
        rf"real{_W}world{_W}assets?{_W}tokeni[sz]ation"
        rf"|tokeni[sz](?:ation|ed|ing){_W}(?:of{_W})?real{_W}world{_W}assets?"
    ),
}

# "RWA" in any width or case, also spelt out with separators (R.W.A, R-W-A, Ｒ Ｗ Ａ), plural
# "RWAs" too, but never inside a Latin word ("forward", "Norway", "Rwanda").
_LATIN_LETTER = r"a-z\u00df-\u024f"
_RWA = re.compile(rf"(?<![{_LATIN_LETTER}])r[\W_]{{0,3}}w[\W_]{{0,3}}a(?:s)?(?![{_LATIN_LETTER}])")

_BANNED_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        term,
        re.compile(
            "|".join(
                [_cjk_pattern(spelling) for spelling in (term, *_VARIANTS[term])]
                + [rf"(?<![{_LATIN_LETTER}])(?:{_ENGLISH[term]})(?![{_LATIN_LETTER}])"]
            )
        ),
    )
    for term in BANNED_TERMS
    if term != "RWA"
] + [("RWA", _RWA)]


def find_banned_terms(text: str) -> list[TextHit]:
    """Every Notice 42 banned term in ``text``, in order of position."""
    return _find(_BANNED_PATTERNS, text)


def validate_no_banned_terms(value: str) -> None:
    """Django validator for entity names and business scopes."""
    hits = find_banned_terms(value)
    if hits:
        terms = "、".join(dict.fromkeys(hit.term for hit in hits))
        raise ValidationError(
            _(
                "Names and business scopes may not contain wording banned by notice "
                "Yinfa [2026] No. 42: %(terms)s."
            ),
            code="n42_banned_term",
            params={"terms": terms},
        )


# ---------------------------------------------------------------------------------------------
# Hedge words in legal-opinion conclusions (GL2: an opinion must be clear, not "basically compliant")
# ---------------------------------------------------------------------------------------------

_HEDGE_QUALIFIERS = ("基本", "大致", "大体", "总体", "原则")
_HEDGE_VERDICTS = ("符合", "满足", "合规", "合法")
_HEDGE = re.compile(
    "(?:{qualifier}){gap}(?:上{gap})?(?:{verdict})".format(
        qualifier="|".join(_cjk_pattern(word) for word in _HEDGE_QUALIFIERS),
        verdict="|".join(_cjk_pattern(word) for word in _HEDGE_VERDICTS),
        gap=_CJK_GAP,
    )
)


def find_hedge_words(text: str) -> list[TextHit]:
    """Hedged conclusions such as 基本符合, 大致符合, 原则上符合, 总体上满足, in order of position.

    ``term`` is the phrase without any whitespace that was typed inside it (e.g. "原则上符合").
    """
    hits = _find([("", _HEDGE)], text)
    return [
        TextHit(term=re.sub(_CJK_GAP, "", hit.term), text=hit.text, start=hit.start, end=hit.end)
        for hit in hits
    ]


def validate_no_hedge_words(value: str) -> None:
    """Django validator for legal-opinion conclusions."""
    hits = find_hedge_words(value)
    if hits:
        raise ValidationError(
            _(
                "A legal opinion must state a clear conclusion; qualified wording such as %(phrases)s "
                "is not accepted. Give a qualified opinion with reasons instead."
            ),
            code="hedged_conclusion",
            params={"phrases": "、".join(dict.fromkeys(hit.term for hit in hits))},
        )
