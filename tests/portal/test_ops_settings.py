"""Operations details a county's IT staff meets first: the page cache setting as the README
describes it, and commands that print no warning on a server without XDG_RUNTIME_DIR."""
import os
import subprocess
import sys

from django.conf import settings

from portal.settings import cache_config


def test_page_cache_url_may_be_a_folder_as_the_readme_says(tmp_path):
    config = cache_config(str(tmp_path / "pages"))
    assert config["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert config["LOCATION"] == str(tmp_path / "pages")
    relative = cache_config("var/cache/pages")
    assert relative["LOCATION"] == str(settings.BASE_DIR / "var" / "cache" / "pages")
    assert cache_config("redis://127.0.0.1:6379/2")["BACKEND"].endswith("RedisCache")
    assert cache_config(f"filecache://{tmp_path}")["LOCATION"] == str(tmp_path)


def test_loading_the_embedded_server_package_prints_no_runtime_dir_warning():
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    result = subprocess.run([sys.executable, "-W", "error", "-c",
                             "from portal import embedded_db; embedded_db.package(); print(embedded_db.bin_dir())"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and (result.stdout.strip() + "/pg_dump")
