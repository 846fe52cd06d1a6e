"""The results as an XLSX workbook. Built only from selectors.campaign_results, so that it holds
exactly what the results page shows the same user: no enterprise names, only units with
enough respondents, and a department's own unit only."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.core.spreadsheets import Sheet, xlsx_bytes


def _sheet(sheets, title, header, rows, first=False):
    sheets.append(Sheet(title=str(title), header=header, rows=rows, widths=[16] * len(header)))


def results_workbook(results, choice_summary=None):
    survey = results.survey
    workbook = []
    _sheet(
        workbook,
        _("Summary"),
        [_("Item"), _("Value")],
        [
            (_("Campaign"), survey.title),
            (_("Period"), f"{survey.opens_on:%Y-%m-%d} – {survey.closes_on:%Y-%m-%d}"),
            (_("Enterprises asked"), results.targeted),
            (_("Responses submitted"), results.submitted),
            (_("Response rate (%)"), results.response_rate),
            (_("Compared with"), results.previous.title if results.previous else ""),
            (_("Minimum ratings for a department's results"), results.threshold),
        ],
        first=True,
    )
    header = [
        _("Rank"),
        _("Department"),
        _("Score"),
        *results.dimension_names,
        _("Rated by"),
        _("“No dealings”"),
        _("Previous score"),
        pgettext("score change", "Change"),
        _("Rectification tasks"),
        _("Rectification done"),
    ]
    rows = []
    for result in results.units:
        if result.visible:
            rows.append(
                [
                    result.rank,
                    result.unit.name,
                    result.score,
                    *result.score_row,
                    result.respondents,
                    result.no_dealings,
                    result.previous_score,
                    result.change,
                    len(result.findings),
                    result.findings_done,
                ]
            )
        else:
            rows.append(
                [
                    None,
                    result.unit.name,
                    _("too few ratings"),
                    *[None] * len(results.dimension_names),
                    result.respondents,
                    None,
                    None,
                    None,
                    len(result.findings),
                    result.findings_done,
                ]
            )
    _sheet(workbook, _("Scores"), header, rows)
    distribution = []
    for result in results.units:
        if result.visible:
            for dim in result.dimensions.values():
                for label, n, percent, _x, _i in dim.segments:
                    distribution.append([result.unit.name, dim.name, label, n, percent])
    _sheet(
        workbook,
        _("Distribution"),
        [_("Department"), _("Dimension"), _("Rating"), _("Count"), _("Percent")],
        distribution,
    )
    comments = [[result.unit.name, text] for result in results.units if result.visible for text in result.comments]
    _sheet(workbook, _("Comments (anonymised)"), [_("Department"), _("Comment")], comments)
    findings = [
        [result.unit.name, f.title, f.matter_status or (_("Sent") if f.sent_at else _("Not sent yet"))]
        for result in results.units
        for f in result.findings
    ]
    _sheet(workbook, _("Rectification"), [_("Department"), _("Task"), _("Progress")], findings)
    if choice_summary:
        _sheet(
            workbook,
            _("Choice questions"),
            [_("Question"), _("Option"), _("Answers")],
            [[q.text, c.label, c.n] for q, choices in choice_summary.items() for c in choices],
        )
    return xlsx_bytes(*workbook)
