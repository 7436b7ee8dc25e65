"""The controlled vocabularies Kuzot ships (English and Russian); coordinators may add terms.

Act types follow HURIDOCS' methods of violence (micro-thesaurus 05) as NGOs in the region name
them; agencies, contexts and bodies are those of the Central Asian states.
"""

SHIPPED: dict[str, list[tuple[str, str, str]]] = {
    "act_type": [
        ("beating", "Beating", "Избиение"),
        ("suffocation", "Suffocation (bag, gas mask)", "Удушение (пакет, противогаз)"),
        ("electric_shock", "Electric shock", "Применение электрошока"),
        ("stress_positions", "Stress positions, suspension", "Стрессовые позы, подвешивание"),
        ("sexual_violence", "Sexual violence", "Сексуальное насилие"),
        ("threats_to_relatives", "Threats to relatives", "Угрозы родственникам"),
        ("death_threats", "Death threats", "Угрозы убийством"),
        ("sleep_deprivation", "Sleep deprivation", "Лишение сна"),
        ("denial_of_medical_care", "Denial of medical care", "Отказ в медицинской помощи"),
        ("deprivation_food_water", "Deprivation of food or water", "Лишение пищи или воды"),
        ("incommunicado", "Incommunicado detention", "Содержание без связи с внешним миром"),
        ("forced_confession", "Forced confession", "Принуждение к признанию"),
        ("burns", "Burns", "Ожоги"),
        ("extreme_temperatures", "Extreme heat or cold", "Воздействие жары или холода"),
        ("humiliation", "Humiliation, forced nakedness", "Унижение, принудительное раздевание"),
        ("isolation", "Solitary confinement", "Одиночное заключение"),
        ("psychological", "Other psychological torture", "Иное психологическое насилие"),
        ("other", "Other", "Другое"),
    ],
    "agency": [
        ("police", "Police (internal affairs)", "Милиция / полиция (МВД)"),
        ("national_security", "National security service", "Служба национальной безопасности"),
        ("penitentiary", "Penitentiary service", "Пенитенциарная служба"),
        ("military", "Military", "Вооружённые силы"),
        ("prosecutor", "Prosecutor's office", "Прокуратура"),
        ("other", "Other state agency", "Другой государственный орган"),
        ("unknown", "Unknown", "Неизвестно"),
    ],
    "purpose": [
        ("confession", "To obtain a confession", "Получение признания"),
        ("information", "To obtain information", "Получение информации"),
        ("punishment", "Punishment", "Наказание"),
        ("intimidation", "Intimidation", "Запугивание"),
        ("extortion", "Extortion", "Вымогательство"),
        ("discrimination", "Discrimination", "Дискриминация"),
        ("unknown", "Unknown", "Неизвестно"),
    ],
    "context": [
        ("arrest", "Arrest", "Задержание"),
        ("interrogation", "Interrogation", "Допрос"),
        ("pre_trial", "Pre-trial detention", "Предварительное заключение"),
        ("prison", "Prison", "Место лишения свободы (колония)"),
        ("psychiatric", "Psychiatric institution", "Психиатрическое учреждение"),
        ("army", "Army", "Армия"),
        ("protest", "Protest", "Протест"),
        ("other", "Other", "Другое"),
    ],
    "source": [
        ("victim", "Victim", "Пострадавший"),
        ("relative", "Relative", "Родственник"),
        ("lawyer", "Lawyer", "Адвокат"),
        ("media", "Media", "СМИ"),
        ("npm", "National preventive mechanism", "Национальный превентивный механизм"),
        ("ombudsman", "Ombudsman", "Омбудсмен"),
        ("organisation", "Other organisation", "Другая организация"),
        ("online_form", "Online complaint form", "Онлайн-форма жалобы"),
    ],
    "place_type": [
        ("police_station", "Police station", "Отделение милиции / полиции"),
        (
            "temporary_detention",
            "Temporary detention facility (IVS)",
            "Изолятор временного содержания (ИВС)",
        ),
        ("sizo", "Pre-trial detention centre (SIZO)", "Следственный изолятор (СИЗО)"),
        ("colony", "Penal colony", "Исправительная колония"),
        ("security_service", "Security service facility", "Учреждение службы безопасности"),
        ("psychiatric", "Psychiatric hospital", "Психиатрическая больница"),
        ("military_unit", "Military unit", "Воинская часть"),
        ("social_care", "Social care institution", "Учреждение социального обслуживания"),
        ("other", "Other", "Другое"),
    ],
    "complaint_body": [
        ("prosecutor", "Prosecutor's office", "Прокуратура"),
        ("investigative_committee", "Investigative body", "Следственный орган"),
        ("security_service", "Security service", "Служба безопасности"),
        ("court", "Court", "Суд"),
        ("ombudsman", "Ombudsman", "Омбудсмен"),
        ("npm", "National preventive mechanism", "Национальный превентивный механизм"),
        ("un_hrc", "UN Human Rights Committee", "Комитет ООН по правам человека"),
        ("un_cat", "UN Committee against Torture", "Комитет ООН против пыток"),
        (
            "un_wgad",
            "UN Working Group on Arbitrary Detention",
            "Рабочая группа ООН по произвольным задержаниям",
        ),
        ("other", "Other", "Другое"),
    ],
}

