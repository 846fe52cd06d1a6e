"""Benchmark (not a test): load N policies (default 100,000) with their search documents, then
print the median and 95th-percentile time of a fixed set of searches, and the number of
queries and time of each public page.

Everything runs inside one transaction that is rolled back at the end, so the database is
left exactly as it was (nothing to clean up, even after a crash) and nobody else ever sees
the generated rows. Run it against your own database, e.g.

    DATABASE_URL=postgres://.../portal_policies manage.py bench_search --policies 100000

On a database of its own, `--keep` commits the generated rows instead, and `--policies 0`
then measures again without loading (to try changes quickly).
"""

import datetime
import random
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from policies.models import Level, Policy, Theme
from portal.core import search
from portal.models import SearchDocument, Unit

# Every kind of query the evaluation set has (portal/data/search_eval.tsv), as users type them.
QUERIES = [
    ("question", "怎么申请贷款贴息"),
    ("question", "企业开办要多久"),
    ("question", "施工许可证怎么办"),
    ("question", "我们公司想做技改，县里有没有奖补政策，需要准备哪些材料，找哪个部门申请"),
    ("colloquial", "借钱"),
    ("colloquial", "稳岗补贴"),
    ("colloquial", "施工证"),
    ("colloquial", "通电"),
    ("colloquial", "拿地"),
    ("typo", "政企沟遇"),
    ("typo", "营业职照"),
    ("traditional", "公積金"),
    ("traditional", "貸款貼息"),
    ("docnumber", "清新府[2012]35号"),
    ("docnumber", "清新府（2012）35号"),
    ("short", "税"),
    ("short", "贷款"),
    ("short", "环评"),
    ("title", "清新县促进中小微企业融资贷款贴息实施办法"),
    ("english", "loan"),
    ("english", "business license"),
    ("pinyin", "gongjijin"),
    ("pinyin", "zjtx"),
    ("partial", "县里对中小微企业银行贷款贴息每年最高多少"),
    ("partial", "安全生产 责任 隐患 排查 粉尘"),
    ("none", "火星移民签证"),
    ("none", "不存在的词语组合"),
]

