"""Kept because migration 0001 names it: the base upload check (portal.uploads)."""
from portal.uploads import UploadValidator

validate_upload = UploadValidator()
