"""Name search through the blind index finds a person whatever the spelling."""

import pytest

from kuzot.accounts.vault import unlock
from kuzot.cases.actions import register_person
from kuzot.cases.selectors import search_people
from tests.conftest import PASSWORD

# (as recorded, as searched): Cyrillic and Latin, ICAO and BGN/PCGN, -жан/-жон, -уулу/-кызы,
# -ov forms, name order, case, Kazakh, Kyrgyz, Tajik and Uzbek letters.
PAIRS = [
    ("Азимжан Аскаров", "Azimjon Askarov"),
    ("Азимжан Аскаров", "ASKAROV Azimzhan"),
    ("Азимжан Аскаров", "askarov"),
    ("Азимжан Аскаров", "Azimdzhan Askarov"),
    ("Бакыт уулу Азамат", "Azamat Bakyt uulu"),
    ("Бакыт уулу Азамат", "Bakyt Azamat"),
    ("Айгуль Бакыт кызы", "Aigul Bakyt kyzy"),
    ("Гульнара Токтогулова", "Gulnara Toktogulova"),
    ("Гульнара Токтогулова", "TOKTOGULOVA GULNARA"),
    ("Нурсултан Жаксыбеков", "Nursultan Zhaksybekov"),
    ("Нурсултан Жаксыбеков", "Jaksybekov"),
    ("Қайрат Әлиев", "Kairat Aliyev"),
    ("Қайрат Әлиев", "Qairat Aliev"),
    ("Ерлан Қасымов", "Yerlan Kasymov"),
    ("Ерлан Қасымов", "Erlan Kassymov"),
    ("Айгерим Сейткали", "Aigerim Seitkali"),
    ("Ҷамшед Раҳимов", "Jamshed Rakhimov"),
    ("Ҷамшед Раҳимов", "Dzhamshed Rahimov"),
    ("Дилноза Ҳакимова", "Dilnoza Khakimova"),
    ("Дилноза Ҳакимова", "Dilnoza Hakimova"),
    ("Мухаммадҷон Шарипов", "Mukhammadjon Sharipov"),
    ("Мухаммадҷон Шарипов", "Muhammadjon Sharipov"),
    ("Сайёра Юсупова", "Sayyora Yusupova"),
    ("Сайёра Юсупова", "Saiora Iusupova"),
    ("Шерзод Абдуллаев", "Sherzod Abdullayev"),
    ("Шерзод Абдуллаев", "Sherzod Abdullaev"),
    ("Шерзод Абдуллаев", "Scherzod Abdullajew"),
    ("Шерзод Абдуллаев", "Cherzod Abdoullaev"),
    ("Ўткир Тошматов", "Oʻtkir Toshmatov"),
    ("Ўткир Тошматов", "Utkir Toshmatov"),
    ("Ғайрат Холиқов", "Gʻayrat Xoliqov"),
    ("Ғайрат Холиқов", "Gairat Kholikov"),
    ("Рустам Эргашев", "Rustam Ergashev"),
    ("Феруза Назарова", "Feruza Nazarova"),
    ("Анвар Юлдашев", "Anvar Yuldashev"),
    ("Анвар Юлдашев", "Anvar Iuldashev"),
    ("Зарина Хасанова", "Zarina Khasanova"),
    ("Зарина Хасанова", "Zarina Hasanova"),
    ("Чолпон Жээнбекова", "Cholpon Zheenbekova"),
    ("Чолпон Жээнбекова", "Cholpon Jeenbekova"),
    ("Өмүрбек Түлөбаев", "Omurbek Tulobaev"),
    ("Ұлан Нұрланов", "Ulan Nurlanov"),
    ("Аскаров Азимжан Абдуллаевич", "Azimjon Askarov"),
    ("Исмоил Раҳмонзода", "Ismoil Rahmonzoda"),
]


@pytest.fixture
def people(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    return {name: register_person(lawyer, vault, full_name=name) for name in {p for p, _ in PAIRS}}


def test_there_are_at_least_forty_spelling_pairs():
    assert len(PAIRS) >= 40


def test_every_spelling_finds_its_person(world, people):
    keyring = unlock(world.user("a-lawyer"), PASSWORD)
    missed = [
        (recorded, searched)
        for recorded, searched in PAIRS
        if people[recorded] not in search_people(world.user("a-lawyer"), keyring, searched)
    ]
    assert not missed


def test_other_people_are_not_found(world, people):
    keyring = unlock(world.user("a-lawyer"), PASSWORD)
    for query in ["Usenov", "Ivan Petrov", "Gulnara Usmanova"]:
        assert not search_people(world.user("a-lawyer"), keyring, query).exists()


def test_another_organisation_finds_nobody(world, people):
    keyring = unlock(world.user("b-lawyer"), PASSWORD)
    assert not search_people(world.user("b-lawyer"), keyring, "Askarov").exists()
