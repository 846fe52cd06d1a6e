from django.core.management.base import BaseCommand
from django_otp.oath import totp

from portal.demo import DEMO_TOTP_HEX


class Command(BaseCommand):
    help = "Print the current verification code of the demo county-office (and superuser) login."

    def handle(self, *args, **options):
        self.stdout.write(f"{totp(bytes.fromhex(DEMO_TOTP_HEX)):06d}")
