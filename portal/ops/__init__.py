"""Running the portal: the launcher behind ./run, the embedded PostgreSQL server, gunicorn settings, backups and the shared cache backend."""
