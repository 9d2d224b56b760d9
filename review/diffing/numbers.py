"""Numbers inside changed sentences: which figures were removed and added.

Pure: plain strings. A number is digits (with separators, an ordinal or
plural ending, a currency sign, a percent and a scale word: "$61 billion",
"4.5%", "1990s") or number words ("two", "twenty-five", "dozens").
"""

from __future__ import annotations

import re
from collections import Counter

_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|dozen|dozens|hundreds|thousands|millions|"
    "billions|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    "half|quarter|twice|thrice"
)
_SCALE = r"(?:\s(?:hundred|thousand|million|billion|trillion|bn|mn|m|k)\b)?"
_PERCENT = r"(?:\s?%|\s(?:percent|per\scent)\b)?"
_NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?:[$€£¥]\s?|(?:US|A|C)\$\s?)?\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?{_PERCENT}{_SCALE}"
    rf"|\b(?:{_NUMBER_WORDS})(?:[-\s](?:{_NUMBER_WORDS}))*\b{_PERCENT}{_SCALE}",
    re.IGNORECASE,
)


def numbers(text: str) -> list[str]:
    """Number expressions in reading order ("$61 billion", "two", "4.5%", "2022")."""
    return [match.group() for match in _NUMBER_RE.finditer(text)]


def changed_numbers(old_sentence: str, new_sentence: str) -> tuple[list[str], list[str]]:
    """Numbers removed from and added to a sentence (multiset difference)."""
    old_numbers, new_numbers = numbers(old_sentence), numbers(new_sentence)
    removed_left = Counter(old_numbers) - Counter(new_numbers)
    added_left = Counter(new_numbers) - Counter(old_numbers)
    removed: list[str] = []
    for number in old_numbers:
        if removed_left[number] > 0:
            removed_left[number] -= 1
            removed.append(number)
    added: list[str] = []
    for number in new_numbers:
        if added_left[number] > 0:
            added_left[number] -= 1
            added.append(number)
    return removed, added
