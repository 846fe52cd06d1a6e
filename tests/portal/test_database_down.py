import pytest


@pytest.mark.urls("tests.portal.urls_database_down")
def test_a_lost_database_gives_a_clear_503_that_says_the_submission_was_not_saved(client):
    response = client.post("/submit/", {"text": "企业反映的问题"})
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "服务暂时不可用" in html
    assert "没有保存" in html
