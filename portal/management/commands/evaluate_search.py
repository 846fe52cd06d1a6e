from django.core.management.base import BaseCommand

from portal.core.search_eval import EVAL_FILE, evaluate, read_cases


class Command(BaseCommand):
    help = (
        "Run the search evaluation set (portal/data/search_eval.tsv) against this database and print MRR and "
        "recall@5, overall and per kind of query, and every query that should find nothing but did."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(EVAL_FILE))
        parser.add_argument("--failures", action="store_true", help="List each query whose first result is wrong.")

    def handle(self, *args, file, failures, **options):
        report = evaluate(read_cases(file))
        for line in report.missing:
            self.stderr.write(f"not in the index: {line}")
        self.stdout.write(f"{'kind':<14}{'queries':>8}{'MRR':>8}{'R@5':>8}")
        for kind in report.kinds:
            n = sum(1 for o in report.outcomes if o.case.kind == kind)
            self.stdout.write(f"{kind:<14}{n:>8}{report.mrr(kind):>8.3f}{report.recall_at_5(kind):>8.3f}")
        self.stdout.write(f"{'ALL':<14}{len(report.outcomes):>8}{report.mrr():>8.3f}{report.recall_at_5():>8.3f}")
        self.stdout.write(f"should find nothing but did: {len(report.nothing_failures)}")
        for outcome in report.nothing_failures:
            self.stdout.write(f"  {outcome.case.query} → {outcome.total}: {outcome.found[0][2]}")
        if failures:
            for outcome in report.outcomes:
                if not outcome.passed and not outcome.expects_nothing:
                    top = " / ".join(t for _k, _key, t in outcome.found[:3]) or "(nothing)"
                    self.stdout.write(
                        f"  [{outcome.case.kind}] {outcome.case.query}: RR={outcome.reciprocal_rank:.2f} "
                        f"R@5={outcome.recall:.2f} expected {'|'.join(outcome.case.expected)}; got {top}"
                    )
