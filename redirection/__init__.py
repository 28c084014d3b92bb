"""Project package: settings, URLs, the Celery app, WSGI/ASGI entry points and the
middleware that keeps client data out of every request and log."""

from .celery import app as celery_app

__all__ = ("celery_app",)
