"""Migrations may rebuild a table (SQLite then forgets its planner statistics) or rewrite every
row: once any is applied, the planner gets fresh statistics, as after a bulk import."""

from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate

from kuzot.cases.models import Allegation
from kuzot.ops.demo_cases import generate_cases
from tests.conftest import planner_statistics

TABLE = Allegation._meta.db_table


def migrated(plan: list) -> None:
    cases = apps.get_app_config("cases")
    post_migrate.send(
        sender=cases, app_config=cases, verbosity=0, interactive=False, using="default",
        apps=apps, plan=plan,
    )  # fmt: skip


def test_applying_migrations_refreshes_the_planner_statistics(world):
    lawyer = world.user("a-lawyer")
    generate_cases(lawyer.organisation, world.vault("a"), lawyer, 20, seed=5)
    if connection.vendor == "sqlite":  # as after a table was rebuilt
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [TABLE])
        migrated([])  # nothing applied: nothing to do
        assert planner_statistics(TABLE) == 0
    migrated([("a migration", False)])
    assert planner_statistics(TABLE) > 0
