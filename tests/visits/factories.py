"""Factories for the visits app."""

import datetime

import factory
from factory.django import DjangoModelFactory

from portal.core.categories import Category
from portal.models import Official, Unit
from tests.factories import EnterpriseFactory, OfficialFactory, UnitFactory
from visits.models import LiaisonAssignment, Meeting, Visit, VisitParticipant, VisitProblem


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory, kind=Unit.Kind.TOWN)
    enterprise = factory.SubFactory(EnterpriseFactory, town=factory.SelfAttribute("..unit"))
    date = datetime.date(2026, 5, 10)
    form = Visit.Form.ONSITE
    met_persons = "张总经理"

    @factory.post_generation
    def officials(obj, create, extracted, **kwargs):
        if create and extracted:
            VisitParticipant.objects.bulk_create(
                [
                    VisitParticipant(visit=obj, official=o, enterprise_id=obj.enterprise_id, date=obj.date)
                    for o in extracted
                ]
            )


class VisitProblemFactory(DjangoModelFactory):
    class Meta:
        model = VisitProblem

    visit = factory.SubFactory(VisitFactory)
    enterprise = factory.SelfAttribute("visit.enterprise")
    title = "用电增容审批慢"
    category = Category.UTILITIES


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = LiaisonAssignment

    official = factory.SubFactory(OfficialFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.SelfAttribute("official.unit")
    kind = factory.LazyAttribute(
        lambda o: (
            LiaisonAssignment.Kind.LEADER
            if o.official.role == Official.Role.COUNTY_LEADER
            else LiaisonAssignment.Kind.CADRE
        )
    )
    start_date = datetime.date(2025, 1, 1)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.SYMPOSIUM
    unit = factory.SubFactory(UnitFactory, kind=Unit.Kind.TOWN)
    title = "企业座谈会"
    date = datetime.date(2026, 4, 20)
    convener = "镇长"
