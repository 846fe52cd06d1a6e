import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from policies.models import Interpretation, Level, Policy, Theme
from tests.factories import UnitFactory


class PolicyFactory(DjangoModelFactory):
    class Meta:
        model = Policy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"关于支持企业发展的若干措施（第{n}号）")
    unit = factory.SubFactory(UnitFactory)
    level = Level.COUNTY
    body = "为支持企业发展，制定本措施。\n\n对符合条件的企业给予奖补。"
    summary = "支持企业发展的措施。"
    status = Policy.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    published_on = factory.LazyAttribute(lambda o: timezone.localdate(o.published_at) if o.published_at else None)
    index_number = factory.Sequence(lambda n: f"TEST/2024-{n:05d}")

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class DraftFactory(PolicyFactory):
    status = Policy.Status.DRAFT
    published_at = None
    published_on = None
    index_number = None


class InterpretationFactory(DjangoModelFactory):
    class Meta:
        model = Interpretation

    policy = factory.SubFactory(PolicyFactory)
    title = factory.Sequence(lambda n: f"政策解读{n}")
    body = "解读正文。"


def theme(slug="finance-credit"):
    return Theme.objects.get(slug=slug)


def indexed(policy):
    """Put a factory-made policy in the site search as the services would after commit."""
    from policies.services import reindex_now

    reindex_now(policy.pk)
    return policy
