"""A published register for the browser tests of the public site: every standard table (one-
and two-way, the region map, the funnel), and the public pages to visit."""

from kuzot.stats.actions import publish
from kuzot.stats.models import Publication
from kuzot.stats.publishing import STANDARD
from tests.stats.fixture import ninety

LANGUAGES = ["en", "ru", "ky", "kk", "tg", "uz"]


def published(world) -> Publication:
    ninety(world)
    return publish(
        world.user("a-coordinator"),
        title="Кыргызстан 2021–2023: пытки и жестокое обращение по регионам",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=[c.key for c in STANDARD],
    )


def public_pages(publication: Publication) -> list[str]:
    return [
        "/public/",
        f"/public/{publication.slug}/",
        "/complaint/",
        "/complaint/a/",
        "/complaint/follow-up/",
    ]
