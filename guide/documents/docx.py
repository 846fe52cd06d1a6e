"""The guide as Word (.docx, python-docx): A4, the county as author, cover, a table of contents
already filled with the chapters and items (a TOC field Word can update with page numbers), one
Heading 1 per department and Heading 2 per item, tables for materials and facts, page numbers in
the footer. East-Asian text is set in a common Chinese font name."""

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import chapter_number, fee_lines, item_facts, material_rows

EAST_ASIAN_FONT = "微软雅黑"


def _set_east_asian_font(style):
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _field(paragraph, instruction, shown):
    """A Word field (PAGE) that Word computes when the file is opened or printed."""
    _field_part(paragraph, "begin")
    _field_part(paragraph, "instr", instruction)
    _field_part(paragraph, "separate")
    paragraph.add_run(shown)
    _field_part(paragraph, "end")


def _table_of_contents(document, end):
    """A TOC field whose shown result is already the list of chapters and items, so the file
    opens with a filled table of contents; Word adds the page numbers when the field is
    updated (printing does it)."""
    entries = [(level, text) for level, text in document.headings if level <= 2]
    if not entries:
        end.add_run(_("(no chapters)"))
        return
    paragraphs = []
    for level, text in entries:
        paragraph = end.insert_paragraph_before()
        paragraph.paragraph_format.left_indent = Pt(21 * (level - 1))
        paragraphs.append((paragraph, text))
    first, text = paragraphs[0]
    _field_part(first, "begin")
    _field_part(first, "instr", 'TOC \\o "1-2" \\h \\z \\u')
    _field_part(first, "separate")
    for paragraph, text in paragraphs:
        paragraph.add_run(text)
    _field_part(end, "end")


def _field_part(paragraph, kind, instruction=None):
    run = paragraph.add_run()
    if kind == "instr":
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instruction
    else:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
    run._r.append(element)


class _Writer:
    """python-docx looks styles up by name and the section width up by scanning the whole body
    on every call, which grows quadratically with a 400-item guide; resolve both once."""

    def __init__(self, document):
        self.document = document
        self.body = document._body
        self.headings = []  # (level, text) in order, for the table of contents
        self.styles = {style.name: style for style in document.styles}
        self.style_ids = {name: style.style_id for name, style in self.styles.items()}
        section = document.sections[-1]
        self.width = section.page_width - section.left_margin - section.right_margin

    def heading(self, text, level):
        self.headings.append((level, text))
        return self.paragraph(text, f"Heading {level}")

    def paragraph(self, text="", style=None):
        paragraph = self.body.add_paragraph(text)
        if style:
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def table(self, rows, cols):
        table = self.body.add_table(rows, cols, self.width)
        table._tbl.tblPr.style = self.style_ids["Table Grid"]
        return table


def _facts_table(document, rows):
    table = document.table(rows=0, cols=2)
    for label, text in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = text
    return table


def _item(document, item, level):
    document.heading(item.name, level=level)
    if item.summary:
        document.paragraph(item.summary)
    _facts_table(document, item_facts(item))
    if item.legal_basis:
        document.heading(_("Legal basis"), level=level + 1)
        document.paragraph(item.legal_basis)
    if item.conditions:
        document.heading(_("Conditions"), level=level + 1)
        document.paragraph(item.conditions)
    materials = material_rows(item)
    if materials:
        document.heading(_("Materials to bring"), level=level + 1)
        table = document.table(rows=1, cols=5)
        for cell, text in zip(
            table.rows[0].cells, [_("No."), _("Material"), _("Original or copy"), _("Copies"), _("Notes")]
        ):
            cell.text = text
        for row in materials:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    steps = list(item.steps.all())
    if steps:
        document.heading(_("Steps"), level=level + 1)
        for step in steps:
            text = f"{step.number}. {step.name}" + (f"：{step.description}" if step.description else "")
            document.paragraph(text)
    document.heading(_("Fees"), level=level + 1)
    for line in fee_lines(item):
        document.paragraph(line)
    faqs = list(item.faqs.all())
    if faqs:
        document.heading(_("Frequently asked questions"), level=level + 1)
        for faq in faqs:
            document.paragraph(_("Q: %(q)s") % {"q": faq.question})
            document.paragraph(_("A: %(a)s") % {"a": faq.answer})


