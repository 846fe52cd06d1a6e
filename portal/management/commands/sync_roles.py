from django.core.management.base import BaseCommand

from portal.core.roles import sync_role_groups


class Command(BaseCommand):
    help = "Create or update the role groups and their permissions from the apps' declarations."

    def handle(self, *args, **options):
        sync_role_groups()
        self.stdout.write("Role groups are up to date.")
