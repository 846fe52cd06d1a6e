from django.core.management.base import BaseCommand

from portal.core import search
from portal.models import SearchSynonym
from portal.core.search_lexicon import LEXICON_FILE, load_lexicon


class Command(BaseCommand):
    help = (
        "Add the government-services lexicon (portal/data/search_lexicon.txt) to the search synonym table. "
        "Entries already in the table keep the county office's wording unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace", action="store_true", help="Also overwrite the official terms of entries already in the table."
        )

    def handle(self, *args, replace=False, **options):
        added, updated = load_lexicon(SearchSynonym, replace=replace)
        search.clear_synonym_cache()
        self.stdout.write(
            f"{LEXICON_FILE.name}: 新增 {added} 条，更新 {updated} 条。"
            "若新增了词语，请运行 rebuild_search_index 重建索引。"
        )
