from django.core.management.base import BaseCommand

from portal import search


class Command(BaseCommand):
    help = ("Re-index everything each app puts in the site search (policies, guide items, FAQs, loan products, "
            "leaders, contacts, pages), e.g. after a dictionary or lexicon change.")

    def handle(self, *args, **options):
        search.clear_synonym_cache()
        for name, count in search.rebuild_all():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write("搜索索引已重建。")
