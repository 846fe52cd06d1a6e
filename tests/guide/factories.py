"""Factories for the guide (approved items of a current edition unless told otherwise)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from guide.models import Fee, GuideEdition, LeaderDuty, LoanProduct, Material, ServiceItem, Step
from portal.models import FinancialInstitution, Unit
from tests.factories import UnitFactory


class GuideEditionFactory(DjangoModelFactory):
    class Meta:
        model = GuideEdition
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"{2026 + n}年版")
    slug = factory.Sequence(lambda n: f"{2026 + n}")
    status = GuideEdition.Status.CURRENT
    foreword = "为方便企业办事编印本指南。"


class ServiceItemFactory(DjangoModelFactory):
    class Meta:
        model = ServiceItem
        skip_postgeneration_save = True

    edition = factory.SubFactory(GuideEditionFactory)
    department = factory.SubFactory(UnitFactory, kind=Unit.Kind.DEPARTMENT)
    status = ServiceItem.Status.APPROVED
    name = factory.Sequence(lambda n: f"测试事项{n}号许可")
    code = factory.Sequence(lambda n: f"1144182700{n:04d}")
    item_type = ServiceItem.ItemType.LICENCE
    topics = factory.LazyFunction(lambda: ["start_up"])
    summary = "企业开办时办理。"
    legal_basis = "《中华人民共和国行政许可法》第二十九条"
    conditions = "依法设立的企业。"
    legal_time_limit = 20
    promised_time_limit = 10
    place = "政务服务中心3号窗口"
    hours = "工作日 8:30—17:30"
    phone = "0763-5812345"
    last_reviewed = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    @factory.post_generation
    def content(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Material.objects.create(item=obj, name="营业执照复印件", form="copy", copies=1, sort_order=1)
        Material.objects.create(item=obj, name="申请书", form="original", copies=2, sort_order=2)
        Step.objects.create(item=obj, number=1, name="提交申请")
        Step.objects.create(item=obj, number=2, name="审查决定")
        Fee.objects.create(item=obj, name="工本费", standard="10元/本") if not obj.is_free else None


class LeaderDutyFactory(DjangoModelFactory):
    class Meta:
        model = LeaderDuty

    edition = factory.SubFactory(GuideEditionFactory)
    unit = factory.SubFactory(UnitFactory, kind=Unit.Kind.COUNTY_GOVERNMENT, name="县人民政府")
    level = LeaderDuty.Level.COUNTY
    name = factory.Sequence(lambda n: f"领导{n}")
    post = "副县长"
    duties = "负责工业、商务工作"
    office_phone = "0763-5812005"


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = FinancialInstitution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试银行{n}支行")


class LoanProductFactory(DjangoModelFactory):
    class Meta:
        model = LoanProduct

    edition = factory.SubFactory(GuideEditionFactory)
    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"助企贷{n}号")
    eligibility = "经营满一年"
    materials = "营业执照\n财务报表"
    steps = "申请\n审批\n放款"
    contact_phone = "0763-5870888"
