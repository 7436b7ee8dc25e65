"""Countries (ISO 3166-1 alpha-2), named in the language of the page.

The list and its translations are Debian's iso-codes, as the ``pycountry`` package ships them
(names in Russian, Kyrgyz, Kazakh, Tajik, Uzbek and Turkmen among others): a person's
nationality is picked from this list, and an imported file may write a country by its code
(``KG``, ``KGZ``) or by its name in any of these languages. A two-letter text is not a country
because it is two letters: ``KY`` is the Cayman Islands, not Kyrgyzstan.
"""

import gettext
import re
import unicodedata
from functools import cache

import pycountry
from django.utils import translation

# Languages whose names are accepted on import and shown on pages (Kuzot's and Turkmen).
NAME_LANGUAGES = ("en", "ru", "ky", "kk", "tg", "uz", "tk")

# Names people write that the standard does not list (short forms, older names).
ALIASES = {
    "KG": ("kyrgyz republic", "kirghizia", "киргизия", "кыргызская республика", "кыргызстан"),
    "RU": ("russia", "россия"),
    "TM": ("туркмения",),
    "MD": ("moldova",),
    "US": ("usa", "сша"),
    "GB": ("uk", "great britain", "великобритания"),
}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _english(country) -> str:
    return getattr(country, "common_name", None) or country.name


def _in(country, language: str) -> str:
    if language == "en":
        return _english(country)
    catalogue = _catalogue(language)
    common = getattr(country, "common_name", None)
    if common and catalogue.gettext(common) != common:
        return catalogue.gettext(common)
    return catalogue.gettext(country.name)


def is_code(code: str) -> bool:
    """Whether the text is an ISO 3166-1 alpha-2 code, in capitals."""
    return pycountry.countries.get(alpha_2=code) is not None and code.isupper()


def name(code: str) -> str:
    """The country's name in the current language; the code itself if it is none."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    return _in(country, _language()) if country else code


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    named = [(country.alpha_2, _in(country, language)) for country in pycountry.countries]
    return tuple(sorted(named, key=lambda pair: _key(pair[1])))


def choices() -> list[tuple[str, str]]:
    """A form field's choices (pass the function: Django calls it in the page's language)."""
    return [("", "—"), *_choices(_language())]


@cache
def _codes_by_name() -> dict[str, str]:
    """Every code and name to its country; a name the catalogues give two countries is left
    out (a few translated official names are wrong, e.g. Latvia's and Lithuania's in Turkmen)."""
    found: dict[str, set[str]] = {}
    for country in pycountry.countries:
        words = {country.alpha_2, country.alpha_3, country.name}
        words |= {getattr(country, a, "") for a in ("common_name", "official_name")}
        words |= {_in(country, language) for language in NAME_LANGUAGES}
        words |= {
            _catalogue(language).gettext(getattr(country, attribute))
            for language in NAME_LANGUAGES
            for attribute in ("name", "official_name")
            if getattr(country, attribute, "")
        }
        words |= set(ALIASES.get(country.alpha_2, ()))
        for word in filter(None, words):
            found.setdefault(_key(word), set()).add(country.alpha_2)
    return {word: codes.pop() for word, codes in found.items() if len(codes) == 1}


def code_of(text: str) -> str | None:
    """The alpha-2 code of a country written by code or by name; None if no country is."""
    return _codes_by_name().get(_key(text or ""))
