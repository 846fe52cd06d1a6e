"""The downloads: one PDF with cover, contents, bookmarks, headers, page numbers and an
embedded Chinese font; a DOCX holding every item; stable URLs, names and types."""

import os
import re
import subprocess
from urllib.parse import quote

import docx
import pytest
from django.core.files.storage import InMemoryStorage

from guide.documents.docx import build_docx
from guide.documents.pdf import build_pdf
from guide.downloads import edition_build_files, edition_path
from guide.selectors import document_content
from portal.models import Unit
from tests.factories import UnitFactory
from tests.guide.factories import LeaderDutyFactory, LoanProductFactory, ServiceItemFactory


@pytest.fixture
def guide(edition):
    units = [
        UnitFactory(name=name, kind=Unit.Kind.DEPARTMENT, sort_order=n)
        for n, name in enumerate(["县市场监督管理局", "县自然资源局", "县住房和城乡建设局"])
    ]
    names = [
        "企业设立登记",
        "食品经营许可",
        "建设用地规划许可证核发",
        "建设工程规划许可证核发",
        "建筑工程施工许可证核发",
        "竣工验收备案",
        "特种设备使用登记",
    ]
    items = [ServiceItemFactory(edition=edition, department=units[n % 3], name=name) for n, name in enumerate(names)]
    LeaderDutyFactory(edition=edition, name="周美玲")
    LoanProductFactory(edition=edition, name="经营快贷")
    return items


def run(*args):
    return subprocess.run(args, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def pdf_file(guide, edition, tmp_path):
    path = tmp_path / "guide.pdf"
    path.write_bytes(build_pdf(document_content(edition)))
    return path


def page_texts(path):
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))
    return [run("pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path), "-") for n in range(1, pages + 1)]


def test_pdf_text_is_chinese_and_the_font_is_embedded(pdf_file, guide):
    text = run("pdftotext", str(pdf_file), "-")
    assert "清新县企业服务指南" in text and "目" in text
    for item in guide:
        assert item.name in text
    assert "营业执照复印件" in text and "法定办结时限" in text
    fonts = run("pdffonts", str(pdf_file)).splitlines()[2:]
    assert fonts, "no fonts"
    for line in fonts:
        if "Helvetica" in line:  # reportlab's default font for an empty canvas state; holds no text
            continue
        columns = line.split()
        assert columns[-5] == "yes", line  # emb
        assert columns[-4] == "yes", line  # sub(set)


def test_pdf_table_of_contents_page_numbers_match_the_pages(pdf_file, guide):
    pages = page_texts(pdf_file)
    toc_text = pages[1]
    assert "目" in toc_text and "录" in toc_text
    entries = re.findall(r"^\s*(\S.*?)\s*(?:\.\s*)+(\d+)\s*$", toc_text, re.M)
    assert len(entries) >= len(guide)
    for title, number in entries:
        page = pages[int(number) - 1]
        assert title.strip() in page, (title, number)
        assert re.search(rf"第\s*{number}\s*页", page)  # the printed page number is the same
    assert "清新县企业服务指南（2026年版）" in pages[3]  # running header


def outline_titles(data):
    """Titles of the PDF's outline entries (reportlab writes them as literal strings)."""
    titles = []
    for match in re.finditer(rb"/Title \(", data):
        i, depth, raw = match.end(), 1, bytearray()
        while True:
            c = data[i : i + 1]
            if c == b"\\":
                nxt = data[i + 1 : i + 2]
                if nxt.isdigit():
                    octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4]).group()
                    raw.append(int(octal, 8))
                    i += 1 + len(octal)
                    continue
                raw += {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(nxt, nxt)
                i += 2
                continue
            if c == b"(":
                depth += 1
            elif c == b")":
                depth -= 1
                if depth == 0:
                    break
            raw += c
            i += 1
        raw = bytes(raw)
        titles.append(raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1"))
    return titles


def test_pdf_has_bookmarks_for_every_department_and_item(pdf_file, guide):
    titles = outline_titles(pdf_file.read_bytes())
    assert b"/Outlines" in pdf_file.read_bytes()
    for item in guide:
        assert item.name in titles
    for department in {i.department.name for i in guide}:
        assert any(department in t for t in titles)
    assert "领导分工" in titles and "信贷服务" in titles


def test_pdf_renders_chinese_glyphs_not_boxes(pdf_file, tmp_path):
    """pdftoppm renders the cover; the glyphs come from the embedded font (no fallback warning),
    and the title area is not blank. (The PNG was also inspected by eye when this was written.)"""
    result = subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf_file), str(tmp_path / "p")],
        capture_output=True,
        check=True,
    )
    assert b"Couldn't find a font" not in result.stderr
    png = next(tmp_path.glob("p*.png"))
    assert png.stat().st_size > 2000


