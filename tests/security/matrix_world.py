"""The one data set the permission matrix walks: every role, and objects of 山塘镇 (another
town), of one of its enterprises and of another department, seen from every role."""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.surveys.models import Finding
from portal.models import EnterpriseAccount, Official, Unit
from tests.factories import EnterpriseAccountFactory, EnterpriseFactory, OfficialFactory, UnitFactory
from tests.guide.factories import ServiceItemFactory
from tests.liaison.factories import make_matter
from tests.policies.factories import DraftFactory, InterpretationFactory, PolicyFactory
from tests.surveys.factories import make_survey, submit_ratings
from tests.visits.factories import MeetingFactory, VisitFactory, VisitProblemFactory
from visits.models import Appointment, FinancingNeed, MatchmakingEvent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROLES = (
    "anonymous",
    "enterprise",
    "other_enterprise",
    "town_staff",
    "town_head",
    "other_town_staff",
    "department_staff",
    "department_head",
    "county_leader",
    "county_office",
)


def build():
    units = SimpleNamespace(
        office=UnitFactory(name="县政府办公室", kind=Unit.Kind.COUNTY_OFFICE),
        government=UnitFactory(name="县人民政府", kind=Unit.Kind.COUNTY_GOVERNMENT),
        town=UnitFactory(name="太和镇", kind=Unit.Kind.TOWN),
        other_town=UnitFactory(name="山塘镇", kind=Unit.Kind.TOWN),
        department=UnitFactory(name="县市场监督管理局", kind=Unit.Kind.DEPARTMENT),
        other_department=UnitFactory(name="县自然资源局", kind=Unit.Kind.DEPARTMENT),
    )
    own_enterprise = EnterpriseFactory(town=units.town, name="太和本镇企业有限公司")
    victim = EnterpriseFactory(town=units.other_town, name="山塘受访企业有限公司", is_key=True)

    def official(unit, role):
        user = OfficialFactory(unit=unit, role=role).user
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user

    users = {
        "anonymous": None,
        "enterprise": EnterpriseAccountFactory(
            enterprise=own_enterprise, status=EnterpriseAccount.Status.CONFIRMED
        ).user,
        "other_enterprise": EnterpriseAccountFactory(enterprise=victim, status=EnterpriseAccount.Status.CONFIRMED).user,
        "town_staff": official(units.town, Official.Role.UNIT_STAFF),
        "town_head": official(units.town, Official.Role.UNIT_HEAD),
        "other_town_staff": official(units.other_town, Official.Role.UNIT_STAFF),
        "department_staff": official(units.department, Official.Role.UNIT_STAFF),
        "department_head": official(units.department, Official.Role.UNIT_HEAD),
        "county_leader": official(units.government, Official.Role.COUNTY_LEADER),
        "county_office": official(units.office, Official.Role.COUNTY_OFFICE),
    }
    owner = users["other_town_staff"]
    matter = make_matter(
        enterprise=victim,
        received_by=units.other_town,
        created_by=owner,
        attachments=[SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")],
    )
    visit = VisitFactory(unit=units.other_town, enterprise=victim, officials=[owner.official])
    problem = VisitProblemFactory(visit=visit)
    visit_file = visit.attachments.create(
        file=SimpleUploadedFile("走访材料.pdf", PDF), kind="document", content_type="application/pdf"
    )
    meeting = MeetingFactory(unit=units.other_town, title="山塘镇内部座谈会")
    meeting.enterprises_attending.add(victim)
    meeting_problem = meeting.problems.create(enterprise=victim, title="山塘会议问题", category=problem.category)
    start = timezone.now() + datetime.timedelta(days=3)
    appointment = Appointment.objects.create(
        unit=units.other_town,
        enterprise=victim,
        proposed_by=owner.official,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    need = FinancingNeed.objects.create(enterprise=victim, amount=100, purpose="山塘设备贷款", term_months=12)
    event = MatchmakingEvent.objects.create(
        unit=units.other_town, title="山塘政银企对接会", date=datetime.date(2026, 6, 1)
    )
    draft = DraftFactory(unit=units.other_town, title="山塘镇未发布草稿")
    published = PolicyFactory(unit=units.other_town, title="山塘镇已发布政策")
    interpretation = InterpretationFactory(policy=published)
    item = ServiceItemFactory(department=units.other_department)
    survey = make_survey([units.other_department, units.department])
    response = submit_ratings(survey, victim, {units.other_department: {"服务态度": 5, "办事效率": 4}})
    finding = Finding.objects.create(
        survey=survey, unit=units.other_department, title="自然资源局整改", description="整改"
    )
    return SimpleNamespace(
        units=units,
        users=users,
        victim=victim,
        own_enterprise=own_enterprise,
        matter=matter,
        attachment=matter.attachments.get(),
        visit=visit,
        visit_file=visit_file,
        problem=problem,
        meeting=meeting,
        meeting_problem=meeting_problem,
        appointment=appointment,
        need=need,
        event=event,
        draft=draft,
        published=published,
        interpretation=interpretation,
        item=item,
        survey=survey,
        response=response,
        finding=finding,
        account=victim.accounts.first() if hasattr(victim, "accounts") else None,
        owner_official=owner.official,
    )
