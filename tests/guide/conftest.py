import pytest

from tests.guide.factories import GuideEditionFactory


@pytest.fixture(autouse=True)
def guide_media(settings, tmp_path):
    """Downloads are written under a throw-away MEDIA_ROOT and built synchronously."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.GUIDE_BUILD_IN_BACKGROUND = False
    return tmp_path / "media"


@pytest.fixture
def edition(db):
    return GuideEditionFactory(title="2026年版", slug="2026")
