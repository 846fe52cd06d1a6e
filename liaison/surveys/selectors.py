"""Reads for the evaluation: who may see which campaign's results, and the results themselves.

Anonymity (every page and export goes through here): department officials only ever get
aggregates of their own unit, and its comments without any enterprise's name, in an order
that does not follow the order of answering; a unit's results exist only when at least
SURVEY_MIN_RESPONSES enterprises rated it. Only the county office sees who said what.
"""

import hashlib
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from portal.core.access import unit_of
from portal.models import Unit

from . import rules
from .models import SCALE_LEVELS, Finding, Question, Rating, RatingScale, Survey, SurveyResponse, UnitAnswer

POINTS = {scale: {value: points for value, _label, points in levels} for scale, levels in SCALE_LEVELS.items()}


def min_responses():
    return getattr(settings, "SURVEY_MIN_RESPONSES", 5)


# --- access ---------------------------------------------------------------------------------


def runs_campaigns(user):
    """The county office (and superusers) run campaigns, see who answered and make findings
    (the rule surveys.run_campaigns, liaison/surveys/rules.py)."""
    return user is not None and user.has_perm("surveys.run_campaigns")


def sees_everything(user):
    """Every department's aggregates: the county office and the county leaders (the rule
    surveys.view_all_results)."""
    return user is not None and user.has_perm("surveys.view_all_results")


def results_unit(user):
    """The department whose results a department official may see, or None."""
    unit = unit_of(user)
    if unit is not None and unit.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY):
        return unit
    return None


def surveys_with_results_for(user):
    """Campaigns whose results page the user may open: all published for the county office; for
    a department, closed campaigns that rate it. (While a campaign is open a department could
    watch its figures move after each answer and guess who answered; so it waits for the close.)"""
    if runs_campaigns(user):
        return Survey.objects.published()
    if sees_everything(user):
        return Survey.objects.closed()
    unit = results_unit(user)
    if unit is None:
        return Survey.objects.none()
    return Survey.objects.closed().filter(questions__kind=Question.Kind.RATING_GRID, questions__units=unit).distinct()


letter_towns = rules.letter_towns


def surveys_for_letters(user):
    """Published campaigns the user may print letters for: all for the county office; for a
    town's officials, those that ask enterprises of their town."""
    if runs_campaigns(user):
        return Survey.objects.published()
    towns = list(letter_towns(user))
    if not towns:
        return Survey.objects.none()
    return Survey.objects.published().filter(Q(target_towns__isnull=True) | Q(target_towns__in=towns)).distinct()


def letter_enterprises(survey, town, *, include_emailed=False):
    """The enterprises of `town` that `survey` asks and that have not submitted, in name order:
    without an e-mail address only (they cannot be mailed), or all with `include_emailed`."""
    submitted = SurveyResponse.objects.submitted().filter(survey=survey).values("enterprise_id")
    enterprises = survey.targeted_enterprises().filter(town=town).exclude(pk__in=submitted)
    if not include_emailed:
        enterprises = enterprises.filter(email="")
    return enterprises.order_by("name", "pk")


def county_office_phone():
    """The number printed on letters for enterprises to call: the county office's enterprise
    service phone (its office phone if that is empty)."""
    unit = (
        Unit.objects.filter(kind__in=[Unit.Kind.COUNTY_OFFICE, Unit.Kind.COUNTY_GOVERNMENT])
        .order_by("-kind", "sort_order")
        .first()
    )
    if unit is None:
        return ""
    return unit.service_phone or unit.phone


def surveys_for_enterprise(enterprise):
    """Open campaigns that ask this enterprise, for 我的企业."""
    return Survey.objects.open_now().targeting(enterprise).order_by("closes_on")


# --- scores ---------------------------------------------------------------------------------


@dataclass
class DimensionResult:
    name: str
    count: int = 0
    total_points: int = 0
    distribution: dict = field(default_factory=dict)  # level label → count, best first

    @property
    def score(self):
        return round(self.total_points / self.count, 1) if self.count else None

    @property
    def segments(self):
        """The distribution as a stacked bar: (label, count, percent, x, level index)."""
        parts, x = [], 0.0
        for index, (label, n) in enumerate(self.distribution.items()):
            percent = round(100 * n / self.count, 1) if self.count else 0
            parts.append((label, n, percent, round(x, 2), index))
            x += percent
        return parts


