"""`manage.py demo_logins`: where Ataa runs and the demo logins, labelled in English and Arabic."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ataa.core.demo import DEMO_PASSWORD, logins

OPEN_AT = _("Open Ataa at %(address)s")
DEMO_LOGINS = _("Demo logins")
ROLE = _("Role")
EMAIL = _("Email")
PASSWORD = _("Password")
NOTES = _("Notes")
NOT_SEEDED = _("Some demo logins do not exist yet: run “manage.py seed_demo” first.")


def in_both(label, **params) -> tuple[str, str]:
    """A translatable label rendered in English and in Arabic."""
    texts = []
    for language in ("en", "ar"):
        with translation.override(language):
            text = str(label)
            texts.append(text % params if params else text)
    return texts[0], texts[1]


def bilingual(label, **params) -> str:
    english, arabic = in_both(label, **params)
    return english if english == arabic else f"{english} · {arabic}"


class Command(BaseCommand):
    help = "Print the address of the platform and the demo logins (role, email, password)."

    def handle(self, *args, **options):
        rows = logins()
        existing = set(
            get_user_model()
            .objects.filter(email__in=[row.email for row in rows])
            .values_list("email", flat=True)
        )
        table = [[bilingual(ROLE), bilingual(EMAIL), bilingual(PASSWORD)]]
        table += [[bilingual(row.role), row.email, DEMO_PASSWORD] for row in rows]
        widths = [max(len(cells[i]) for cells in table) for i in range(3)]

        write = self.stdout.write
        write("")
        for text in dict.fromkeys(in_both(OPEN_AT, address=settings.ATAA_BASE_URL)):
            write(self.style.SUCCESS(f"  {text}"))
        write("")
        write(f"  {bilingual(DEMO_LOGINS)}")
        for index, cells in enumerate(table):
            line = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            write(f"  {line.rstrip()}")
            if index == 0:
                write("  " + "  ".join("-" * width for width in widths))
        notes = [row for row in rows if row.note]
        if notes:
            write("")
            write(f"  {bilingual(NOTES)}")
            email_width = max(len(row.email) for row in notes)
            for row in notes:
                english, arabic = in_both(row.note)
                write(f"  {row.email.ljust(email_width)}  {english}")
                if arabic != english:
                    write(f"  {' ' * email_width}  {arabic}")
        if existing != {row.email for row in rows}:
            write("")
            for text in dict.fromkeys(in_both(NOT_SEEDED)):
                write(self.style.WARNING(f"  {text}"))
        write("")
