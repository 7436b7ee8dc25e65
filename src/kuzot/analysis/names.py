"""Names written in Russian, Kyrgyz, Kazakh, Tajik and Uzbek, in Cyrillic or any Latin spelling.

``fold`` turns any spelling into one lowercase Latin skeleton. Cyrillic letters of the five
alphabets are first romanised BGN/PCGN-style, then every Latin spelling (ICAO 9303, BGN/PCGN,
ISO 9 / GOST 7.79, the Uzbek and Kazakh Latin alphabets, informal French, German and English
spellings such as "Askaroff", "Achmedov", "Tchoudinov", "Abdullajew") goes through one table of
rules, so that the spellings of one letter meet:

* ж zh j dzh dj dsch ž → j;  ҷ j ç (ISO 9) → j;  х kh h x → h;  ғ gh gʻ ğ → g;  қ q k → k;
  ң ng ñ → n;  ц ts c cz → ts;  щ shch sch → sh;  ч and ш → sh (French "Cherzod"), but ch
  before a consonant or at the end → h (German "Achmedov", "Rachmonov");
* й ы и y ı → i;  э е → e, and the glides of ICAO/BGN "ye", "yo" are dropped (Ерлан/Yerlan,
  Абдуллаев/Abdullayev, Семёнов/Семенов, Сайёра/Sayyora/Saiera);  ў oʻ у ү ұ ӯ ou → u;
  ә ä → a;  ө ö oe → o, ü ue → u;  о → a (Uzbek and Tajik о for Russian а: Тошматов/Ташматов,
  -жон/-жан, Қодиров/Кадыров);
* j after a vowel and before a consonant, at the end or in -jev is й (ISO 9 and German:
  "Kajrat", "Sergej", "Tokajew"); elsewhere it is ж (Uzbek Latin "Rajab", "Xoʻja");
* ъ ь and apostrophes vanish, other diacritics are stripped, doubled letters are single.

Known gaps: German initial J for Й ("Jurij"), ISO 9 intervocalic j for й ("Hudojali"), ICAO "ie"
for ъ ("Saiedullo"), ҷ written "ch" ("Muhibchon"), Uzbek oʻ typed as a bare o ("Otkir").

``name_tokens`` keys each meaningful word: markers (уулу, кызы, ўғли, ibn …) dropped, the
feminine surname forms -ova/-eva/-ina/-skaya folded to the masculine ones (Ivanova meets Ivanov:
sex is a field of its own), and the common forms of one name folded (Muhammad/Magomed/Mohammed,
Yusuf/Yusup/Жусуп, -zoda/-zade/-zod, -uddin/-iddin/-itdin, Abdrakhman/Abdurakhman …). The web
app's blind index keys each token: a search finds a record when all the query's tokens are among
the record's. ``name_similarity`` compares whole names for record linkage.
"""

import re
import unicodedata
from functools import lru_cache

# Letters to a BGN/PCGN-like romanisation; ISO 9 and Kazakh/Turkic Latin letters whose diacritic
# carries the sound are spelt out (the remaining diacritics are stripped afterwards).
LETTERS = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh, Kyrgyz, Tajik, Uzbek (and Ukrainian/Belarusian, seen in Russian-language records)
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "u", "ґ": "g", "є": "ye", "ї": "yi", "ј": "j",
    # ISO 9 / GOST 7.79, Kazakh Latin 2021, Turkish and Azerbaijani letters
    "ž": "zh", "č": "ch", "š": "sh", "ŝ": "shch", "ş": "sh", "ç": "j", "û": "yu", "â": "ya",
    "ë": "yo", "ı": "i", "ə": "a", "ß": "ss",
})
# Uzbek Latin oʻ and gʻ, whatever apostrophe was typed: read before apostrophes vanish.
UZBEK_APOSTROPHE = re.compile(r"([og])[ʻʼ'`‘’´]")
APOSTROPHES = re.compile(r"[ʻʼ'`‘’´ʹʺ\"”“]")
COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
NOT_LETTERS = re.compile(r"[^a-z]+")
# Latin spellings of one sound to one form, in this order (earlier rules feed later ones).
DIGRAPHS = [
    ("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("shch", "sh"), ("shh", "sh"), ("tch", "ch"),
    ("kh", "h"), ("x", "h"), ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("gh", "g"), ("ph", "f"),
    ("cz", "ts"), ("ck", "k"), ("w", "v"), ("q", "k"),
]
SOUNDS = [
    (re.compile(r"(?<![iy])ou"), "u"),  # French ou (not ёу: Ziyoullo)
    (re.compile(r"ch(?![aeiouy])"), "h"),  # German ch: Achmedov, Rachmonov
    (re.compile(r"ch"), "sh"),  # French ch is ш, English ch is ч: both one key
    (re.compile(r"c"), "ts"),  # ISO 9 and GOST ц
    # j is ж, but after a vowel and before a consonant, at the end or in -jev it is ISO 9 and
    # German й: Kajrat, Sergej, Abdullajew (Rajab, Hoji, Muhammadjon keep their ж)
    (re.compile(r"(?<=[aeiouy])j(?=ev|[^aeiouy]|$)"), "i"),
    (re.compile(r"(?<=[aeo])ff\b"), "v"),  # French -off, -eff
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"i[eo]"), "e"),  # BGN ye, yo and ICAO e, e: Yerlan, Sayyora/Saiera
    (re.compile(r"(?<=[ou])e"), ""),  # German oe, ue for ө, ү (and -boyev/-boev alike)
    (re.compile(r"o"), "a"),
    (re.compile(r"ng"), "n"),
    (re.compile(r"(.)\1+"), r"\1"),
]