@dataclass
class UnitResult:
    unit: Unit
    respondents: int = 0
    no_dealings: int = 0
    dimensions: dict = field(default_factory=dict)  # name → DimensionResult
    rank: int | None = None
    previous_score: float | None = None
    comments: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    visible: bool = False  # enough respondents to show anything
    score_row: list = field(default_factory=list)  # dimension scores in the campaign's order

    @property
    def score(self):
        """The unit's overall score: the mean of its dimension scores (each dimension weighs the
        same, however many enterprises rated it)."""
        scores = [d.score for d in self.dimensions.values() if d.score is not None]
        # fsum: the same total whatever the order of the dimensions (a plain float sum is not,
        # and the ranking, made before the dimensions are put in the questionnaire's order,
        # then disagreed with the score shown: 86.85 ranked as 86.8, shown as 86.9).
        return round(math.fsum(scores) / len(scores), 1) if scores else None

    @property
    def change(self):
        if self.score is None or self.previous_score is None:
            return None
        return round(self.score - self.previous_score, 1)

    @property
    def findings_done(self):
        return sum(1 for f in self.findings if f.matter_done)

    @property
    def findings_sent(self):
        return sum(1 for f in self.findings if f.sent_at)


def _scale_labels():
    return {scale: [(value, str(label)) for value, label, _p in levels] for scale, levels in SCALE_LEVELS.items()}


def unit_scores(survey, unit_ids=None):
    """{unit_id: UnitResult} with per-dimension scores and distributions of the campaign's
    submitted responses (dimensions are matched by name across the campaign's grids).
    Three queries whatever the number of units and responses."""
    ratings = Rating.objects.filter(response__survey=survey, response__status=SurveyResponse.Status.SUBMITTED)
    unit_answers = UnitAnswer.objects.filter(response__survey=survey, response__status=SurveyResponse.Status.SUBMITTED)
    if unit_ids is not None:
        ratings = ratings.filter(unit_id__in=unit_ids)
        unit_answers = unit_answers.filter(unit_id__in=unit_ids)
    cells = ratings.values("unit_id", "dimension__name", "question__scale", "value").annotate(n=Count("id")).order_by()
    respondents = dict(
        ratings.values("unit_id").annotate(n=Count("response_id", distinct=True)).values_list("unit_id", "n").order_by()
    )
    no_dealings = dict(
        unit_answers.filter(no_dealings=True)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
        .order_by()
    )
    labels = _scale_labels()
    results = {}
    ids = set(respondents) | set(no_dealings)
    for row in cells:
        ids.add(row["unit_id"])
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    for unit_id in ids:
        results[unit_id] = UnitResult(
            unit=units[unit_id], respondents=respondents.get(unit_id, 0), no_dealings=no_dealings.get(unit_id, 0)
        )
    for row in sorted(cells, key=lambda r: (r["dimension__name"], -r["value"])):
        result = results[row["unit_id"]]
        dim = result.dimensions.get(row["dimension__name"])
        scale = RatingScale(row["question__scale"])
        if dim is None:
            dim = result.dimensions[row["dimension__name"]] = DimensionResult(
                name=row["dimension__name"], distribution={label: 0 for _v, label in labels[scale]}
            )
        label = dict(labels[scale])[row["value"]]
        dim.distribution[label] = dim.distribution.get(label, 0) + row["n"]
        dim.count += row["n"]
        dim.total_points += POINTS[scale][row["value"]] * row["n"]
    threshold = min_responses()
    for result in results.values():
        result.visible = result.respondents >= threshold
    return results


def rank(results):
    """Competition ranking (1, 2, 2, 4) of the units that have enough respondents."""
    ranked = sorted((r for r in results if r.visible and r.score is not None), key=lambda r: -r.score)
    previous_score, previous_rank = None, 0
    for position, result in enumerate(ranked, start=1):
        if result.score != previous_score:
            previous_rank, previous_score = position, result.score
        result.rank = previous_rank
    return ranked


def previous_survey(survey):
    """The campaign the results are compared with: the one named on the campaign, else the latest
    campaign that closed before this one opened."""
    if survey.previous_id:
        return survey.previous
    return (
        Survey.objects.published()
        .filter(closes_on__lt=survey.opens_on)
        .exclude(pk=survey.pk)
        .order_by("-closes_on")
        .first()
    )


_DIGITS = re.compile(r"\d{7,}")