REGIONS = [
    "清新县",
    "清远市",
    "广东省",
    "太和镇",
    "山塘镇",
    "县工业和信息化局",
    "县金融工作局",
    "县人力资源和社会保障局",
]
SUBJECTS = [
    "促进中小微企业融资贷款贴息",
    "支持工业企业技术改造奖补",
    "高新技术企业认定奖励",
    "企业用工服务保障",
    "安全生产主体责任落实",
    "排污许可管理",
    "工业用地供应管理",
    "建筑工程施工许可告知承诺制",
    "企业开办一网通办",
    "住房公积金缴存管理",
    "税收优惠政策落实",
    "专精特新中小企业培育",
    "外贸企业稳订单拓市场",
    "农产品加工企业扶持",
    "政银企对接",
    "优化营商环境",
    "招商引资项目扶持",
    "科技创新券",
    "融资担保风险补偿",
    "小升规企业培育",
]
SUFFIXES = ["实施办法", "若干措施", "工作方案", "管理办法", "实施细则", "通知", "指导意见"]
SENTENCES = [
    "各级财政安排专项资金，对符合条件的企业给予奖补。",
    "资金申报实行免申即享或网上申报，经审核公示后直达企业账户。",
    "税务部门通过电子税务局推送优惠政策，企业在申报纳税时自行享受。",
    "鼓励银行业金融机构增加对中小微企业的信贷投放，扩大信用贷款和首贷规模。",
    "政府性融资担保机构降低担保费率，帮助企业解决融资难融资贵问题。",
    "支持企业加大研发投入，建设研发机构，申报高新技术企业。",
    "落实就业补贴、社会保险补贴和稳岗返还政策。",
    "推动工业企业技术改造、数字化转型和小升规。",
    "保障重点项目用地需求，优化用地审批流程。",
    "企业应落实安全生产主体责任，定期开展隐患排查治理。",
    "企业应依法办理环境影响评价和排污许可手续。",
    "推行一网通办、告知承诺等改革措施，压缩审批时限，减少申请材料。",
    "本文件自发布之日起施行，由发布机构负责解释。",
    "各镇、各部门要结合实际抓好贯彻落实。",
    "对弄虚作假骗取扶持资金的，依法追回资金并纳入信用记录。",
]


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Rollback(Exception):
    pass


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Load N policies in a rolled-back transaction and time the site search and the policy pages."

    def add_arguments(self, parser):
        parser.add_argument("--policies", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=15, help="Runs of each query.")
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Commit the loaded policies instead of rolling back (only on a database of its own, "
            "to measure again with --policies 0).",
        )

    def handle(self, *args, policies, repeat, batch, keep, **options):
        if not policies:  # measure what the database holds
            self.measure(repeat)
            return
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # Bulk loading is much faster without the search indexes; they are rebuilt
                    # once loaded (and the rollback restores the originals anyway).
                    cursor.execute(
                        "DROP INDEX searchdoc_vector_gin; DROP INDEX searchdoc_title_trgm; "
                        "DROP INDEX searchdoc_pinyin_trgm"
                    )
                self.load(policies, batch)
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET CONSTRAINTS ALL IMMEDIATE;"
                        "CREATE INDEX searchdoc_vector_gin ON portal_searchdocument USING gin (search_vector);"
                        "CREATE INDEX searchdoc_title_trgm ON portal_searchdocument USING gin "
                        "(title gin_trgm_ops);"
                        "CREATE INDEX searchdoc_pinyin_trgm ON portal_searchdocument USING gin "
                        "(pinyin gin_trgm_ops);"
                        "ANALYZE policies_policy; ANALYZE portal_searchdocument; ANALYZE policies_policy_themes"
                    )
                self.stdout.write(f"Built the GIN indexes in {time.perf_counter() - started:.0f} s.")
                self.measure(repeat)
                if not keep:
                    raise Rollback
        except Rollback:
            self.stdout.write("Rolled back: the database is as it was.")
        else:
            self.stdout.write(f"Kept the {policies} policies (--keep).")
        with connection.cursor() as cursor:  # clear the dead rows the rollback left behind
            for table in ("portal_searchdocument", "policies_policy", "policies_policy_themes"):
                cursor.execute(f"VACUUM ANALYZE {table}")

    # ------------------------------------------------------------------ loading

    def load(self, count, batch):
        rng = random.Random(20120626)
        started = time.perf_counter()
        unit, _created = Unit.objects.get_or_create(
            name="基准测试单位", defaults={"kind": Unit.Kind.DEPARTMENT, "code": "BENCH"}
        )
        themes = list(Theme.objects.all())
        sentence_words = [search.words(s) for s in SENTENCES]
        title_cache = {}
        now = timezone.now()
        through = Policy.themes.through
        made = 0
        while made < count:
            size = min(batch, count - made)
            rows, docs_words = [], []
            for i in range(made, made + size):
                title = f"{rng.choice(REGIONS)}{rng.choice(SUBJECTS)}{rng.choice(SUFFIXES)}"
                picks = rng.sample(range(len(SENTENCES)), 5)
                day = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(5400))
                doc_number = f"基准{rng.choice('府办发改财')}〔{day.year}〕{i % 997 + 1}号"
                rows.append(
                    Policy(
                        title=title,
                        unit=unit,
                        level=rng.choice(Level.values),
                        doc_number=doc_number,
                        index_number=f"BENCH/{day.year}-{i:06d}",
                        body="\n\n".join(SENTENCES[p] for p in picks),
                        summary=SENTENCES[picks[0]][:100],
                        status=Policy.Status.PUBLISHED,
                        published_at=now - datetime.timedelta(days=rng.randrange(5000)),
                        published_on=day,
                        written_on=day,
                        validity=Policy.Validity.IN_FORCE if rng.random() < 0.85 else Policy.Validity.REPEALED,
                        industries=rng.sample(["C", "A", "F", "I", "E"], rng.randrange(3)),
                    )
                )
                if title not in title_cache:
                    title_cache[title] = (search.title_words(title), search.title_pinyin(title))
                body_words = [w for p in picks for w in sentence_words[p]]
                docs_words.append((title_cache[title], search.words(doc_number), sentence_words[picks[0]], body_words))
            created = Policy.objects.bulk_create(rows, batch_size=batch)
            through.objects.bulk_create(
                [through(policy_id=p.pk, theme_id=rng.choice(themes).pk) for p in created], batch_size=batch
            )
            SearchDocument.objects.bulk_create(
                [
                    SearchDocument(
                        kind="policy",
                        key=str(p.pk),
                        title=p.title,
                        url=f"/policies/{p.pk}/",
                        summary=p.summary,
                        body=p.body,
                        date=p.published_on,
                        in_force=p.validity == Policy.Validity.IN_FORCE,
                        unit=unit,
                        available_from=p.published_at,
                        pinyin=title_pinyin,
                        validity="" if p.validity == Policy.Validity.IN_FORCE else p.validity,
                        search_vector=search.vector_from_words(title_words, key, summary, body),
                    )
                    for p, ((title_words, title_pinyin), key, summary, body) in zip(created, docs_words)
                ],
                batch_size=batch,
            )
            made += size
            self.stdout.write(f"  loaded {made} policies ({time.perf_counter() - started:.0f} s)")
        self.stdout.write(
            f"Loaded {count} policies and search documents in {time.perf_counter() - started:.0f} s; "
            f"total now {Policy.objects.count()} policies, {SearchDocument.objects.count()} documents."
        )

    # ------------------------------------------------------------------ measuring

    def measure(self, repeat):
        search.clear_synonym_cache()
        search.search("预热")  # load jieba and the synonym cache
        self.stdout.write("\nsearch() per query (ms)          results  median     p95   queries")
        all_times = []
        by_kind = {}
        for kind, query in QUERIES:
            times = []
            with CaptureQueriesContext(connection) as queries:
                result = search.search(query)
            for _ in range(repeat):
                started = time.perf_counter()
                search.search(query)
                times.append((time.perf_counter() - started) * 1000)
            all_times.extend(times)
            by_kind.setdefault(kind, []).extend(times)
            self.stdout.write(
                f"  {query[:22]:<24}{result.total:>10} {statistics.median(times):>8.1f} "
                f"{_percentile(times, 0.95):>8.1f} {len(queries):>6}"
            )
        self.stdout.write("\nper kind of query (ms)              median     p95   target p95 < 50")
        for kind, times in by_kind.items():
            p95 = _percentile(times, 0.95)
            self.stdout.write(
                f"  {kind:<32}{statistics.median(times):>8.1f} {p95:>8.1f}   {'ok' if p95 < 50 else 'SLOW'}"
            )
        self.stdout.write(
            f"  {'ALL QUERIES':<32}{statistics.median(all_times):>8.1f} {_percentile(all_times, 0.95):>8.1f}"
        )
        client = Client(HTTP_HOST="localhost")
        sample = Policy.objects.filter(unit__name="基准测试单位").order_by("pk").first()
        pages = [
            "/search/?q=贷款",
            "/search/?q=政企沟通&type=policy&page=2",
            "/search/?q=税",
            "/policies/",
            "/policies/list/",
            "/policies/list/?theme=finance-credit&level=county",
            "/policies/list/?q=融资&sort=relevance",
            f"/policies/{sample.pk}/",
            "/policies/feeds/atom/",
            "/",
        ]
        self.stdout.write(
            "\npage                                              status  queries  cold ms  median ms   p95 ms"
        )
        for url in pages:
            client.get(url)
            cache.clear()  # the counted run is cold: no cached facet/browse counts or synonyms
            counter = QueryCounter()
            started = time.perf_counter()
            with connection.execute_wrapper(counter):
                response = client.get(url)
            cold = (time.perf_counter() - started) * 1000
            times = []
            for _ in range(max(3, repeat // 3)):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                f"  {url:<48}{response.status_code:>6} {counter.count:>8} {cold:>8.1f} {statistics.median(times):>10.1f}"
                f" {_percentile(times, 0.95):>8.1f}"
            )
