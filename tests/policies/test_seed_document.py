"""The demo's founding document (清新府〔2012〕35号) always has its text: the full text from
SEED_POLICY_FILE when that file exists, else the summary shipped in the repository."""

import io

from policies import demo
from policies.models import Policy


def test_without_the_full_text_the_demo_publishes_the_summary_not_the_title_alone(
    settings, tmp_path, county_government, client
):
    settings.SEED_POLICY_FILE = str(tmp_path / "missing.txt")  # a clean clone: no ../shared
    county_government.name = "清新县人民政府"
    county_government.save()
    demo.build(io.StringIO())
    seed = Policy.objects.get(doc_number=demo.SEED_DOC_NUMBER)
    assert seed.body.strip() != demo.SEED_TITLE and len(seed.body) > 800
    assert "涉企事项综合处置" in seed.body and "摘要" in seed.body
    page = client.get(seed.get_absolute_url()).content.decode()
    assert "企情动态监测" in page


def test_a_full_text_file_is_loaded_when_given(settings, tmp_path):
    full = tmp_path / "seed.txt"
    full.write_text(
        "各镇人民政府:\n一、指导思想\n正文第一段。\n(一)建立涉企政策信息公开机制\n正文第二段。\n", encoding="utf-8"
    )
    settings.SEED_POLICY_FILE = str(full)
    body = demo._seed_body()
    assert "## 一、指导思想" in body and "### (一)建立涉企政策信息公开机制" in body and "正文第二段。" in body
