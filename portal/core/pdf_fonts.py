"""The CJK font every PDF of the portal embeds (reportlab): the guide, the evaluation's letters,
the officials' account sheets; and the QR code those printed pages carry.

The font is WenQuanYi Micro Hei, shipped by the `paperang-p2-fonts-cjk` package from PyPI, so a
fresh machine has it after `pip install -r requirements.txt` (no system fonts needed).
settings.GUIDE_PDF_FONT may point at another TrueType (glyf-outline) font.
"""

import os

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "GuideCJK"


def font_path():
    configured = getattr(settings, "GUIDE_PDF_FONT", None)
    if configured:
        return configured
    import paperang_p2_fonts_cjk

    return os.path.join(os.path.dirname(paperang_p2_fonts_cjk.__file__), "fonts", "wqy-microhei.ttc")


def register_font():
    """Register the font with reportlab once per process; returns its name."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = font_path()
        kwargs = {"subfontIndex": 0} if path.lower().endswith(".ttc") else {}
        pdfmetrics.registerFont(TTFont(FONT, path, **kwargs))
    return FONT


def draw_qr(pdf, data, x, y, size):
    """A QR code of `data` on a reportlab canvas, module by module (vector: sharp at any printer
    resolution), with its four-module quiet zone, in a `size` square whose lower left is (x, y)."""
    import segno

    matrix = segno.make(data, error="m", micro=False).matrix
    module = size / (len(matrix) + 8)
    pdf.setFillColorRGB(0, 0, 0)
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                pdf.rect(x + (col + 4) * module, y + size - (row + 5) * module, module, module, stroke=0, fill=1)
