"""Vietnamese-aware text folding for search: "Đăng ký khai sinh" and "dang ky  KHAI sinh" fold alike."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s.]", re.UNICODE)


def fold_text(value: str) -> str:
    """Lower-case, strip diacritics (đ → d), drop punctuation, collapse spaces."""
    if not value:
        return ""
    value = value.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = _NON_WORD.sub(" ", stripped.lower())
    return _SPACES.sub(" ", stripped).strip()


def fold_words(value: str) -> list[str]:
    return [word for word in fold_text(value).split(" ") if word]
