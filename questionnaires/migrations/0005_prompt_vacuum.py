# As helpseekers 0004: vacuum the help-seekers' questionnaire rows after a few dead rows, so
# deleted responses leave PostgreSQL's pages soon. PostgreSQL only.
from django.db import migrations

TABLES = ("questionnaires_questionnaireresponse", "questionnaires_itemresponse")
PROMPT = "autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 50"
DEFAULTS = "autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold"


def _each_table(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(sql % table)

    return run


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0004_feedback_rules_and_directions")]

    operations = [
        migrations.RunPython(_each_table(f"ALTER TABLE %s SET ({PROMPT})"), _each_table(f"ALTER TABLE %s RESET ({DEFAULTS})")),
    ]
