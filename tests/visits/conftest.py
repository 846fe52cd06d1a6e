import pytest

from portal.models import EnterpriseAccount
from tests.factories import EnterpriseAccountFactory, EnterpriseFactory


@pytest.fixture
def key_enterprises(town):
    return [EnterpriseFactory(town=town, is_key=True) for _ in range(4)]


@pytest.fixture
def other_enterprise_user(other_enterprise):
    return EnterpriseAccountFactory(enterprise=other_enterprise, status=EnterpriseAccount.Status.CONFIRMED).user
