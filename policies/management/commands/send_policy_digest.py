from django.core.management.base import BaseCommand

from policies.services import subscription_send_digests


class Command(BaseCommand):
    help = "Send each confirmed subscriber the new policies matching their themes and industries (run from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the mails; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        sent, checked = subscription_send_digests(dry_run=dry_run)
        self.stdout.write(f"{checked} 个订阅，{'将' if dry_run else '已'}发送 {sent} 封摘要邮件。")
