"""Names written in Russian, Kyrgyz, Kazakh, Tajik and Uzbek, in Cyrillic or any Latin spelling.

Provisional normaliser (to be extended): folds scripts and common transliteration schemes to one
Latin skeleton so that "Аскаров", "Askarov" and "ASKAROV" meet.
"""

import re
import unicodedata

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "u",
}
LATIN_RULES = [
    ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("sch", "sh"),
    ("tch", "ch"), ("ou", "u"), ("y", "i"), ("w", "v"), ("q", "k"), ("x", "h"), ("c", "k"),
]
MARKERS = {"uulu", "kizi", "ogli", "ibn", "bin", "ugli"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(CYRILLIC.get(ch, ch) for ch in text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    text = re.sub(r"[^a-z\s-]", "", text)
    for old, new in LATIN_RULES:
        text = text.replace(old, new)
    return " ".join(text.replace("-", " ").split())


def _token_key(token: str) -> str:
    token = re.sub(r"(.)\1+", r"\1", token)
    token = re.sub(r"(jon|jan)$", "jan", token)
    token = re.sub(r"(ova|eva|ina)$", lambda m: m.group(0)[:-1], token)
    return token


def name_tokens(full_name: str) -> list[str]:
    return [_token_key(t) for t in fold(full_name).split() if t not in MARKERS]


def name_key(full_name: str) -> str:
    return " ".join(sorted(name_tokens(full_name)))
