"""The guide as PDF (reportlab): cover, table of contents with page numbers, bookmarks,
running headers and page numbers, with a CJK TrueType font embedded (subset).

The font (and its registration) is shared with the portal's other PDFs: portal/core/pdf_fonts.py.
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from portal.core.pdf_fonts import FONT, font_path, register_font  # noqa: F401 (re-exported)

from . import chapter_number, fee_lines, item_facts, material_rows

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm


def _styles():
    base = dict(fontName=FONT, wordWrap="CJK", leading=16, fontSize=10.5)
    return {
        "body": ParagraphStyle("body", **base),
        "small": ParagraphStyle("small", **{**base, "fontSize": 9, "leading": 13}),
        "cell": ParagraphStyle("cell", **{**base, "fontSize": 9.5, "leading": 13}),
        "h1": ParagraphStyle(
            "h1",
            **{
                **base,
                "fontSize": 18,
                "leading": 26,
                "spaceBefore": 6,
                "spaceAfter": 10,
                "textColor": colors.HexColor("#8a1c1c"),
            },
        ),
        "h2": ParagraphStyle(
            "h2",
            **{
                **base,
                "fontSize": 14,
                "leading": 20,
                "spaceBefore": 10,
                "spaceAfter": 6,
                "textColor": colors.HexColor("#1a3d6d"),
            },
        ),
        "h3": ParagraphStyle("h3", **{**base, "fontSize": 11.5, "leading": 17, "spaceBefore": 6, "spaceAfter": 2}),
        "cover_title": ParagraphStyle("cover_title", **{**base, "fontSize": 30, "leading": 42, "alignment": TA_CENTER}),
        "cover_sub": ParagraphStyle("cover_sub", **{**base, "fontSize": 16, "leading": 26, "alignment": TA_CENTER}),
        "toc_title": ParagraphStyle(
            "toc_title", **{**base, "fontSize": 18, "leading": 26, "alignment": TA_CENTER, "spaceAfter": 12}
        ),
        "toc0": ParagraphStyle("toc0", **{**base, "fontSize": 11, "leading": 17, "leftIndent": 0}),
        "toc1": ParagraphStyle("toc1", **{**base, "fontSize": 9.5, "leading": 14, "leftIndent": 14}),
    }


def p(text, style):
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


class Heading(Paragraph):
    """A paragraph that becomes a TOC entry, a bookmark and (level 0) the running header."""

    def __init__(self, text, style, level, key, toc=True):
        super().__init__(escape(text), style)
        self.plain = text
        self.level = level
        self.key = key
        self.toc = toc


class GuideDocTemplate(BaseDocTemplate):
    def __init__(self, buffer, *, title, header, with_cover):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 6 * mm,
            bottomMargin=MARGIN,
            title=title,
            author=settings.SITE_SPONSOR,
            subject=title,
            creator=settings.SITE_NAME,
            lang="zh-CN",
            # Else reportlab declares its default Helvetica, which no reader has embedded.
            initialFontName=register_font(),
        )
        self.header = header
        self.chapter = ""
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        templates = [PageTemplate(id="body", frames=[frame], onPageEnd=self._decorate)]
        if with_cover:
            cover = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="cover")
            templates.insert(0, PageTemplate(id="cover", frames=[cover]))
        self.addPageTemplates(templates)

    def beforeDocument(self):
        self.chapter = ""

    def _decorate(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        top = PAGE_HEIGHT - MARGIN + 2 * mm
        canvas.drawString(self.leftMargin, top, self.header)
        if self.chapter:
            canvas.drawRightString(PAGE_WIDTH - self.rightMargin, top, self.chapter)
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.line(self.leftMargin, top - 2 * mm, PAGE_WIDTH - self.rightMargin, top - 2 * mm)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN - 8 * mm, _("Page %(page)d") % {"page": doc.page})
        canvas.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            if flowable.level == 0:
                self.chapter = flowable.plain
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level, closed=flowable.level == 0)
            if flowable.toc:
                self.notify("TOCEntry", (flowable.level, flowable.plain, self.page, flowable.key))


def _table(rows, widths, styles, header=True):
    data = [[p(cell, styles["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cells' own default is Helvetica, never embedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")))
    table.setStyle(TableStyle(commands))
    return table


def _item_story(item, styles, width, level):
    story = [Heading(item.name, styles["h2"], level, f"item-{item.pk}")]
    if item.summary:
        story.append(p(item.summary, styles["body"]))
    facts = [[label, text] for label, text in item_facts(item)]
    story.append(_table(facts, [32 * mm, width - 32 * mm], styles, header=False))
    if item.legal_basis:
        story += [p(_("Legal basis"), styles["h3"]), p(item.legal_basis, styles["body"])]
    if item.conditions:
        story += [p(_("Conditions"), styles["h3"]), p(item.conditions, styles["body"])]
    materials = material_rows(item)
    if materials:
        story.append(p(_("Materials to bring"), styles["h3"]))
        header = [_("No."), _("Material"), _("Original or copy"), _("Copies"), _("Notes")]
        story.append(_table([header] + materials, [10 * mm, width - 80 * mm, 24 * mm, 12 * mm, 34 * mm], styles))
    steps = list(item.steps.all())
    if steps:
        story.append(p(_("Steps"), styles["h3"]))
        for step in steps:
            text = f"{step.number}. {step.name}" + (f"：{step.description}" if step.description else "")
            story.append(p(text, styles["body"]))
    story += [p(_("Fees"), styles["h3"])] + [p(line, styles["body"]) for line in fee_lines(item)]
    faqs = list(item.faqs.all())
    if faqs:
        story.append(p(_("Frequently asked questions"), styles["h3"]))
        for faq in faqs:
            story.append(p(_("Q: %(q)s") % {"q": faq.question}, styles["body"]))
            story.append(p(_("A: %(a)s") % {"a": faq.answer}, styles["small"]))
    story.append(Spacer(1, 8 * mm))
    return story


def _leaders_story(content, styles, width):
    story = [Heading(_("Leaders' division of labour"), styles["h1"], 0, "leaders")]
    rows = [[_("Name"), _("Post"), _("Work in charge"), _("Units in charge"), _("Office phone")]]
    for duty in content.leaders:
        rows.append(
            [
                duty.name,
                duty.post if duty.level == "county" else f"{duty.unit.name}{duty.post}",
                duty.duties,
                duty.units_in_charge,
                duty.office_phone,
            ]
        )
    story.append(_table(rows, [16 * mm, 30 * mm, width - 122 * mm, 48 * mm, 28 * mm], styles))
    story.append(PageBreak())
    return story


def _loans_story(content, styles, width):
    story = [Heading(_("Credit and loan services"), styles["h1"], 0, "loans")]
    for product in content.loans:
        block = [Heading(f"{product.institution.name}：{product.name}", styles["h2"], 1, f"loan-{product.pk}")]
        if product.description:
            block.append(p(product.description, styles["body"]))
        facts = [
            [_("Amount"), product.amount or "—"],
            [_("Term"), product.term or "—"],
            [_("Interest rate or fee"), product.rate or "—"],
            [_("Eligibility"), product.eligibility or "—"],
            [_("Materials"), "\n".join(product.material_lines()) or "—"],
            [_("Steps"), "\n".join(f"{i}. {s}" for i, s in enumerate(product.step_lines(), 1)) or "—"],
            [_("Contact"), f"{product.contact_name} {product.contact_phone}".strip() or "—"],
        ]
        block.append(_table(facts, [32 * mm, width - 32 * mm], styles, header=False))
        block.append(Spacer(1, 6 * mm))
        story.append(KeepTogether(block))
    return story


def _headings(flowables):
    for flowable in flowables:
        if isinstance(flowable, Heading):
            yield flowable
        elif isinstance(flowable, KeepTogether):
            yield from _headings(flowable._content)


def build_pdf(content):
    """PDF bytes of a GuideContent (whole edition, one department's chapter or one item)."""
    with translation.override("zh-hans"):
        return _build(content)


def _build(content):
    register_font()
    styles = _styles()
    edition = content.edition
    header = _("Qingxin County Enterprise Service Guide (%(edition)s)") % {"edition": edition.title}
    buffer = io.BytesIO()
    with_cover = content.scope != "item"
    title = header
    if content.scope == "department" and content.chapters:
        title = f"{header}—{content.chapters[0].department.name}"
    elif content.scope == "item" and content.chapters:
        title = f"{content.chapters[0].items[0].name}（{header}）"
    doc = GuideDocTemplate(buffer, title=title, header=header, with_cover=with_cover)
    width = doc.width
    story = []
    if with_cover:
        story += [
            Spacer(1, 60 * mm),
            p(_("Qingxin County"), styles["cover_sub"]),
            p(_("Enterprise Service Guide"), styles["cover_title"]),
            Spacer(1, 8 * mm),
            p(edition.title, styles["cover_sub"]),
        ]
        if content.scope == "department" and content.chapters:
            story.append(p(content.chapters[0].department.name, styles["cover_sub"]))
        story += [
            Spacer(1, 70 * mm),
            p(edition.compiled_by, styles["cover_sub"]),
            p(timezone.localdate().strftime("%Y-%m"), styles["cover_sub"]),
            NextPageTemplate("body"),
            PageBreak(),
        ]
        toc = TableOfContents(
            levelStyles=[styles["toc0"], styles["toc1"]],
            dotsMinLevel=0,
            tableStyle=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        story += [p(_("Contents"), styles["toc_title"]), toc, PageBreak()]
        if content.scope == "full" and edition.foreword:
            story += [
                Heading(_("Foreword"), styles["h1"], 0, "foreword"),
                p(edition.foreword, styles["body"]),
                PageBreak(),
            ]
        if content.leaders:
            story += _leaders_story(content, styles, width)
    for index, chapter in enumerate(content.chapters, start=1):
        if content.scope != "item":
            name = (
                f"{chapter_number(index)}、{chapter.department.name}"
                if content.scope == "full"
                else chapter.department.name
            )
            story.append(Heading(name, styles["h1"], 0, f"dept-{chapter.department.pk}"))
            if chapter.department.service_phone:
                story.append(
                    p(
                        _("Enterprise service phone: %(phone)s") % {"phone": chapter.department.service_phone},
                        styles["small"],
                    )
                )
        for item in chapter.items:
            story += _item_story(item, styles, width, level=1 if content.scope != "item" else 0)
        if content.scope != "item":
            story.append(PageBreak())
    if content.loans:
        story += _loans_story(content, styles, width)
    if not content.chapters and not content.leaders and not content.loans:
        story.append(p(_("This edition has no approved items yet."), styles["body"]))
    if with_cover:
        # Seed the contents with every entry (page numbers not yet known) so the first pass
        # already lays the contents out at full length: two passes instead of three.
        toc._entries = [(f.level, f.plain, 999, f.key) for f in _headings(story) if f.toc]
        doc.multiBuild(story)
    else:
        doc.build(story)
    return buffer.getvalue()
