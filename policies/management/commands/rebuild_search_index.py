from django.core.management.base import BaseCommand

from policies.services import rebuild_index


class Command(BaseCommand):
    help = "Re-index every published policy and interpretation in the site search (after a dictionary change)."

    def handle(self, *args, **options):
        self.stdout.write(f"已重建 {rebuild_index()} 条政策的搜索索引。")