# Regions (first-level divisions) by country: (code, English, Russian).
REGIONS: dict[str, list[tuple[str, str, str]]] = {
    "KG": [
        ("kg-bishkek", "Bishkek", "Бишкек"),
        ("kg-osh-city", "Osh (city)", "Ош (город)"),
        ("kg-batken", "Batken", "Баткенская область"),
        ("kg-chuy", "Chuy", "Чуйская область"),
        ("kg-issyk-kul", "Issyk-Kul", "Иссык-Кульская область"),
        ("kg-jalal-abad", "Jalal-Abad", "Джалал-Абадская область"),
        ("kg-naryn", "Naryn", "Нарынская область"),
        ("kg-osh", "Osh", "Ошская область"),
        ("kg-talas", "Talas", "Таласская область"),
    ],
    "KZ": [
        ("kz-astana", "Astana", "Астана"),
        ("kz-almaty-city", "Almaty (city)", "Алматы (город)"),
        ("kz-shymkent", "Shymkent", "Шымкент"),
        ("kz-abai", "Abai", "Абайская область"),
        ("kz-akmola", "Akmola", "Акмолинская область"),
        ("kz-aktobe", "Aktobe", "Актюбинская область"),
        ("kz-almaty", "Almaty", "Алматинская область"),
        ("kz-atyrau", "Atyrau", "Атырауская область"),
        ("kz-east", "East Kazakhstan", "Восточно-Казахстанская область"),
        ("kz-jambyl", "Jambyl", "Жамбылская область"),
        ("kz-jetisu", "Jetisu", "Жетысуская область"),
        ("kz-karaganda", "Karaganda", "Карагандинская область"),
        ("kz-kostanay", "Kostanay", "Костанайская область"),
        ("kz-kyzylorda", "Kyzylorda", "Кызылординская область"),
        ("kz-mangystau", "Mangystau", "Мангистауская область"),
        ("kz-north", "North Kazakhstan", "Северо-Казахстанская область"),
        ("kz-pavlodar", "Pavlodar", "Павлодарская область"),
        ("kz-turkistan", "Turkistan", "Туркестанская область"),
        ("kz-ulytau", "Ulytau", "Улытауская область"),
        ("kz-west", "West Kazakhstan", "Западно-Казахстанская область"),
    ],
    "TJ": [
        ("tj-dushanbe", "Dushanbe", "Душанбе"),
        ("tj-sughd", "Sughd", "Согдийская область"),
        ("tj-khatlon", "Khatlon", "Хатлонская область"),
        ("tj-gbao", "Gorno-Badakhshan", "Горно-Бадахшанская автономная область"),
        ("tj-rrs", "Districts of Republican Subordination", "Районы республиканского подчинения"),
    ],
}


def load(term_model) -> None:
    """Create or update the shipped terms (organisation empty); used by a data migration."""
    rows = [
        (vocabulary, code, en, ru, "", position)
        for vocabulary, terms in SHIPPED.items()
        for position, (code, en, ru) in enumerate(terms)
    ] + [
        ("region", code, en, ru, country, position)
        for country, regions in REGIONS.items()
        for position, (code, en, ru) in enumerate(regions)
    ]
    for vocabulary, code, en, ru, country, position in rows:
        term_model.objects.update_or_create(
            vocabulary=vocabulary,
            code=code,
            organisation=None,
            defaults={"label_en": en, "label_ru": ru, "country": country, "position": position},
        )
