"""开通通知单: one A4 page per new official, for the unit to hand over when there is no e-mail.

The page names the official, their user name and the one-time link (large, and as a QR code
for the phone); it holds no password.
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from portal.core.access import otp_required_for
from portal.core.onboarding import link_days, welcome_url
from portal.core.pdf_fonts import draw_qr, register_font

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 22 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LINK_FONT = "Courier-Bold"
LINK_SIZE = 14


def welcome_sheets_pdf(officials) -> bytes:
    """One page per official (with `unit` and `user` loaded), in the order given."""
    font = register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Account opening sheets"))
    pdf.setAuthor(settings.SITE_SPONSOR)
    body = ParagraphStyle("body", fontName=font, wordWrap="CJK", fontSize=13, leading=22)
    until = timezone.localdate() + timezone.timedelta(days=link_days())
    for official in officials:
        _sheet(pdf, font, body, official, welcome_url(official.user), until)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _para(pdf, style, text, y):
    para = Paragraph(escape(text), style)
    _w, height = para.wrap(TEXT_WIDTH, PAGE_HEIGHT)
    para.drawOn(pdf, MARGIN, y - height)
    return y - height


def _sheet(pdf, font, body, official, url, until):
    y = PAGE_HEIGHT - MARGIN
    pdf.setFont(font, 12)
    pdf.drawString(MARGIN, y - 12, official.unit.name)
    pdf.drawRightString(PAGE_WIDTH - MARGIN, y - 12, settings.COUNTY_NAME + settings.SITE_NAME)
    y -= 52
    pdf.setFont(font, 22)
    pdf.drawCentredString(PAGE_WIDTH / 2, y, _("Your account in the officials' workspace"))
    y -= 30
    pdf.setFont(font, 15)
    for label, value in (
        (_("Name"), official.name),
        (_("Unit"), official.unit.name),
        (_("Role"), official.get_role_display()),
        (_("User name"), official.user.username),
    ):
        y -= 26
        pdf.drawString(MARGIN, y, f"{label}：{value}")
    y -= 14
    steps = _(
        "Scan the QR code with your phone, or type the address below into a browser, before %(until)s. "
        "Choose your own password (at least 12 characters)%(otp)s. The link works once; no password is "
        "written on this sheet."
    ) % {
        "until": until.isoformat(),
        "otp": _(", then scan the code the page shows with an authenticator app")
        if otp_required_for(official.user)
        else "",
    }
    y = _para(pdf, body, steps, y)
    size = 60 * mm
    y -= 12
    draw_qr(pdf, url, PAGE_WIDTH / 2 - size / 2, y - size, size)
    y -= size + 16
    pdf.setFont(LINK_FONT, LINK_SIZE)
    per_line = int(TEXT_WIDTH // stringWidth("M", LINK_FONT, LINK_SIZE))
    for start in range(0, len(url), per_line):
        y -= LINK_SIZE + 6
        pdf.drawString(MARGIN, y, url[start : start + per_line])
    pdf.setFillColor(colors.HexColor("#444444"))
    _para(
        pdf,
        ParagraphStyle("small", parent=body, fontSize=10.5, leading=16),
        _(
            "Keep this sheet to yourself. Lost it, or the link has expired? The county government office prints a "
            "new one."
        )
        + f"  {settings.SITE_CONTACT_PHONE}",
        MARGIN + 30,
    )
    pdf.setFillColor(colors.black)
