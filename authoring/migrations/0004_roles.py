"""The staff roles as groups, with their permissions (authoring.roles says what each does).
The *evaluator* group comes from analytics' own migration."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = ("program", "module", "step", "block", "blockoption", "helpline")
ROLES = {
    "author": [("modules", model, action) for model in CONTENT for action in ("view", "add", "change")],
    "translator": [("modules", model, action) for model in CONTENT for action in ("view", "change")],
    "reviewer": [("modules", model, "view") for model in CONTENT],
}
ADMINISTRATOR_APPS = ("modules", "questionnaires", "authoring", "auth", "otp_totp", "authtoken", "analytics")


def create_roles(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model, action in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            )
    administrator, _ = Group.objects.get_or_create(name="administrator")
    administrator.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))
    administrator.permissions.add(*Permission.objects.filter(content_type__app_label="admin", codename="view_logentry"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[*ROLES, "administrator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("authoring", "0003_translator_language"),
        ("modules", "0005_helplinedirectoryview"),
        ("questionnaires", "0005_prompt_vacuum"),
        ("analytics", "0003_figure_protected"),
        ("otp_totp", "0003_add_timestamps"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
