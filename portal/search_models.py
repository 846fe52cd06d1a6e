"""Models of the site-wide search index (owned by the search work; imported by portal.models)."""
