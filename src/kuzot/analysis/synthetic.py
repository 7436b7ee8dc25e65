"""Synthetic Central Asian people and the lists (sources) that document them.

A seeded generator for linkage tests, benchmarks and demo data. ``generate_people`` draws people
of Kyrgyzstan, Kazakhstan and Tajikistan (Kyrgyz, Kazakh, Tajik, Uzbek and Russian names, with
realistic shares per country), including namesakes: different people with the same common name
and near birth years. ``observe`` lets each source record an overlapping subset of them with its
own habits (script, transliteration scheme, name order, patronymics, initials, typos, missing
fields) and returns rows in the contract of ``kuzot link`` plus ``true_person_id``::

    people = generate_people(2000, seed=1)
    rows = observe(people, DEFAULT_SOURCES, seed=2)

The transliteration tables here *produce* spellings the way documents do (ICAO 9303, BGN/PCGN,
ISO 9 / GOST 7.79, Uzbek Latin, informal); matching them is the job of ``kuzot.analysis.names``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

COUNTRIES = ("KG", "KZ", "TJ")

REGIONS = {
    "KG": (
        "kg-bishkek",
        "kg-osh-city",
        "kg-batken",
        "kg-chuy",
        "kg-issyk-kul",
        "kg-jalal-abad",
        "kg-naryn",
        "kg-osh",
        "kg-talas",
    ),
    "KZ": (
        "kz-astana",
        "kz-almaty-city",
        "kz-shymkent",
        "kz-abai",
        "kz-akmola",
        "kz-aktobe",
        "kz-almaty",
        "kz-atyrau",
        "kz-east",
        "kz-jambyl",
        "kz-jetisu",
        "kz-karaganda",
        "kz-kostanay",
        "kz-kyzylorda",
        "kz-mangystau",
        "kz-north",
        "kz-pavlodar",
        "kz-turkistan",
        "kz-ulytau",
        "kz-west",
    ),
    "TJ": ("tj-dushanbe", "tj-sughd", "tj-khatlon", "tj-gbao", "tj-rrs"),
}

# Share of each people among the victims documented in each country.
ETHNICITIES = {
    "KG": {"kyrgyz": 0.72, "uzbek": 0.16, "russian": 0.08, "kazakh": 0.04},
    "KZ": {"kazakh": 0.68, "russian": 0.22, "uzbek": 0.06, "kyrgyz": 0.04},
    "TJ": {"tajik": 0.84, "uzbek": 0.13, "russian": 0.03},
}
COUNTRY_SHARES = {"KG": 0.4, "KZ": 0.35, "TJ": 0.25}

MALE = {
    "kyrgyz": "Азамат Бакыт Нурлан Эрлан Улан Марат Талант Айбек Жаныбек Мирлан Эрмек Кубаныч "
    "Алмазбек Бектур Темир Нурбек Өмүрбек Жумабек Садыр Канат Чыңгыз Азиз Бекжан Элдияр Үмөт "
    "Эмил Тилек Урмат Данияр Медер Жоомарт Айдар Төлөгөн Асан Үсөн Токтогул Сооронбай Дастан",
    "kazakh": "Нұрсұлтан Ерлан Асхат Қайрат Ержан Дәурен Бауыржан Серік Ерболат Жандос Мұрат "
    "Арман Болат Нұрлан Әлібек Ғалым Мақсат Ғани Бекзат Дархан Айдос Ерғали Жасұлан Тимур "
    "Қанат Абылай Мейрам Серғазы Талғат Аслан Әділ Саян Рүстем",
    "tajik": "Фаридун Ҷамшед Рустам Шоҳрух Баҳодур Далер Фирдавс Сомон Хуршед Умед Меҳрод Суҳроб "
    "Абдулло Наврӯз Зафар Илҳом Ҷумъахон Парвиз Бахтиёр Файзулло Саъдулло Исмоил Муҳаммад "
    "Шуҳрат Алишер Комрон Сиёвуш Манучеҳр Ҳусейн Мирзо Нуриддин Ёқуб Ҳабибулло",
    "uzbek": "Азимжон Шавкат Жасур Баҳтиёр Улуғбек Дилшод Санжар Ботир Отабек Фаррух Шерзод "
    "Абдулла Юсуф Раҳим Элёр Алишер Аваз Равшан Собир Ҳамид Акмал Нодир Ўткир Жамшид Хуршид "
    "Мирзоҳид Анвар Иброҳим Давронбек Азамжон Зоҳиджон",
    "russian": "Александр Сергей Дмитрий Андрей Юрий Алексей Евгений Владимир Николай Игорь "
    "Фёдор Виктор Михаил Павел Артём Денис Вячеслав Олег Илья Геннадий",
}
FEMALE = {
    "kyrgyz": "Айгүл Жылдыз Нургүл Гүлнара Айпери Бермет Чолпон Асель Динара Назгүл Айжан Мээрим "
    "Жазгүл Толкун Айнура Салтанат Гүлзат Бактыгүл Айзада Элнура Каныкей Бурул",
    "kazakh": "Айгерім Гүлнар Сәуле Жанар Әсел Динара Мадина Аружан Ақмарал Салтанат Жансая "
    "Ұлжан Гүлмира Назерке Дана Әйгерім Балжан Меруерт Қарлығаш Ботагөз",
    "tajik": "Мадина Нигина Шаҳноза Зарина Фарангис Меҳрангез Дилноза Гулноза Манижа Таҳмина "
    "Муниса Парвина Нилуфар Саодат Фотима Малика Зебо Шабнам",
    "uzbek": "Дилноза Гулчеҳра Нилуфар Феруза Зулфия Моҳира Шаҳло Малика Севара Гулноза Нодира "
    "Дилфуза Умида Ойгул Муножат Барно Зарина Юлдуз",
    "russian": "Елена Наталья Ольга Татьяна Юлия Ирина Екатерина Светлана Анна Мария Людмила "
    "Валентина Оксана Галина",
}
SURNAMES = {
    "kyrgyz": "Асанов Жумабеков Токтогулов Садыков Осмонов Мамытов Жапаров Бакиев Атамбаев "
    "Ташиев Кадыров Исаков Турдубаев Абдыкеров Эсенгулов Сыдыков Токтосунов Мамбетов Алымбеков "
    "Орозбеков Жээнбеков Бейшеналиев Кулматов Абдрахманов Үсөнов Төлөгөнов Сатыбалдиев",
    "kazakh": "Нұрпейісов Жұмабаев Сәрсенбаев Тоқаев Қасымов Ахметов Омаров Серікбаев Әбенов "
    "Исабеков Оспанов Есенов Мұқанов Байжанов Жақыпов Смағұлов Құдайбергенов Әбдірахманов "
    "Нұрғалиев Бекмұхамедов Тұрсынов Ержанов Қалиев",
    "tajik": "Раҳимов Каримов Назаров Саидов Шарипов Ҳасанов Юсуфов Давлатов Раҳмонзода "
    "Каримзода Саидзода Назарзода Шарифзода Қурбонов Мирзоев Солиев Ҷалолов Ғафуров Ашуров "
    "Одинаев Хайров Сафаров Мирзозода Қодиров Раҷабов Ҳамидов",
    "uzbek": "Асқаров Юсупов Каримов Раҳимов Алиев Турсунов Холматов Мирзаев Эргашев Абдуллаев "
    "Хўжаев Саидов Нуриддинов Исмоилов Тошматов Усмонов Ҳайдаров Маматов Жўраев Собиров "
    "Қодиров Азимов Умаров",
    "russian": "Иванов Смирнов Кузнецов Попов Щербаков Ёлкин Соколов Новиков Фёдоров Морозов "
    "Волков Лебедев Ковальчук Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв "
    "Ткаченко Мельников",
}
# Names are often compounds (Нур-бек, Алмаз-бек, Жума-бай, Шамс-иддин): many more than any list.
ROOTS = {
    "kyrgyz": "Нур Алмаз Жума Эр Бакыт Кубат Мирза Айт Жан Асыл Бол Дос Темир Кудай Сейит Абды "
    "Төрө Мамат Сул Уран Эсен Токто Бейше Орозо",
    "kazakh": "Нұр Алмас Жұма Ер Бақыт Қуат Мырза Айт Жан Асыл Бол Дос Темір Құдай Сейіт Әбді "
    "Төре Мамат Сұл Ұран Есен Тоқта Бейсен Ораз",
    "uzbek": "Нур Олмос Жума Эр Бахт Қувват Мирза Ойбек Жон Асил Дўст Темур Худой Сайид Абду "
    "Тўра Мамат Сул Эсон Тоҳир Ҳасан Ўроз Раҳмат Шукур",
    "tajik": "Нур Сайф Шамс Фахр Зайн Камол Ҷалол Файз Ҳабиб Ниёз Раҳмат Неъмат Саъд Азиз Баҳо "
    "Шараф Насим Муҳиб Зиё Фатҳ",
}
COMPOUND_ENDINGS = {
    "kyrgyz": ("бек", "бай", "али", "кул", "бол"),
    "kazakh": ("бек", "бай", "ғали", "жан", "хан"),
    "uzbek": ("бек", "бой", "жон", "али", "қул"),
    "tajik": ("иддин", "улло", "ҷон"),
}
MALE = {k: v.split() for k, v in MALE.items()}
for people, endings in COMPOUND_ENDINGS.items():
    MALE[people] += [root + ending for root in ROOTS[people].split() for ending in endings]
FEMALE = {k: v.split() for k, v in FEMALE.items()}
# Family names mostly come from a forefather's given name: Жумабеков, Нурбаев.
SURNAMES = {
    k: v.split()
    + [name.removesuffix("й") + ("ев" if name[-1] in "йиі" else "ов") for name in MALE[k][::2]]
    for k, v in SURNAMES.items()
}

# Letters of Kazakh, Kyrgyz, Tajik and Uzbek as Russian-language documents write them.
RUSSIFIED = str.maketrans(
    {
        "қ": "к",
        "ғ": "г",
        "ң": "н",
        "ө": "о",
        "ү": "у",
        "ұ": "у",
        "ә": "а",
        "і": "и",
        "һ": "х",
        "ҳ": "х",
        "ҷ": "дж",
        "ӣ": "и",
        "ӯ": "у",
        "ў": "у",
        "ъ": "",
    }
)

_ICAO = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "ў": "u",
    "і": "i",
    "һ": "c",
    # Letters ICAO lacks, written as Russian-language documents write them.
    "қ": "k",
    "ғ": "g",
    "ң": "n",
    "ө": "o",
    "ү": "u",
    "ұ": "u",
    "ә": "a",
    "ҳ": "kh",
    "ҷ": "dzh",
    "ӣ": "i",
    "ӯ": "u",
}
# Each scheme: letter table over ICAO, and whether е/ё are iotated (ye/yo) at a word's start
# and after vowels.
SCHEMES: dict[str, tuple[dict[str, str], bool]] = {
    "icao": (_ICAO, False),
    "bgn": (
        {
            **_ICAO,
            "й": "y",
            "ё": "yo",
            "ъ": "",
            "ю": "yu",
            "я": "ya",
            "қ": "q",
            "ғ": "gh",
            "ң": "ng",
            "ө": "ö",
            "ү": "ü",
            "ұ": "u",
            "ә": "ä",
            "һ": "h",
            "ҳ": "h",
            "ҷ": "j",
            "ӣ": "i",
            "ӯ": "u",
        },
        True,
    ),
    "gost": (
        {
            **_ICAO,
            "ж": "ž",
            "й": "j",
            "ё": "ë",
            "х": "h",
            "ц": "c",
            "ч": "č",
            "ш": "š",
            "щ": "ŝ",
            "ъ": "ʺ",
            "ь": "ʹ",
            "э": "è",
            "ю": "û",
            "я": "â",
            "қ": "ķ",
            "ғ": "ġ",
            "ң": "ņ",
            "ө": "ô",
            "ү": "ù",
            "ұ": "u",
            "ә": "ä",
            "һ": "ḥ",
            "ҳ": "ḩ",
            "ҷ": "ç",
            "ӣ": "ī",
            "ӯ": "ū",
            "ў": "ŭ",
        },
        False,
    ),
    "uzbek": (
        {
            **_ICAO,
            "ж": "j",
            "х": "x",
            "й": "y",
            "ё": "yo",
            "ъ": "ʼ",
            "ю": "yu",
            "я": "ya",
            "қ": "q",
            "ғ": "gʻ",
            "ҳ": "h",
            "ў": "oʻ",
            "ң": "ng",
            "ө": "o",
            "ү": "u",
            "ұ": "u",
            "ә": "a",
            "ҷ": "j",
            "ӣ": "i",
            "ӯ": "u",
        },
        True,
    ),
}
# Informal spelling: each letter's rendering drawn afresh from what people actually write.
INFORMAL = {
    "ж": ("zh", "j", "dzh"),
    "х": ("kh", "h"),
    "ҳ": ("h", "kh"),
    "й": ("y", "i"),
    "ю": ("yu", "iu"),
    "я": ("ya", "ia"),
    "ё": ("yo", "e"),
    "ы": ("y", "i"),
    "ц": ("ts", "c"),
    "щ": ("sch", "sh"),
    "қ": ("k", "q"),
    "ғ": ("g", "gh"),
    "ң": ("n", "ng"),
    "ө": ("o", "oe"),
    "ү": ("u", "ue"),
    "ә": ("a",),
    "ҷ": ("j", "dzh", "ch"),
    "ў": ("u", "o'"),
    "ъ": ("", "'"),
}
VOWELS = set("аеёиоуыэюяәөүұіӣӯў")
PATRONYMIC_MARKERS = {
    "kyrgyz": ("уулу", "кызы"),
    "kazakh": ("ұлы", "қызы"),
    "uzbek": ("ўғли", "қизи"),
    "tajik": ("", ""),
    "russian": ("", ""),
}


@dataclass(frozen=True)
class SyntheticPerson:
    """One person, names in their own Cyrillic spelling."""

    person_id: int
    ethnicity: str
    sex: str  # "M" or "F"
    given_name: str
    family_name: str  # a Kyrgyz family name may be "<father> уулу/кызы"
    father_name: str
    birth_year: int
    country: str  # ISO 3166 alpha-2
    region: str
    incident_date: date
    visibility: float  # how easily the person comes to an organisation's attention
    alternative_family_name: str | None = None  # after the Tajik surname reform (-ов → -зода)


@dataclass(frozen=True)
class SourceProfile:
    """A list: whom it documents and how it writes them down. Probabilities are per record."""

    name: str
    coverage: dict[str, float]  # country → chance of recording a person of average visibility
    script: str = "cyrillic"  # "cyrillic" or "latin"
    schemes: tuple[str, ...] = ("icao",)  # Latin sources: SCHEMES keys or "informal"
    native_letters: float = 0.5  # Cyrillic: keeps қ ғ ң ө ү … rather than Russian letters
    uppercase: float = 0.0
    surname_first: float = 0.5
    patronymic: float = 0.3
    initial_only: float = 0.02  # "Asanov B."
    structured: bool = False  # also fills given_name / family_name / patronymic columns
    typo: float = 0.05
    birth_year_missing: float = 0.15
    birth_year_off: float = 0.05  # a year off: age given instead of a date of birth
    sex_missing: float = 0.1
    region_missing: float = 0.2
    incident_precision: tuple[float, float, float] = (0.6, 0.3, 0.1)  # day, month, year
    duplicates: float = 0.02  # the same person in two of this source's records
    extra: dict[str, str] = field(default_factory=dict)  # constant extra columns


DEFAULT_SOURCES = (
    SourceProfile(
        "kg-ngo",
        {"KG": 0.5, "KZ": 0.03, "TJ": 0.03},
        native_letters=0.4,
        surname_first=0.8,
        patronymic=0.5,
        structured=True,
    ),
    SourceProfile(
        "kz-ngo",
        {"KG": 0.03, "KZ": 0.5, "TJ": 0.01},
        native_letters=0.7,
        surname_first=0.7,
        patronymic=0.4,
    ),
    SourceProfile(
        "tj-ngo",
        {"KG": 0.02, "KZ": 0.01, "TJ": 0.55},
        native_letters=0.8,
        surname_first=0.6,
        patronymic=0.2,
        birth_year_missing=0.25,
    ),
    SourceProfile(
        "intl-ngo",
        {"KG": 0.3, "KZ": 0.25, "TJ": 0.3},
        script="latin",
        schemes=("bgn", "informal", "uzbek", "icao"),
        surname_first=0.1,
        patronymic=0.05,
        initial_only=0.04,
        typo=0.08,
        birth_year_missing=0.3,
        region_missing=0.4,
    ),
    SourceProfile(
        "un-body",
        {"KG": 0.2, "KZ": 0.2, "TJ": 0.2},
        script="latin",
        schemes=("icao", "gost", "icao"),
        uppercase=0.8,
        surname_first=0.9,
        patronymic=0.1,
        birth_year_missing=0.1,
        sex_missing=0.3,
        incident_precision=(0.3, 0.4, 0.3),
    ),
)


@cache
def _zipf(n: int) -> list[float]:
    """Cumulative weights: a few names are very common, as in real registers."""
    return list(accumulate(1 / (rank + 1) ** 0.7 for rank in range(n)))


def _pick(rng: random.Random, names: list[str]) -> str:
    return rng.choices(names, cum_weights=_zipf(len(names)))[0]


def _feminine(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    if surname.endswith("ий"):
        return surname[:-2] + "ая"
    return surname


def _person(rng: random.Random, person_id: int) -> SyntheticPerson:
    country = rng.choices(list(COUNTRY_SHARES), list(COUNTRY_SHARES.values()))[0]
    shares = ETHNICITIES[country]
    ethnicity = rng.choices(list(shares), list(shares.values()))[0]
    sex = "M" if rng.random() < 0.85 else "F"
    given = _pick(rng, (MALE if sex == "M" else FEMALE)[ethnicity])
    father = _pick(rng, MALE[ethnicity])
    if ethnicity == "kyrgyz" and rng.random() < 0.2:
        family = f"{father} {'уулу' if sex == 'M' else 'кызы'}"
    else:
        family = _pick(rng, SURNAMES[ethnicity])
        family = family if sex == "M" else _feminine(family)
    reformed = None
    if ethnicity == "tajik" and family.endswith(("ов", "ова")) and rng.random() < 0.1:
        reformed = family.removesuffix("а").removesuffix("ов") + "зода"
    start = date(2010, 1, 1)
    return SyntheticPerson(
        person_id=person_id,
        ethnicity=ethnicity,
        sex=sex,
        given_name=given,
        family_name=family,
        father_name=father,
        birth_year=rng.randint(1950, 2004),
        country=country,
        region=rng.choice(REGIONS[country]),
        incident_date=start + timedelta(days=rng.randrange(365 * 15)),
        visibility=rng.lognormvariate(0, 0.5),
        alternative_family_name=reformed,
    )


def generate_people(n: int, seed: int, namesakes: float = 0.03) -> list[SyntheticPerson]:
    """``n`` people; a share ``namesakes`` of them bear another person's exact name and were born
    within three years of them (different people whom names alone cannot tell apart)."""
    rng = random.Random(seed)
    people = []
    for person_id in range(n):
        person = _person(rng, person_id)
        if people and rng.random() < namesakes:
            twin = rng.choice(people)
            person = SyntheticPerson(
                **{
                    **person.__dict__,
                    "ethnicity": twin.ethnicity,
                    "sex": twin.sex,
                    "given_name": twin.given_name,
                    "family_name": twin.family_name,
                    "father_name": twin.father_name,
                    "birth_year": twin.birth_year + rng.randint(-3, 3),
                }
            )
        people.append(person)
    return people


def _patronymic(person: SyntheticPerson, rng: random.Random) -> str:
    male, female = PATRONYMIC_MARKERS[person.ethnicity]
    if " " in person.family_name:  # the family name is already "<father> уулу"
        return ""
    if male and rng.random() < 0.3:
        return f"{person.father_name} {male if person.sex == 'M' else female}"
    stem = person.father_name.removesuffix("й")
    if stem[-1] in VOWELS:
        stem = stem[:-1]
    if person.sex == "M":
        return stem + ("евич" if person.father_name.endswith("й") else "ович")
    return stem + ("евна" if person.father_name.endswith("й") else "овна")


def _romanise(text: str, scheme: str, rng: random.Random) -> str:
    out = []
    previous = " "
    for ch in text:
        lower = ch.lower()
        if scheme == "informal":
            options = INFORMAL.get(lower)
            latin = rng.choice(options) if options else _ICAO.get(lower, lower)
            if lower in "её" and (previous == " " or previous in VOWELS) and rng.random() < 0.5:
                latin = "y" + latin
        else:
            table, iotated = SCHEMES[scheme]
            latin = table.get(lower, lower)
            if iotated and lower == "е" and (previous == " " or previous in VOWELS):
                latin = "ye"
        out.append(latin.capitalize() if ch != lower and latin else latin)
        previous = lower
    return "".join(out)


def _typo(text: str, rng: random.Random) -> str:
    """One keying error in a word of three letters or more: drop, double, swap or replace."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 4]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        word = word[:at] + word[at + 1 :]
    elif kind == 1:
        word = word[:at] + word[at] + word[at:]
    elif kind == 2:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        alphabet = "аеиоуыклмнрстбдгжзх" if "а" <= word[at].lower() <= "я" else "aeioukmnrstbdgz"
        word = word[:at] + rng.choice(alphabet) + word[at + 1 :]
    words[i] = word
    return " ".join(words)


