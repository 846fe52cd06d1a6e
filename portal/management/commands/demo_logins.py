import base64

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from portal.demo import DEMO_OFFICIALS, DEMO_PASSWORD, DEMO_TOTP_HEX


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        out = self.stdout.write
        out("\nDemo logins (password for all: %s)" % DEMO_PASSWORD)
        out("  Officials' workspace: /admin/")
        for username, unit, role, name, post in DEMO_OFFICIALS:
            out(f"    {username:<16} {unit} · {name}（{post}）")
        secret = base64.b32encode(bytes.fromhex(DEMO_TOTP_HEX)).decode()
        code = totp(bytes.fromhex(DEMO_TOTP_HEX))
        out(
            f"    countyoffice also needs a verification code: TOTP key {secret} "
            f"(now {code:06d}; `./run manage totp_code` prints the current one)"
        )
        out("    admin            superuser (the same verification code as countyoffice)")
        out("  Enterprise users: /accounts/login/")
        out("    enterprise       confirmed account of a 太和镇 enterprise")
        out("    enterprise_pending  account waiting for 太和镇 to confirm it\n")
