from django.db import models
from django.utils.translation import gettext_lazy as _

from ataa.core.models import BilingualName


class VolunteeringField(BilingualName, models.Model):
    """A field of volunteering (health, education, relief …): groups skills and opportunities."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("field of volunteering")
        verbose_name_plural = _("fields of volunteering")

    def __str__(self):
        return self.name


class Skill(BilingualName, models.Model):
    """A skill of the bilingual taxonomy (seeded; platform admins extend it in Django admin)."""

    field = models.ForeignKey(
        VolunteeringField, on_delete=models.PROTECT, related_name="skills", verbose_name=_("field")
    )
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        ordering = ["field__position", "name_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name


class QualificationKind(BilingualName, models.Model):
    """A qualification an opportunity may require and a coordinator verifies (first aid …)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    expires = models.BooleanField(
        _("expires"), default=True, help_text=_("Whether a proof of it carries an expiry date.")
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("kind of qualification")
        verbose_name_plural = _("kinds of qualification")

    def __str__(self):
        return self.name
