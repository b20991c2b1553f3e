"""Chinese numerals: reading 三百零五 as 305, writing 12 as 十二."""

from __future__ import annotations

__all__ = ["CN_NUMERAL_CHARS", "cn_numeral", "parse_cn_numeral"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
# Every character a Chinese numeral may be written with.
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_BIG)
_WRITTEN = "零一二三四五六七八九"


def parse_cn_numeral(numeral: str) -> int | None:
    """Parse a Chinese numeral such as 七, 十二, 三百零五, 两万, 二〇二二; ``None``
    when ``numeral`` is not one."""
    total, section, digit = 0, 0, None
    for ch in numeral:
        if ch in _DIGITS:
            # 二〇二二-style digit strings read digit by digit
            digit = _DIGITS[ch] if digit is None else digit * 10 + _DIGITS[ch]
        elif ch in _SMALL:
            section += (digit if digit is not None else 1) * _SMALL[ch]
            digit = None
        elif ch in _BIG:
            section += digit or 0
            total += (section or 1) * _BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def cn_numeral(n: int) -> str:
    """``n`` (1–99) as a heading numeral: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十."""
    if not 1 <= n <= 99:
        raise ValueError(f"heading numerals run from 1 to 99, got {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _WRITTEN[tens] + "十")
    return head + (_WRITTEN[ones] if ones else "")
