"""Questionnaires join the content the roles work on (authoring.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

QUESTIONNAIRES = ("instrument", "subscale", "item", "itemoption", "feedbackband", "feedbackrule", "occasion")
ROLES = {"author": ("view", "add", "change"), "translator": ("view", "change"), "reviewer": ("view",)}


def grant(apps, schema_editor):
    config = apps.get_app_config("questionnaires")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, actions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="questionnaires",
                codename__in=[f"{action}_{model}" for model in QUESTIONNAIRES for action in actions],
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):  # a flushed test database has none
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="questionnaires"))


class Migration(migrations.Migration):
    dependencies = [("authoring", "0004_roles")]

    operations = [migrations.RunPython(grant, revoke)]
