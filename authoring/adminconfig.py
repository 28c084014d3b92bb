"""Django's admin, whose default site is the staff site (``authoring.staffsite``).

In its own module: an app's ``apps`` module may declare one configuration only.
"""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "authoring.staffsite.StaffAdminSite"
