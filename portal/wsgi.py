import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Before the server forks its workers: the word-segmentation dictionary (no database).
from portal.search import warm_up  # noqa: E402

warm_up()
