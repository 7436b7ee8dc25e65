"""Kazakh dates: Django has no Kazakh formats and would fall back on the US month-first ones
("12/02/2026"); these follow Russian and Kyrgyz usage ("02.12.2026")."""

DATE_FORMAT = "j E Y ж."
DATETIME_FORMAT = "j E Y ж. H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y ж."
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d"]
