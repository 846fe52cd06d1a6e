"""Kept because migration 0001 names it: the base upload check (portal.core.uploads)."""

from portal.core.uploads import UploadValidator

validate_upload = UploadValidator()
