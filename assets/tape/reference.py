"""Code lists the tape checks against: GB/T 2260 provinces, GB/T 4754-2017 sections, USCC check character."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

# GB/T 2260: the first two digits of a six-digit administrative-division code name the province.
PROVINCES: Final[dict[str, tuple[str, str]]] = {
    "11": ("北京市", "Beijing"),
    "12": ("天津市", "Tianjin"),
    "13": ("河北省", "Hebei"),
    "14": ("山西省", "Shanxi"),
    "15": ("内蒙古自治区", "Inner Mongolia"),
    "21": ("辽宁省", "Liaoning"),
    "22": ("吉林省", "Jilin"),
    "23": ("黑龙江省", "Heilongjiang"),
    "31": ("上海市", "Shanghai"),
    "32": ("江苏省", "Jiangsu"),
    "33": ("浙江省", "Zhejiang"),
    "34": ("安徽省", "Anhui"),
    "35": ("福建省", "Fujian"),
    "36": ("江西省", "Jiangxi"),
    "37": ("山东省", "Shandong"),
    "41": ("河南省", "Henan"),
    "42": ("湖北省", "Hubei"),
    "43": ("湖南省", "Hunan"),
    "44": ("广东省", "Guangdong"),
    "45": ("广西壮族自治区", "Guangxi"),
    "46": ("海南省", "Hainan"),
    "50": ("重庆市", "Chongqing"),
    "51": ("四川省", "Sichuan"),
    "52": ("贵州省", "Guizhou"),
    "53": ("云南省", "Yunnan"),
    "54": ("西藏自治区", "Xizang"),
    "61": ("陕西省", "Shaanxi"),
    "62": ("甘肃省", "Gansu"),
    "63": ("青海省", "Qinghai"),
    "64": ("宁夏回族自治区", "Ningxia"),
    "65": ("新疆维吾尔自治区", "Xinjiang"),
    "71": ("台湾省", "Taiwan"),
    "81": ("香港特别行政区", "Hong Kong"),
    "82": ("澳门特别行政区", "Macao"),
}

# GB/T 4754-2017: 20 sections (门类) A–T over 97 two-digit divisions (大类) 01–97.
INDUSTRY_SECTIONS: Final[dict[str, tuple[int, int, str, str]]] = {
    "A": (1, 5, "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    "B": (6, 12, "采矿业", "Mining"),
    "C": (13, 43, "制造业", "Manufacturing"),
    "D": (44, 46, "电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water supply"),
    "E": (47, 50, "建筑业", "Construction"),
    "F": (51, 52, "批发和零售业", "Wholesale and retail trade"),
    "G": (53, 60, "交通运输、仓储和邮政业", "Transport, storage and postal services"),
    "H": (61, 62, "住宿和餐饮业", "Accommodation and catering"),
    "I": (63, 65, "信息传输、软件和信息技术服务业", "Information transmission, software and IT services"),
    "J": (66, 69, "金融业", "Finance"),
    "K": (70, 70, "房地产业", "Real estate"),
    "L": (71, 72, "租赁和商务服务业", "Leasing and business services"),
    "M": (73, 75, "科学研究和技术服务业", "Scientific research and technical services"),
    "N": (76, 79, "水利、环境和公共设施管理业", "Water, environment and public facilities management"),
    "O": (80, 82, "居民服务、修理和其他服务业", "Resident services, repair and other services"),
    "P": (83, 83, "教育", "Education"),
    "Q": (84, 85, "卫生和社会工作", "Health and social work"),
    "R": (86, 90, "文化、体育和娱乐业", "Culture, sports and entertainment"),
    "S": (
        91,
        96,
        "公共管理、社会保障和社会组织",
        "Public administration, social security and social organisations",
    ),
    "T": (97, 97, "国际组织", "International organisations"),
}

_DIVISION_SECTION: Final[dict[int, str]] = {
    division: letter
    for letter, (first, last, _zh, _en) in INDUSTRY_SECTIONS.items()
    for division in range(first, last + 1)
}


def industry_sections(codes: Iterable[str | None]) -> list[str | None]:
    """industry_section for many codes at once (memoised: a pool repeats a few dozen codes)."""
    memo: dict[str | None, str | None] = {None: None, "": None}
    result = []
    for code in codes:
        if code not in memo:
            memo[code] = industry_section(code)  # type: ignore[arg-type]
        result.append(memo[code])
    return result


USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE: Final = {char: value for value, char in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))


def province_of(region_code: str) -> str | None:
    """The two-digit province prefix of a region code, or None when it is not a known province."""
    prefix = region_code[:2]
    return prefix if prefix in PROVINCES else None


def industry_section(industry_code: str) -> str | None:
    """The GB/T 4754 section letter of a code given as 'C', 'C13', 'C1311' or '13'; None if unknown."""
    code = industry_code.strip().upper()
    if not code:
        return None
    letter = code[0] if code[0].isalpha() else ""
    digits = code[1:] if letter else code
    if letter and not digits:
        return letter if letter in INDUSTRY_SECTIONS else None
    if not (2 <= len(digits) <= 4 and digits.isdigit()):
        return None
    section = _DIVISION_SECTION.get(int(digits[:2]))
    if section is None or (letter and letter != section):
        return None
    return section


_USCC_CHARS: Final = frozenset(USCC_ALPHABET)


def uscc_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015) for its first 17."""
    total = sum(map(int.__mul__, map(_USCC_VALUE.__getitem__, first17), _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc_charset(code: str) -> bool:
    """True when the code has 18 characters, all from the GB 32100 alphabet (no I, O, Z, S, V)."""
    return len(code) == 18 and _USCC_CHARS.issuperset(code)
