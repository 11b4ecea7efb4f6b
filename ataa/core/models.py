from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what to which object, when and from where. Ids only: never personal data.

    Append-only: the model refuses updates and deletes, and a database trigger (migration 0002)
    refuses them on SQLite and PostgreSQL too.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    # A plain id, not a foreign key: core sits below organizations in the dependency direction.
    organization_id = models.BigIntegerField(
        _("organization"), null=True, blank=True, db_index=True
    )
    verb = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("object type"), max_length=64, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organization_id", "-created_at"])]

    def __str__(self):
        return f"{self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")


class OutboxMessage(models.Model):
    """A task to run, written in the same transaction as the change that asks for it.

    The row is the durable record of the task: it is marked done only after the task finished,
    so neither a broker that is down nor a worker killed mid-task loses it (ADR 0003).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        DISPATCHED = "dispatched", _("handed to the queue")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    available_at = models.DateTimeField(default=timezone.now)
    # running: the worker's lease (renewed while the task runs); dispatched: when the relay
    # publishes the row again if no worker has started it.
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self):
        return f"{self.task_name} #{self.pk} ({self.status})"


class PeriodicSchedule(models.Model):
    """When a periodic task (ataa.core.tasks.periodic) is next due. One row per task name.

    A worker claims a due slot by moving `next_run_at` forward with a conditional UPDATE on the
    value it read, in the transaction that enqueues the task: of several workers, one wins.
    """

    name = models.CharField(max_length=200, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (next {self.next_run_at:%Y-%m-%d %H:%M})"


class BilingualName:
    """`name` in the language of the page: the English name in English, else the Arabic one."""

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "ar").startswith("en")
        return (self.name_en or self.name_ar) if english else (self.name_ar or self.name_en)


class City(BilingualName, models.Model):
    """A city people choose from (seeded by migration; admins add more in Django admin)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. SA."))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True)

    class Meta:
        ordering = ["country", "name_en"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name


class District(BilingualName, models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="districts")
    code = models.SlugField(_("code"), max_length=64)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        ordering = ["city_id", "name_en"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="district_unique_code_per_city")
        ]

    def __str__(self):
        return self.name
