"""How many files go with one matter. The check of each file is the base's
(portal.core.uploads.check_upload: kind by content, size from settings.UPLOAD_MAX_BYTES)."""

MAX_FILES = 5
