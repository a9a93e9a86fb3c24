"""Vietnamese text: NFC storage, diacritic-insensitive search keys and name sorting.

Text typed on different keyboards (Unikey in NFC, macOS in NFD, telex leftovers) must compare
equal, so everything stored is NFC and everything searched is folded the same way.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Tone marks, in Vietnamese dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Vietnamese letter order; f, j, w, z (foreign names) sit where the Latin alphabet puts them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {letter: f"{index + 20:02d}" for index, letter in enumerate(_ALPHABET)}
_DIGIT_CODE = {str(d): f"{d + 10:02d}" for d in range(10)}
_WORD_SEPARATOR = "00"


def normalize_text(value: str) -> str:
    """NFC, with surrounding space removed and inner runs of white space collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def normalize_multiline(value: str) -> str:
    """NFC for free text: line breaks are kept, trailing space on each line is not."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


def fold(value: str) -> str:
    """Lower case without diacritics, for search: "Quế Phú" and "QUE PHU" both give "que phu"."""
    value = unicodedata.normalize("NFD", value.lower()).replace("đ", "d")
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", value).strip()


def _split_letter(ch: str) -> tuple[str, int]:
    """("ế") -> ("ê", sắc): the base letter keeps its vowel shape, the tone is returned apart."""
    tone = 0
    kept = []
    for part in unicodedata.normalize("NFD", ch):
        if part in _TONES:
            tone = _TONES[part]
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _encode(words: list[str]) -> tuple[str, str]:
    primary, secondary = [], []
    for word in words:
        for ch in word.lower():
            base, tone = _split_letter(ch)
            code = _LETTER_CODE.get(base) or _DIGIT_CODE.get(base)
            if code is None:
                folded = fold(base)
                code = _LETTER_CODE.get(folded)
            if code is None:
                continue
            primary.append(code)
            secondary.append(str(tone))
        primary.append(_WORD_SEPARATOR)
    return "".join(primary), "".join(secondary)


def person_sort_key(full_name: str) -> str:
    """A key that sorts people the Vietnamese way: by given name, then family name, then middle
    names; letters in Vietnamese order (a < ă < â … d < đ), tones only breaking ties.

    The key holds digits only, so every database collation orders it the same way.
    """
    words = normalize_text(full_name).split(" ")
    if len(words) > 1:
        words = [words[-1], words[0], *words[1:-1]]
    primary, secondary = _encode(words)
    return (primary + _WORD_SEPARATOR + secondary)[:255]


def text_sort_key(value: str) -> str:
    """The same ordering for names of things, read from left to right (organizations)."""
    primary, secondary = _encode(normalize_text(value).split(" "))
    return (primary + _WORD_SEPARATOR + secondary)[:255]