def test_docx_opens_and_holds_every_item(guide, edition, tmp_path):
    path = tmp_path / "guide.docx"
    path.write_bytes(build_docx(document_content(edition)))
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for item in guide:
        assert item.name in headings
    assert any("县自然资源局" in h for h in headings)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "营业执照复印件" in cells and "周美玲" in cells


def test_department_chapter_and_single_item_hold_only_their_content(guide, edition, tmp_path):
    department = guide[0].department
    text = build_docx(document_content(edition, department=department))
    path = tmp_path / "d.docx"
    path.write_bytes(text)
    headings = [p.text for p in docx.Document(str(path)).paragraphs]
    assert all((i.name in headings) == (i.department_id == department.pk) for i in guide)
    path = tmp_path / "i.pdf"
    path.write_bytes(build_pdf(document_content(edition, item=guide[1])))
    text = run("pdftotext", str(path), "-")
    assert guide[1].name in text and guide[0].name not in text


@pytest.mark.parametrize(
    "fmt, content_type",
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_downloads_are_prebuilt_with_stable_urls_names_and_types(
    client, guide, edition, guide_media, fmt, content_type, django_assert_max_num_queries
):
    edition_build_files(edition=edition)
    assert (guide_media / edition_path(edition, fmt)).exists()
    item = guide[0]
    cases = [
        (f"/guide/editions/2026/guide.{fmt}", f"清新县企业服务指南（2026年版）.{fmt}"),
        (
            f"/guide/editions/2026/departments/{item.department_id}.{fmt}",
            f"清新县企业服务指南（2026年版）—{item.department.name}.{fmt}",
        ),
        (f"/guide/items/{item.pk}/download.{fmt}", f"办事指南—{item.name}（{item.department.name}）.{fmt}"),
    ]
    for url, filename in cases:
        with django_assert_max_num_queries(3):  # served from the file, not built per request
            response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert f"filename*=UTF-8''{quote(filename)}" in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment;")


def test_missing_file_is_built_once_then_served(client, guide, edition, guide_media):
    path = guide_media / edition_path(edition, "pdf")
    assert not path.exists()
    assert client.get("/guide/editions/2026/guide.pdf").status_code == 200
    assert path.exists()


def test_downloads_of_unknown_editions_or_departments_answer_404(client, guide, edition):
    other_department = UnitFactory(name="县统计局", kind=Unit.Kind.DEPARTMENT)
    assert client.get("/guide/editions/1999/guide.pdf").status_code == 404
    assert client.get(f"/guide/editions/2026/departments/{other_department.pk}.pdf").status_code == 404
    assert client.get("/guide/editions/2026/guide.txt").status_code == 404


class BucketLikeStorage(InMemoryStorage):
    """Files kept elsewhere, as in an S3 bucket: no path on this machine."""

    def path(self, name):
        raise NotImplementedError("no local path")

    def _relative_path(self, name):
        return os.path.relpath(super().path(name), self.location)


def test_in_object_storage_a_rebuild_replaces_the_file_under_its_name_and_downloads_stream_from_it(
    client, guide, edition, settings
):
    """With the files in a bucket (S3: no local path), a rebuild overwrites the object in one
    write (no moment without the file, no second copy under another name) and the download is
    read from the storage."""
    from django.core.files.storage import default_storage

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.guide.test_downloads.BucketLikeStorage"}}
    edition_build_files(edition=edition)
    path = edition_path(edition, "pdf")
    first = default_storage.open(path).read()
    guide[0].name = "企业设立登记（新）"
    guide[0].save()
    edition_build_files(edition=edition)
    _folders, files = default_storage.listdir(f"guide/downloads/{edition.slug}")
    assert sorted(files) == ["guide.docx", "guide.pdf"]
    rebuilt = default_storage.open(path).read()
    assert rebuilt != first
    response = client.get("/guide/editions/2026/guide.pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content) == rebuilt
