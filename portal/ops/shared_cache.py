"""The database cache table as the shared cache of every server process when no CACHE_URL
(Redis) is set: rate-limit counters and cached figures then agree across gunicorn workers
and machines. Django's DatabaseCache increments by get-then-set (two workers may both write
n+1) and resets the entry's lifetime on each increment; here the row is locked and the
lifetime kept, so a counter is exact and its window does not move."""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        made_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT expires FROM {table} WHERE cache_key = %s FOR UPDATE", [made_key])
                row = cursor.fetchone()
            value = self.get(key, self._missing_key, version=version)
            if row is None or value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            expires = row[0]
            if timezone.is_naive(expires):
                expires = timezone.make_aware(expires, timezone.utc)
            remaining = max(1, int((expires - timezone.now()).total_seconds()))
            new_value = value + delta
            self.set(key, new_value, timeout=remaining, version=version)
        return new_value