def _incident(day: date, precision: tuple[float, float, float], rng: random.Random) -> str:
    day = day + timedelta(days=rng.choice((0, 0, 0, 0, -1, 1, -3, 7)))
    kind = rng.choices(("day", "month", "year"), precision)[0]
    if kind == "day":
        return day.isoformat()
    return day.isoformat()[:7] if kind == "month" else str(day.year)


def _record(person: SyntheticPerson, source: SourceProfile, rng: random.Random) -> dict:
    family = person.family_name
    if person.alternative_family_name and rng.random() < 0.5:
        family = person.alternative_family_name
    given = person.given_name
    patronymic = _patronymic(person, rng) if rng.random() < source.patronymic else ""
    latin = source.script == "latin"
    scheme = rng.choice(source.schemes) if latin else ""
    if not latin and rng.random() >= source.native_letters:
        given, family, patronymic = (
            s.lower().translate(RUSSIFIED) for s in (given, family, patronymic)
        )
        given, family, patronymic = (
            " ".join(w.capitalize() for w in s.split()) for s in (given, family, patronymic)
        )
    if latin:
        given, family, patronymic = (_romanise(s, scheme, rng) for s in (given, family, patronymic))
    if rng.random() < source.typo:
        family = _typo(family, rng) if rng.random() < 0.6 else family
        given = _typo(given, rng) if rng.random() < 0.5 else given
    if rng.random() < source.initial_only:
        given, patronymic = given[0] + ".", (patronymic[0] + "." if patronymic else "")
    if rng.random() < source.surname_first:
        parts = (family, given, patronymic)
    else:
        parts = (given, patronymic, family) if " " in patronymic else (given, family, patronymic)
    full_name = " ".join(p for p in parts if p)
    if latin and rng.random() < source.uppercase:
        full_name = full_name.upper()
    birth_year = person.birth_year
    if rng.random() < source.birth_year_off:
        birth_year += rng.choice((-1, 1))
    row = {
        "source": source.name,
        "full_name": full_name,
        "given_name": given if source.structured else "",
        "family_name": family if source.structured else "",
        "patronymic": patronymic if source.structured else "",
        "sex": "" if rng.random() < source.sex_missing else person.sex,
        "birth_year": "" if rng.random() < source.birth_year_missing else str(birth_year),
        "country": person.country,
        "region": "" if rng.random() < source.region_missing else person.region,
        "incident_date": _incident(person.incident_date, source.incident_precision, rng),
        **source.extra,
        "true_person_id": person.person_id,
    }
    return row


def observe(
    people: list[SyntheticPerson],
    sources: list[SourceProfile] | tuple[SourceProfile, ...],
    seed: int,
) -> list[dict]:
    """The records each source holds: who it documented and how it wrote them down.

    Rows follow the ``kuzot link`` contract (``record_id`` unique within each source) plus
    ``true_person_id``; a person may appear in several sources, and now and then twice in one.
    """
    rng = random.Random(seed)
    rows = []
    for source in sources:
        number = 0
        for person in people:
            chance = min(1.0, source.coverage.get(person.country, 0.0) * person.visibility)
            if rng.random() >= chance:
                continue
            copies = 2 if rng.random() < source.duplicates else 1
            for _ in range(copies):
                number += 1
                rows.append(
                    {"record_id": f"{source.name}-{number:06d}", **_record(person, source, rng)}
                )
    return rows
