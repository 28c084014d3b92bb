"""ASGI entry point (not used by the shipped deployment, which runs gunicorn with WSGI)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redirection.settings")

application = get_asgi_application()
