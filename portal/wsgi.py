import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Before the server forks its workers: the word-segmentation dictionary (no database), and
# a new generation of the page cache, so that pages rendered by the code before this start
# (an upgrade's templates) are never served by it.
from portal.core.page_cache import invalidate  # noqa: E402
from portal.core.search import warm_up  # noqa: E402

warm_up()
invalidate()
