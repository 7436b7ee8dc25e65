"""Names written in Russian, Kyrgyz, Kazakh, Tajik and Uzbek, in Cyrillic or any Latin spelling.

``fold`` turns any spelling into one lowercase Latin skeleton: the letters of the five Cyrillic
alphabets, ICAO 9303, BGN/PCGN, GOST and the Uzbek and Kazakh Latin alphabets, and informal
French, German or English spellings ("Abdoullaev", "Abdullajew", "Tchoudinov") all meet.
``name_tokens`` keys each meaningful word of a name (markers such as уулу/кызы dropped, name-form
variants such as -жан/-жон and feminine surname endings folded), for the blind index and for
linkage.
"""

import re
import unicodedata

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "io", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Kazakh, Kyrgyz, Tajik, Uzbek letters
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "u",
}
# Uzbek Latin oʻ and gʻ (any apostrophe) before punctuation goes.
UZBEK = [(re.compile(r"o[ʻʼ'`‘’]"), "u"), (re.compile(r"g[ʻʼ'`‘’]"), "g")]
# Applied in order to the Latin text.
LATIN_RULES = [
    ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("sch", "sh"),
    ("tch", "ch"), ("ch", "sh"), ("ou", "u"), ("w", "v"), ("q", "k"), ("x", "h"), ("c", "k"),
    ("y", "i"),
]
MARKERS = {"uulu", "kizi", "ogli", "ugli", "ibn", "bin", "binti"}
VARIANTS = [
    (re.compile(r"(jon|jan)$"), "jan"),  # -жан/-жон
    (re.compile(r"(ova|eva|ina)$"), lambda m: m.group(0)[:-1]),  # feminine surname forms
    (re.compile(r"(zoda|zade|zod)$"), "zoda"),
    (re.compile(r"^iusuf$"), "iusup"),
    (re.compile(r"^(muhamed|magomed|mohamed|muhamad)"), "muhamad"),
    (re.compile(r"^abdula$"), "abdulo"),
]


def fold(text: str) -> str:
    """Any spelling of a name to one lowercase Latin skeleton."""
    text = unicodedata.normalize("NFKC", text).lower()
    for pattern, replacement in UZBEK:
        text = pattern.sub(replacement, text)
    text = "".join(CYRILLIC.get(ch, ch) for ch in text)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z\s-]", "", text).replace("-", " ")
    for old, new in LATIN_RULES:
        text = text.replace(old, new)
    text = re.sub(r"(?<=[aeiou])j(?=[aeiou])", "i", text)  # German j: Abdullajew
    return " ".join(text.split())


def _token_key(token: str) -> str:
    token = re.sub(r"(.)\1+", r"\1", token)
    token = re.sub(r"^ie", "e", token)  # BGN's ye- for Cyrillic е-: Yerlan, Ерлан
    token = re.sub(r"(?<=[aeiou])i(?=[aeiou])", "", token)  # Abdullayev, Абдуллаев
    for pattern, replacement in VARIANTS:
        token = pattern.sub(replacement, token)
    return token


def name_tokens(full_name: str) -> list[str]:
    """The key of each meaningful word of a name, in order; markers (уулу, кызы …) dropped."""
    return [_token_key(t) for t in fold(full_name).split() if t not in MARKERS]


def name_key(full_name: str) -> str:
    """Order-independent key of a whole name."""
    return " ".join(sorted(name_tokens(full_name)))
