"""Acts by act type, read from the link table alone: the case list's act-type filter and the
statistics' act-type tables look up (term, allegation) pairs without visiting the link rows.
The link table is Django's own for ``Allegation.act_types``, which takes no Meta indexes."""

from django.db import migrations

INDEX = "cases_allegation_act_types_term_allegation"


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_stage_rank")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON cases_allegation_act_types (term_id, allegation_id)",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
