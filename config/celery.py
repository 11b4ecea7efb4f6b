"""Celery application (production task backend). Tasks reach it only through the outbox relay."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("ataa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
