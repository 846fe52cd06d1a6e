"""factory_boy factories for the shared schema (Faker in zh_CN)."""

import random

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from portal.models import Enterprise, EnterpriseAccount, Official, Unit
from portal.core.roles import group_for
from portal.core.validators import USCC_CHARSET, uscc_check_character

PASSWORD = "Test-Password-2026"


def valid_uscc(n=None):
    rng = random.Random(n)
    body = "91441827" + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    return body + uscc_check_character(body)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = Unit.Kind.DEPARTMENT
    short_name = factory.LazyAttribute(lambda o: o.name[:4])
    code = factory.Sequence(lambda n: f"11441827{n:09d}X"[:18])
    phone = "0763-5812345"
    service_phone = "0763-5812345"


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    class Params:
        company = factory.Faker("company", locale="zh_CN")

    # Faker's company names repeat within a run; a sequence number keeps each one unique (tests
    # look enterprises up by name), and no name is the start of another: 昊嘉信息17有限公司
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.company.removesuffix('有限公司')}{n}有限公司")
    uscc = factory.Sequence(lambda n: valid_uscc(n + 1000))
    town = factory.SubFactory(UnitFactory, kind=Unit.Kind.TOWN, name=factory.Sequence(lambda n: f"测试镇{n}"))
    industry = "C"
    scale = "small"
    contact_name = factory.Faker("name", locale="zh_CN")
    contact_phone = "13800138000"


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official
        skip_postgeneration_save = True  # the hook only adds a group to the user

    user = factory.SubFactory(UserFactory, is_staff=True)
    unit = factory.SubFactory(UnitFactory)
    role = Official.Role.UNIT_STAFF
    name = factory.Faker("name", locale="zh_CN")
    post = "干部"

    @factory.post_generation
    def group(obj, create, extracted, **kwargs):
        if create:
            obj.user.groups.add(group_for(obj.role))


class EnterpriseAccountFactory(DjangoModelFactory):
    class Meta:
        model = EnterpriseAccount

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    real_name = factory.Faker("name", locale="zh_CN")
    phone = "13800138000"
    status = EnterpriseAccount.Status.CONFIRMED
