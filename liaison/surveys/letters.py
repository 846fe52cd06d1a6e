"""纸质邀请函: printable invitation letters (reportlab, A4, one page per enterprise) for the
enterprises the county cannot reach by e-mail. Town cadres hand them over; many readers are not
young, so the personal link is printed large and as a QR code, with a phone number to call."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from portal.core.pdf_fonts import draw_qr, register_font

from .services import personal_url

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 22 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LINK_FONT = "Courier-Bold"  # monospaced: every character of the link stands apart when typed
LINK_SIZE = 16
RED = colors.HexColor("#b01c1c")


def letters_pdf(survey, invitations, *, phone: str) -> bytes:
    """The letters for `invitations` (of `survey`, with their enterprises loaded), one page each."""
    font = register_font()
    base = settings.SITE_BASE_URL.rstrip("/")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=font)  # no stray Helvetica
    pdf.setTitle(_("Invitation letters: %(title)s") % {"title": survey.title})
    pdf.setAuthor(settings.SITE_SPONSOR)
    styles = _styles(font)
    for invitation in invitations:
        _letter(
            pdf, styles, font, survey, invitation.enterprise, base + personal_url(survey, invitation.enterprise), phone
        )
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _styles(font):
    base = dict(fontName=font, wordWrap="CJK", fontSize=13, leading=23)
    return {
        "body": ParagraphStyle("body", **base, firstLineIndent=26),
        "plain": ParagraphStyle("plain", **base),
        "salutation": ParagraphStyle("salutation", **{**base, "fontSize": 15, "leading": 24}),
        "small": ParagraphStyle(
            "small",
            **{
                **base,
                "fontSize": 10.5,
                "leading": 16,
                "alignment": TA_CENTER,
                "textColor": colors.HexColor("#444444"),
            },
        ),
        "phone": ParagraphStyle("phone", **{**base, "fontSize": 15, "leading": 24, "alignment": TA_CENTER}),
    }


def _paragraph(pdf, style, text, y):
    """Draw `text` (already escaped markup) at the top `y`; returns the y below it."""
    para = Paragraph(text, style)
    _w, height = para.wrap(TEXT_WIDTH, PAGE_HEIGHT)
    para.drawOn(pdf, MARGIN, y - height)
    return y - height


def _letter(pdf, styles, font, survey, enterprise, url, phone):
    # Letterhead (红头): the sponsor in red over a red rule.
    y = PAGE_HEIGHT - MARGIN
    pdf.setFillColor(RED)
    pdf.setFont(font, 24)
    pdf.drawCentredString(PAGE_WIDTH / 2, y - 24, settings.SITE_SPONSOR)
    y -= 36
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(1.6)
    pdf.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    pdf.setFillColor(colors.black)
    y -= 34
    pdf.setFont(font, 20)
    pdf.drawCentredString(PAGE_WIDTH / 2, y, _("Invitation to the government work evaluation"))
    y -= 22

    opens = formats.date_format(survey.opens_on, "DATE_FORMAT")
    closes = formats.date_format(survey.closes_on, "DATE_FORMAT")
    y = _paragraph(pdf, styles["salutation"], escape(_("To %(name)s:") % {"name": enterprise.name}), y - 8)
    body = _(
        "The %(county)s government invites your enterprise to take part in the government work evaluation: "
        "please rate the county departments you have dealt with on their service, efficiency, "
        "policy implementation and integrity, and tell us your problems and suggestions. The departments never "
        "see which enterprise gave which answers."
    ) % {"county": settings.COUNTY_NAME}
    y = _paragraph(pdf, styles["body"], escape(body), y - 4)
    y = _paragraph(pdf, styles["plain"], escape(_("Campaign: %(title)s") % {"title": survey.title}), y - 6)
    y = _paragraph(
        pdf,
        styles["plain"],
        escape(_("Answering period: %(opens)s to %(closes)s") % {"opens": opens, "closes": closes}),
        y,
    )
    how = _(
        "Scan the QR code below with your phone, or type the address below into a browser. No login is "
        "needed, and you can save your answers and finish later, before %(closes)s."
    ) % {"closes": closes}
    y = _paragraph(pdf, styles["body"], escape(how), y - 6)

    # The QR code, drawn module by module (vector: sharp at any printer resolution).
    size = 56 * mm
    y -= 10
    draw_qr(pdf, url, PAGE_WIDTH / 2 - size / 2, y - size, size)
    y -= size + 14

    # The link in full, large: split over as few lines as it needs, the token on lines of its own.
    y = _paragraph(pdf, styles["plain"], escape(_("The address (type it without spaces or line breaks):")), y)
    pdf.setFont(LINK_FONT, LINK_SIZE)
    for line in link_lines(url):
        y -= LINK_SIZE + 6
        pdf.drawString(MARGIN, y, line)
    y -= 22

    if phone:
        y = _paragraph(
            pdf,
            styles["phone"],
            escape(
                _("Questions? Please call %(phone)s (%(sponsor)s).")
                % {"phone": phone, "sponsor": settings.SITE_SPONSOR}
            ),
            y,
        )
    _paragraph(
        pdf,
        styles["small"],
        escape(_("This link answers for your enterprise only; please do not pass it on.")),
        MARGIN + 34,
    )
    pdf.setFont(font, 12)
    pdf.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, settings.SITE_SPONSOR)


def link_lines(url):
    """`url` cut into lines that fit the page at LINK_SIZE: the site and path first, then the token."""
    per_line = int(TEXT_WIDTH // stringWidth("M", LINK_FONT, LINK_SIZE))
    head, sep, token = url.partition("/r/")
    lines = [head + sep] if len(head + sep) <= per_line else []
    rest = token if lines else url
    lines += [rest[i : i + per_line] for i in range(0, len(rest), per_line)]
    return lines
