"""Celery application (production task backend, ADR 0003).

Tasks reach it only through the outbox: a row's id is published after commit, or later by the
outbox relay (`manage.py run_worker` with ATAA_TASK_BACKEND=celery). Its one task,
`ataa.core.run_outbox_message`, claims that row and runs it.

Production: `celery -A config worker --loglevel=INFO` (no beat: the relay is its own process).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("ataa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