def anonymise(text, names):
    """A comment as a department may read it: the enterprise's own name, credit code and any long
    number (telephone) replaced."""
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, "某企业")
    return _DIGITS.sub("***", text)


def _stable_order(text):
    # Comments are listed in an order derived from their text only, never from when or by
    # whom they were written, so that the order cannot be matched with anything else.
    return hashlib.sha256(text.encode()).hexdigest()


def unit_comments(survey, units):
    """{unit_id: [comment]}: the comments on the given units, anonymised and in an order that
    follows the text only (one query for any number of units)."""
    rows = (
        UnitAnswer.objects.filter(
            response__survey=survey, response__status=SurveyResponse.Status.SUBMITTED, unit__in=units
        )
        .exclude(comment="")
        .values_list(
            "unit_id",
            "comment",
            "response__enterprise__name",
            "response__enterprise__uscc",
            "response__enterprise__contact_name",
        )
    )
    comments = {}
    for unit_id, comment, name, uscc, contact in rows:
        comments.setdefault(unit_id, []).append(anonymise(comment, [name, short_name(name), uscc, contact]))
    return {unit_id: sorted(texts, key=_stable_order) for unit_id, texts in comments.items()}


def short_name(name):
    """清远市华盛陶瓷制造有限公司 → 华盛陶瓷制造 (how people usually write an enterprise's name)."""
    for prefix in ("清远市", "清新县", "广东省", "广东"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "公司"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def findings_by_unit(survey):
    """{unit_id: [Finding with .matter_status / .matter_done]} with each finding's matter read
    from liaison (one query for the findings, one for their matters)."""
    findings = list(Finding.objects.filter(survey=survey).select_related("unit"))
    matters = matters_for_findings(findings)
    by_unit = {}
    for finding in findings:
        matter = matters.get(finding.pk)
        finding.matter = matter
        finding.matter_status = matter.get_state_display() if matter is not None else None
        finding.matter_done = bool(matter is not None and matter.is_finished)  # replied to or closed
        by_unit.setdefault(finding.unit_id, []).append(finding)
    return by_unit


def matters_for_findings(findings):
    """{finding_id: Matter} for the findings sent to liaison (read-only, through liaison's
    selectors)."""
    from liaison.selectors import matters_for_sources

    return matters_for_sources(findings)


@dataclass
class CampaignResults:
    survey: Survey
    targeted: int
    submitted: int
    drafts: int
    units: list  # UnitResult, in ranking order then unit order
    dimension_names: list
    previous: Survey | None
    threshold: int
    ranked_count: int = 0

    @property
    def response_rate(self):
        return round(100 * self.submitted / self.targeted, 1) if self.targeted else None


def campaign_results(survey, *, unit=None, with_comments=False):
    """Everything the results page, report and export show. With `unit`, only that unit (what a
    department may see). A fixed number of queries, however many units and responses."""
    counts = SurveyResponse.objects.filter(survey=survey).aggregate(
        submitted=Count("id", filter=Q(status=SurveyResponse.Status.SUBMITTED)),
        drafts=Count("id", filter=Q(status=SurveyResponse.Status.DRAFT)),
    )
    grid_units = list(
        Unit.objects.filter(
            pk__in=Question.objects.filter(survey=survey, kind=Question.Kind.RATING_GRID).values("units")
        ).order_by("sort_order", "name")
    )
    dimension_names = list(
        dict.fromkeys(
            survey.questions.filter(kind=Question.Kind.RATING_GRID)
            .values_list("dimensions__name", flat=True)
            .exclude(dimensions__name=None)
            .order_by("order", "dimensions__order")
        )
    )
    scores = unit_scores(survey)
    results = []
    for grid_unit in grid_units:
        result = scores.get(grid_unit.pk) or UnitResult(unit=grid_unit)
        result.unit = grid_unit
        results.append(result)
    ranked = rank(results)
    previous = previous_survey(survey)
    if previous is not None:
        before = unit_scores(previous)
        for result in results:
            old = before.get(result.unit.pk)
            if old is not None and old.visible:
                result.previous_score = old.score
    findings = findings_by_unit(survey)
    for result in results:
        result.findings = findings.get(result.unit.pk, [])
        # The questionnaire's order of dimensions, not the alphabet's.
        order = {name: i for i, name in enumerate(dimension_names)}
        result.dimensions = dict(sorted(result.dimensions.items(), key=lambda item: order.get(item[0], len(order))))
        result.score_row = [
            result.dimensions[name].score if name in result.dimensions else None for name in dimension_names
        ]
    if unit is not None:
        results = [r for r in results if r.unit.pk == unit.pk]
        for result in results:
            if not result.visible:
                # Below the threshold a department learns nothing but the count.
                result.dimensions, result.no_dealings, result.rank, result.previous_score = {}, 0, None, None
    else:
        unranked = [r for r in results if r.rank is None]
        results = ranked + unranked
    if with_comments:
        visible = [r for r in results if r.visible]
        comments = unit_comments(survey, [r.unit for r in visible]) if visible else {}
        for result in visible:
            result.comments = comments.get(result.unit.pk, [])
    return CampaignResults(
        survey=survey,
        targeted=survey.targeted_enterprises().count(),
        submitted=counts["submitted"],
        drafts=counts["drafts"],
        units=results,
        dimension_names=dimension_names,
        previous=previous,
        threshold=min_responses(),
        ranked_count=len(ranked),
    )


def choice_summary(survey):
    """Counts per option of the single and multiple choice questions (county office only)."""
    from .models import Choice

    rows = (
        Choice.objects.filter(question__survey=survey)
        .annotate(n=Count("answers", filter=Q(answers__response__status=SurveyResponse.Status.SUBMITTED)))
        .select_related("question")
        .order_by("question__order", "question_id", "order", "id")
    )
    summary = {}
    for choice in rows:
        summary.setdefault(choice.question, []).append(choice)
    return summary


def text_answers(survey):
    """Free-text answers and per-department comments with the enterprise's name, for the county
    office's rectification work only."""
    from .models import TextAnswer

    texts = (
        TextAnswer.objects.filter(response__survey=survey, response__status=SurveyResponse.Status.SUBMITTED)
        .exclude(text="")
        .select_related("question", "response__enterprise")
        .order_by("question__order", "id")
    )
    comments = (
        UnitAnswer.objects.filter(response__survey=survey, response__status=SurveyResponse.Status.SUBMITTED)
        .exclude(comment="")
        .select_related("unit", "response__enterprise")
        .order_by("unit__sort_order", "id")
    )
    return texts, comments


def responses_for_enterprise_file(enterprise, user):
    """Campaigns this enterprise answered, for the officials' 一企一档 page. Only the county
    office, which already sees who answered, gets them; anyone else gets none, so a department
    never learns from this page that an enterprise took part (the anonymity rule)."""
    if not runs_campaigns(user):
        return SurveyResponse.objects.none()
    return (
        SurveyResponse.objects.submitted()
        .filter(enterprise=enterprise)
        .select_related("survey")
        .order_by("-submitted_at")
    )


# --- the public site (公布) -------------------------------------------------------------------


def public_surveys():
    """Closed campaigns whose results the county office has published."""
    return Survey.objects.results_public().order_by("-closes_on", "-id")


def _competition_ranks(scores):
    """{key: rank} for {key: score} (1, 2, 2, 4), highest score first; None scores get no rank."""
    ranks, previous_score, previous_rank = {}, None, 0
    ordered = sorted(((key, score) for key, score in scores.items() if score is not None), key=lambda item: -item[1])
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous_score:
            previous_rank, previous_score = position, score
        ranks[key] = previous_rank
    return ranks


def public_campaign_results(survey):
    """What the public results page shows: the campaign_results aggregates with everything that is
    not for the public taken out. A unit rated by fewer than SURVEY_MIN_RESPONSES enterprises keeps
    only its count; no comments, findings, enterprises or earlier campaigns' scores (which may not
    be published) remain. Each visible unit also gets `dimension_cells`: (score, rank among the
    visible units on that dimension) in the questionnaire's order of dimensions."""
    data = campaign_results(survey)
    data.previous = None
    data.drafts = 0
    for result in data.units:
        result.comments, result.findings, result.previous_score = [], [], None
        if not result.visible:
            result.dimensions, result.score_row, result.no_dealings, result.rank = {}, [], 0, None
    visible = [r for r in data.units if r.visible]
    ranks = [_competition_ranks({r.unit.pk: r.score_row[i] for r in visible}) for i in range(len(data.dimension_names))]
    for result in data.units:
        result.dimension_cells = (
            [(score, ranks[i].get(result.unit.pk)) for i, score in enumerate(result.score_row)]
            if result.visible
            else []
        )
    return data
