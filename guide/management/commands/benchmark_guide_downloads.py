"""Time the build of the whole-guide PDF and DOCX for an edition of N items (default 400).

The edition is made up in a transaction that is rolled back, from the demo items (run
seed_demo first), repeated across departments with distinct names.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guide.documents.docx import build_docx
from guide.documents.pdf import build_pdf
from guide.models import Fee, Faq, GuideEdition, Material, ServiceItem, Step
from guide.selectors import document_content


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Print the time to build the full PDF and DOCX for an edition of N items (default 400)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=400)
        parser.add_argument("--save", help="Directory to keep the built files in.")

    def handle(self, *args, items=400, save=None, **options):
        source = list(ServiceItem.objects.approved().prefetch_related("materials", "steps", "fees", "faqs")[:200])
        if not source:
            raise CommandError("No approved items to copy; run `manage.py seed_demo` first.")
        try:
            with transaction.atomic():
                edition = GuideEdition.objects.create(
                    title="基准测试版", slug="benchmark", status=GuideEdition.Status.ARCHIVED
                )
                copies = []
                for n in range(items):
                    item = source[n % len(source)]
                    copies.append(
                        ServiceItem(
                            edition=edition,
                            department=item.department,
                            status=ServiceItem.Status.APPROVED,
                            name=f"{item.name}（{n + 1:03d}）",
                            code=item.code,
                            item_type=item.item_type,
                            topics=item.topics,
                            summary=item.summary,
                            legal_basis=item.legal_basis,
                            conditions=item.conditions,
                            legal_time_limit=item.legal_time_limit,
                            promised_time_limit=item.promised_time_limit,
                            is_free=item.is_free,
                            place=item.place,
                            hours=item.hours,
                            phone=item.phone,
                            online_url=item.online_url,
                            last_reviewed=item.last_reviewed,
                            sort_order=n,
                        )
                    )
                ServiceItem.objects.bulk_create(copies)
                for n, copy in enumerate(copies):
                    item = source[n % len(source)]
                    Material.objects.bulk_create(
                        [
                            Material(
                                item=copy,
                                name=m.name,
                                form=m.form,
                                copies=m.copies,
                                notes=m.notes,
                                sort_order=m.sort_order,
                            )
                            for m in item.materials.all()
                        ]
                    )
                    Step.objects.bulk_create(
                        [
                            Step(item=copy, number=s.number, name=s.name, description=s.description)
                            for s in item.steps.all()
                        ]
                    )
                    Fee.objects.bulk_create(
                        [Fee(item=copy, name=f.name, standard=f.standard, basis=f.basis) for f in item.fees.all()]
                    )
                    Faq.objects.bulk_create(
                        [Faq(item=copy, question=f.question, answer=f.answer) for f in item.faqs.all()]
                    )
                started = time.perf_counter()
                content = document_content(edition)
                read = time.perf_counter() - started
                started, cpu = time.perf_counter(), time.process_time()
                pdf = build_pdf(content)
                pdf_time, pdf_cpu = time.perf_counter() - started, time.process_time() - cpu
                started, cpu = time.perf_counter(), time.process_time()
                docx = build_docx(content)
                docx_time, docx_cpu = time.perf_counter() - started, time.process_time() - cpu
                self.stdout.write(f"edition of {content.item_count} items in {len(content.chapters)} chapters")
                self.stdout.write(f"read content: {read:.2f} s")
                self.stdout.write(f"full PDF:  {pdf_time:.2f} s wall, {pdf_cpu:.2f} s CPU, {len(pdf) / 1024:.0f} KiB")
                self.stdout.write(
                    f"full DOCX: {docx_time:.2f} s wall, {docx_cpu:.2f} s CPU, {len(docx) / 1024:.0f} KiB"
                )
                if save:
                    with open(f"{save}/benchmark.pdf", "wb") as fh:
                        fh.write(pdf)
                    with open(f"{save}/benchmark.docx", "wb") as fh:
                        fh.write(docx)
                raise Rollback
        except Rollback:
            pass