def fold(text: str) -> str:
    """Any spelling of a name, in any of the five languages' scripts, to a lowercase Latin skeleton.

    Words are separated by one space; hyphens and other punctuation separate words, apostrophes
    (ь, ъ, Uzbek oʻ/gʻ) do not.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = UZBEK_APOSTROPHE.sub(lambda m: "ў" if m.group(1) == "o" else "ғ", text)
    text = APOSTROPHES.sub("", text).translate(LETTERS)
    text = COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
    text = " ".join(NOT_LETTERS.sub(" ", text).split())
    for old, new in DIGRAPHS:
        text = text.replace(old, new)
    for pattern, replacement in SOUNDS:
        text = pattern.sub(replacement, text)
    return text


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(words).split())


# Words that only say whose son or daughter someone is; dropped from the tokens.
MARKERS = _folded(
    "уулу кызы улы ұлы қызы кизи қизи ўғли угли огли оглы гызы "
    "uulu kyzy uly ogli oʻgʻli ugli qizi ogly oglu ibn bin binti bint"
)
# The same written joined to the father's name (Kazakh "Нұрланұлы"), stripped when what is left is
# a name of at least MIN_STEM letters.
JOINED_MARKERS = re.compile("(" + "|".join(sorted(_folded("уулу ұлы қызы ўғли огли"))) + ")$")
MIN_STEM = 4
# Word-level rules on folded words: feminine surnames, then forms of one name.
WORD_FORMS = [
    (re.compile(r"(av|ev|in)a$"), r"\1"),  # -ова -ева -ина: Токтогулова meets Токтогулов
    (re.compile(r"sk(aia|i)$"), "ski"),  # -ская, -ский
    (re.compile(r"^m[au][hg]am[ae][dt]?"), "muhamad"),  # Muhammad Mukhammed Magomed Mohammed
    (re.compile(r"^(iu|ju|u)s[iue][fp]"), "iusuf"),  # Yusuf Yusup Юсуп Жусуп Жүсіп Үсүп
    (re.compile(r"^ahm[ae][dt]?"), "ahmad"),  # Ahmad Akhmed Akhmet
    (re.compile(r"^ibra[hg]?im"), "ibrahim"),  # Ibrohim Ibragim Ibraim
    (re.compile(r"^[hg]us[ae]in"), "husain"),  # Husayn Khuseyn Гусейн
    (re.compile(r"^jamsh[ei]d"), "jamshid"),  # Jamshed Jamshid
    (re.compile(r"^abd[iu]?(?=[^aeilu])"), "abdu"),  # Abdrakhmanov Abdyrakhmanov Abdurakhmonov
    (re.compile(r"(?<=[a-z]{3})[aeiu]t?din"), "idin"),  # Nuriddin Nuruddin Nuritdin Nureddin
    (re.compile(r"ulah"), "ula"),  # Abdullah Abdulloh Abdulla
    (re.compile(r"zade?$"), "zada"),  # Tajik -zoda -zade -zod
]


@lru_cache(maxsize=1 << 16)
def _token_key(word: str) -> str:
    stem = JOINED_MARKERS.sub("", word)
    if len(stem) >= MIN_STEM:
        word = stem
    for pattern, replacement in WORD_FORMS:
        word = pattern.sub(replacement, word)
    return word


def name_tokens(full_name: str) -> list[str]:
    """The key of each meaningful word of a name, in the order written.

    Markers of filiation (уулу, кызы, ўғли, ibn …) are dropped; patronymics and initials stay as
    tokens of their own. A search by fewer words of the same name gives a subset of these keys.
    """
    return [_token_key(word) for word in fold(full_name).split() if word not in MARKERS]


def name_key(full_name: str) -> str:
    """Order-independent key of a whole name: its sorted tokens joined by a space."""
    return " ".join(sorted(name_tokens(full_name)))


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity of two strings, in [0, 1] (1 when equal)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    used = [False] * len(b)
    matched_a = []
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used[j] and b[j] == char:
                used[j] = True
                matched_a.append(char)
                break
    if not matched_a:
        return 0.0
    matched_b = [char for char, hit in zip(b, used, strict=True) if hit]
    m = len(matched_a)
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) / 2
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1 - jaro)


# Jaro-Winkler scores unrelated short words far above 0 (Azimjan/Azamat 0.80, Askarov/Asanov
# 0.88): a pair of words is alike by how far its score rises from this floor to 1.
UNRELATED_WORDS = 0.6
# Each word one name has and the other lacks (a patronymic, a second given name) costs this much
# of a word in the denominator: "Azimjon Askarov" and "Аскаров Азимжан Абдуллаевич" score 0.95.
EXTRA_WORD_WEIGHT = 0.1


def _likeness(a: str, b: str) -> float:
    return max(0.0, jaro_winkler(a, b) - UNRELATED_WORDS) / (1 - UNRELATED_WORDS)


def name_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two full names, whatever their script, spelling and word order.

    Words are paired greedily, most similar first, by the Jaro-Winkler similarity of their keys
    rescaled from UNRELATED_WORDS..1 to 0..1; the score is the mean over the pairs, lowered a
    little for each unpaired word. 0 if a name is empty.
    """
    left, right = name_tokens(a), name_tokens(b)
    if not left or not right:
        return 0.0
    pairs = sorted(
        ((_likeness(x, y), i, j) for i, x in enumerate(left) for j, y in enumerate(right)),
        reverse=True,
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    total = 0.0
    for score, i, j in pairs:
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            total += score
    paired = min(len(left), len(right))
    extra = max(len(left), len(right)) - paired
    return total / (paired + EXTRA_WORD_WEIGHT * extra)
