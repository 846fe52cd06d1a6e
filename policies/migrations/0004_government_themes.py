"""The standard 政府信息公开 subject categories (the State Council's document subject
classification used on government websites), shipped beside the enterprise-oriented themes so
that a county's existing documents import with the subjects they already carry."""

from django.db import migrations

GOVERNMENT_THEMES = [
    ("综合政务", "general-affairs"),
    ("国民经济管理、国有资产监管", "economy-state-assets"),
    ("财政、金融、审计", "finance-audit"),
    ("国土资源、能源", "land-energy"),
    ("农业、林业、水利", "agriculture-forestry-water"),
    ("工业、交通", "industry-transport"),
    ("商贸、海关、旅游", "commerce-customs-tourism"),
    ("市场监管、安全生产监管", "market-safety-regulation"),
    ("城乡建设、环境保护", "construction-environment"),
    ("科技、教育", "science-education"),
    ("文化、卫生、体育", "culture-health-sports"),
    ("劳动、人事、监察", "labour-personnel-supervision"),
    ("公安、安全、司法", "public-security-justice"),
    ("民政、扶贫、救灾", "civil-affairs-relief"),
    ("民族、宗教", "ethnic-religious-affairs"),
    ("对外事务", "foreign-affairs"),
    ("港澳台侨工作", "hk-macao-taiwan-overseas"),
    ("国防", "national-defence"),
    ("其他", "other"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("policies", "Theme")
    for order, (name, slug) in enumerate(GOVERNMENT_THEMES, start=1):
        if not Theme.objects.filter(name=name).exists():
            Theme.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": 200 + order})


def remove_themes(apps, schema_editor):
    apps.get_model("policies", "Theme").objects.filter(
        slug__in=[s for _n, s in GOVERNMENT_THEMES], policies__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0003_public_list_indexes"),
    ]

    operations = [migrations.RunPython(add_themes, remove_themes)]
