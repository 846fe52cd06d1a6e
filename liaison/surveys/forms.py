"""The answering form, built from a campaign's questions, and the county office's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.site.forms import SensibleDateField

from .models import Finding, Question, SurveyResponse


def grid_field(question, unit, dimension=None, part=None):
    if dimension is not None:
        return f"q{question.pk}_u{unit.pk}_d{dimension.pk}"
    return f"q{question.pk}_u{unit.pk}_{part}"


class AnswerForm(forms.Form):
    """All of a campaign's questions. Saving a draft checks only that what was typed is valid;
    submitting also checks that every required question is answered."""

    respondent_name = forms.CharField(label=_("Filled in by (optional)"), max_length=50, required=False)
    allow_named_follow_up = forms.BooleanField(
        label=_(
            "The county office may pass my problems on to the department with my enterprise's name, "
            "so that it can contact me"
        ),
        required=False,
    )

    def __init__(self, *args, questions, submit=False, response=None, **kwargs):
        self.questions = questions
        self.submit = submit
        if response is not None and "data" not in kwargs and not args:
            kwargs["initial"] = initial_from(response, questions)
        super().__init__(*args, **kwargs)
        for question in questions:
            if question.is_grid:
                choices = [(str(v), label) for v, label, _p in question.levels]
                for unit in question.units_list:
                    if question.allow_no_dealings:
                        self.fields[grid_field(question, unit, part="nd")] = forms.BooleanField(
                            label=_("I have had no dealings with this department"), required=False
                        )
                    for dimension in question.dimensions_list:
                        self.fields[grid_field(question, unit, dimension)] = forms.TypedChoiceField(
                            label=dimension.name, choices=choices, coerce=int, required=False, widget=forms.RadioSelect
                        )
                    if question.ask_comment:
                        self.fields[grid_field(question, unit, part="c")] = forms.CharField(
                            label=_("Problems and suggestions for %(unit)s (optional)") % {"unit": unit.name},
                            required=False,
                            max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                        )
            elif question.kind == Question.Kind.SINGLE:
                self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                    label=question.text,
                    required=False,
                    coerce=int,
                    widget=forms.RadioSelect,
                    choices=[(c.pk, c.label) for c in question.choices_list],
                )
            elif question.kind == Question.Kind.MULTIPLE:
                self.fields[f"q{question.pk}"] = forms.TypedMultipleChoiceField(
                    label=question.text,
                    required=False,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    choices=[(c.pk, c.label) for c in question.choices_list],
                )
            else:
                self.fields[f"q{question.pk}"] = forms.CharField(
                    label=question.text, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
                )

    def clean(self):
        data = super().clean()
        for question in self.questions:
            if question.is_grid:
                self._clean_grid(question, data)
            elif self.submit and question.required and not data.get(f"q{question.pk}"):
                self.add_error(f"q{question.pk}", _("Please answer this question."))
        return data

    def _clean_grid(self, question, data):
        for unit in question.units_list:
            nd_name = grid_field(question, unit, part="nd")
            no_dealings = bool(data.get(nd_name))
            rated = [d for d in question.dimensions_list if data.get(grid_field(question, unit, d)) not in (None, "")]
            if no_dealings and rated:
                self.add_error(
                    nd_name,
                    _("You ticked “no dealings” but also rated %(unit)s; clear one of them.") % {"unit": unit.name},
                )
            elif self.submit and question.required and not no_dealings:
                for dimension in question.dimensions_list:
                    if dimension not in rated:
                        message = (
                            _("Rate %(unit)s on %(dimension)s, or tick “no dealings”.")
                            if question.allow_no_dealings
                            else _("Rate %(unit)s on %(dimension)s.")
                        )
                        self.add_error(
                            grid_field(question, unit, dimension),
                            message % {"unit": unit.name, "dimension": dimension.name},
                        )

    def answers(self):
        """The cleaned answers in the shape services.response_save takes."""
        data = self.cleaned_data
        ratings, units, choices, texts = {}, {}, {}, {}
        for question in self.questions:
            if question.is_grid:
                for unit in question.units_list:
                    nd = bool(data.get(grid_field(question, unit, part="nd")))
                    comment = (data.get(grid_field(question, unit, part="c")) or "").strip()
                    if nd or comment:
                        units[(question.pk, unit.pk)] = (nd, comment)
                    for dimension in question.dimensions_list:
                        value = data.get(grid_field(question, unit, dimension))
                        if value not in (None, "") and not nd:
                            ratings[(question.pk, unit.pk, dimension.pk)] = int(value)
            elif question.kind == Question.Kind.SINGLE:
                if data.get(f"q{question.pk}") not in (None, ""):
                    choices[question.pk] = [data[f"q{question.pk}"]]
            elif question.kind == Question.Kind.MULTIPLE:
                if data.get(f"q{question.pk}"):
                    choices[question.pk] = list(data[f"q{question.pk}"])
            else:
                texts[question.pk] = (data.get(f"q{question.pk}") or "").strip()
        return {"ratings": ratings, "units": units, "choices": choices, "texts": texts}

    def layout(self):
        """The questions with their bound fields, in the order to render them."""
        blocks = []
        for question in self.questions:
            block = {"question": question}
            if question.is_grid:
                block["units"] = []
                for unit in question.units_list:
                    nd = self[grid_field(question, unit, part="nd")] if question.allow_no_dealings else None
                    comment = self[grid_field(question, unit, part="c")] if question.ask_comment else None
                    block["units"].append(
                        {
                            "unit": unit,
                            "no_dealings": nd,
                            "comment": comment,
                            "dimensions": [self[grid_field(question, unit, d)] for d in question.dimensions_list],
                        }
                    )
            else:
                block["field"] = self[f"q{question.pk}"]
            blocks.append(block)
        return blocks


def initial_from(response, questions):
    """The form's initial values from a saved draft."""
    initial = {"respondent_name": response.respondent_name, "allow_named_follow_up": response.allow_named_follow_up}
    for rating in response.ratings.all():
        initial[f"q{rating.question_id}_u{rating.unit_id}_d{rating.dimension_id}"] = str(rating.value)
    for answer in response.unit_answers.all():
        initial[f"q{answer.question_id}_u{answer.unit_id}_nd"] = answer.no_dealings
        initial[f"q{answer.question_id}_u{answer.unit_id}_c"] = answer.comment
    kinds = {q.pk: q.kind for q in questions}
    for answer in response.choice_answers.all():
        if kinds.get(answer.question_id) == Question.Kind.MULTIPLE:
            initial.setdefault(f"q{answer.question_id}", []).append(answer.choice_id)
        else:
            initial[f"q{answer.question_id}"] = answer.choice_id
    for answer in response.text_answers.all():
        initial[f"q{answer.question_id}"] = answer.text
    return initial


