"""The review workflow's permissions for the roles (authoring.roles): authors and translators
submit a language for review; reviewers publish (never their own change); authors restore a
revision into the draft; every content role reads the revisions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "author": ("submit_review", "restore_revision", "view_revision", "view_languagereview"),
    "translator": ("submit_review", "view_revision", "view_languagereview"),
    "reviewer": ("publish_language", "view_revision", "view_languagereview"),
    "administrator": (
        "submit_review",
        "publish_language",
        "restore_revision",
        "view_revision",
        "view_languagereview",
        "view_draftedit",
    ),
}


def grant(apps, schema_editor):
    config = apps.get_app_config("authoring")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="authoring", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        for group in Group.objects.filter(name=role):  # a flushed test database has none
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="authoring", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("authoring", "0007_review_workflow")]

    operations = [migrations.RunPython(grant, revoke)]
