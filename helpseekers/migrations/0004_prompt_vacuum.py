# Deleted help-seeker rows (a profile deleted by its owner or by retention, ended sessions)
# stay in PostgreSQL's pages until VACUUM marks their space free. Vacuum these tables after
# a few dead rows, not after a fifth of the table (PostgreSQL's default). PostgreSQL only;
# nothing to do elsewhere. See docs/operators.md, "What the disk keeps".
from django.db import migrations

TABLES = (
    "helpseekers_helpseekerprofile",
    "helpseekers_helpseekersession",
    "helpseekers_stepprogress",
    "helpseekers_modulecompletion",
    "helpseekers_exerciseanswer",
)
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
    dependencies = [("helpseekers", "0003_key_scheme")]

    operations = [
        migrations.RunPython(_each_table(f"ALTER TABLE %s SET ({PROMPT})"), _each_table(f"ALTER TABLE %s RESET ({DEFAULTS})")),
    ]
