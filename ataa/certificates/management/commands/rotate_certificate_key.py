"""manage.py rotate_certificate_key: a new signing key for certificates; the old one is retired
but stays published, so the certificates it signed still verify."""

from django.core.management.base import BaseCommand

from ataa.certificates.keys import rotate_signing_key


class Command(BaseCommand):
    help = "Make a new certificate signing key current and retire the old one (still published)."

    def handle(self, *args, **options):
        key = rotate_signing_key()
        self.stdout.write(f"The new signing key is {key.kid}.")