def build_docx(content):
    with translation.override("zh-hans"):
        return _build(content)


def _build(content):
    edition = content.edition
    header_text = _("Qingxin County Enterprise Service Guide (%(edition)s)") % {"edition": edition.title}
    raw = Document()
    section = raw.sections[0]
    # A4 with the margins of 党政机关公文格式 (GB/T 9704): python-docx's template is US Letter.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    document = _Writer(raw)
    raw.core_properties.title = header_text
    raw.core_properties.language = "zh-CN"
    raw.core_properties.author = edition.compiled_by or settings.SITE_SPONSOR
    raw.core_properties.last_modified_by = settings.SITE_SPONSOR
    raw.core_properties.comments = ""
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        _set_east_asian_font(document.styles[name])
    document.styles["Normal"].font.size = Pt(10.5)
    section.header.paragraphs[0].text = header_text
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")

    if content.scope != "item":
        title = document.paragraph(style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run(_("Qingxin County Enterprise Service Guide"))
        for line in (
            [edition.title]
            + ([content.chapters[0].department.name] if content.scope == "department" and content.chapters else [])
            + [edition.compiled_by, timezone.localdate().strftime("%Y-%m")]
        ):
            paragraph = document.paragraph(line)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.paragraph(_("Contents"), style="Heading 1")  # not a heading() of its own TOC
        toc_end = document.paragraph()
        raw.add_section(WD_SECTION.NEW_PAGE)
        if content.scope == "full" and edition.foreword:
            document.heading(_("Foreword"), level=1)
            document.paragraph(edition.foreword)
    if content.leaders:
        document.heading(_("Leaders' division of labour"), level=1)
        table = document.table(rows=1, cols=5)
        for cell, text in zip(
            table.rows[0].cells, [_("Name"), _("Post"), _("Work in charge"), _("Units in charge"), _("Office phone")]
        ):
            cell.text = text
        for duty in content.leaders:
            post = duty.post if duty.level == "county" else f"{duty.unit.name}{duty.post}"
            for cell, text in zip(
                table.add_row().cells, [duty.name, post, duty.duties, duty.units_in_charge, duty.office_phone]
            ):
                cell.text = text
    for index, chapter in enumerate(content.chapters, start=1):
        if content.scope != "item":
            name = (
                f"{chapter_number(index)}、{chapter.department.name}"
                if content.scope == "full"
                else chapter.department.name
            )
            document.heading(name, level=1)
            if chapter.department.service_phone:
                document.paragraph(
                    _("Enterprise service phone: %(phone)s") % {"phone": chapter.department.service_phone}
                )
        for item in chapter.items:
            _item(document, item, level=2 if content.scope != "item" else 1)
    if content.loans:
        document.heading(_("Credit and loan services"), level=1)
        for product in content.loans:
            document.heading(f"{product.institution.name}：{product.name}", level=2)
            if product.description:
                document.paragraph(product.description)
            _facts_table(
                document,
                [
                    (_("Amount"), product.amount or "—"),
                    (_("Term"), product.term or "—"),
                    (_("Interest rate or fee"), product.rate or "—"),
                    (_("Eligibility"), product.eligibility or "—"),
                    (_("Materials"), "\n".join(product.material_lines()) or "—"),
                    (_("Steps"), "\n".join(f"{i}. {s}" for i, s in enumerate(product.step_lines(), 1)) or "—"),
                    (_("Contact"), f"{product.contact_name} {product.contact_phone}".strip() or "—"),
                ],
            )
    if content.scope != "item":
        _table_of_contents(document, toc_end)
    buffer = io.BytesIO()
    raw.save(buffer)
    return buffer.getvalue()
