"""Server-drawn bar charts (SVG geometry computed here; the template draws rectangles, and a
table beside each chart gives the same figures, so the chart reads without sight or script)."""

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 480, 220, 20, 40, 40


def trend_chart(trend):
    """Bars for the visited share of each period (0–100 %)."""
    count = max(len(trend), 1)
    slot = (WIDTH - LEFT) / count
    plot = HEIGHT - TOP - BOTTOM
    bars = []
    for i, point in enumerate(trend):
        rate = point["rate"] or 0
        height = round(plot * rate / 100, 1)
        x = round(LEFT + i * slot + slot * 0.2, 1)
        bars.append(
            {
                "x": x,
                "width": round(slot * 0.6, 1),
                "y": round(TOP + plot - height, 1),
                "height": height,
                "label_x": round(x + slot * 0.3, 1),
                "value_y": round(TOP + plot - height - 4, 1),
                "rate": point["rate"],
                "label": point["period"].label,
            }
        )
    ticks = [{"value": v, "y": round(TOP + plot - plot * v / 100, 1)} for v in (0, 50, 100)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "ticks": ticks,
        "axis_y": TOP + plot,
        "label_y": HEIGHT - 14,
        "left": LEFT,
    }
