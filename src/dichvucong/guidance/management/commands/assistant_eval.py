"""`manage.py assistant_eval [--split dev|heldout|all] [--misses]`: top-1, top-3 and MRR of the assistant and of the
catalogue's lexical search on the evaluation questions, in one run (docs/assistant.md records the figures)."""

from django.core.management.base import BaseCommand

from dichvucong.guidance import selectors
from dichvucong.guidance.evaluation import load_questions, score


def assistant_codes(text: str) -> list[str]:
    return [r["code"] for r in selectors.assistant_answer(text)["results"]]


class Command(BaseCommand):
    help = "Đánh giá trợ lý tìm thủ tục (top-1, top-3, MRR) so với tìm kiếm từ khóa của danh mục."

    def add_arguments(self, parser):
        parser.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
        parser.add_argument("--misses", action="store_true", help="List the questions not answered first.")

    def handle(self, *args, split: str, misses: bool, **options):
        from dichvucong.catalog.models import Procedure

        self.stdout.write(f"Catalogue: {Procedure.objects.count()} procedures")
        splits = ["dev", "heldout"] if split == "all" else [split]
        self.stdout.write(f"{'split':8} {'system':10} {'n':>4} {'top-1':>7} {'top-3':>7} {'MRR':>6}")
        for name in splits:
            questions = load_questions(name)
            for system, answer in (("assistant", assistant_codes), ("baseline", selectors.baseline_search)):
                result = score(answer, questions)
                self.stdout.write(
                    f"{name:8} {system:10} {result['n']:>4} {result['top1']:>7.1%} {result['top3']:>7.1%} "
                    f"{result['mrr']:>6.3f}"
                )
                if misses and system == "assistant":
                    for question, rank, codes in result["misses"]:
                        expected = ",".join(sorted(question.expected))
                        self.stdout.write(f"   miss rank={rank} want={expected} got={codes} | {question.text}")