def load_questions(survey):
    """The campaign's questions with their units, dimensions and choices as lists (4 queries)."""
    questions = list(survey.questions.prefetch_related("dimensions", "choices", "units"))
    for question in questions:
        question.dimensions_list = list(question.dimensions.all())
        question.choices_list = list(question.choices.all())
        question.units_list = sorted(question.units.all(), key=lambda u: (u.sort_order, u.name))
    return questions


class FindingForm(forms.ModelForm):
    """The county office turns a problem or suggestion into a rectification finding."""

    response = forms.ModelChoiceField(queryset=SurveyResponse.objects.none(), required=False, widget=forms.HiddenInput)

    class Meta:
        model = Finding
        fields = ["unit", "title", "description", "response"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, survey, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["response"].queryset = SurveyResponse.objects.filter(survey=survey).submitted()


class CopyForm(forms.Form):
    title = forms.CharField(label=_("Title of the new campaign"), max_length=120)
    opens_on = SensibleDateField(label=_("Opens on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    closes_on = SensibleDateField(
        label=_("Closes on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The closing date cannot be before the opening date."))
        return data


class LettersForm(forms.Form):
    """Which town's paper invitation letters to print (纸质邀请函)."""

    town = forms.ModelChoiceField(label=_("Town"), queryset=None, empty_label=None)
    include_emailed = forms.BooleanField(
        label=_("Also enterprises with an e-mail address"),
        required=False,
        help_text=_("Without this, letters are printed only for the enterprises that cannot be e-mailed."),
    )

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns.order_by("sort_order", "name")
