"""The assistant's evaluation: questions with expected procedures (data/eval_questions.txt), scored top-1, top-3
and MRR (reciprocal rank within the first 10, 0 when absent), for the assistant and the lexical baseline."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

QUESTIONS_FILE = Path(__file__).parent / "data" / "eval_questions.txt"
HELDOUT_MODULUS = 3  # one question in three (by hash) is held out


@dataclass(frozen=True)
class Question:
    text: str
    expected: frozenset
    split: str


def split_of(text: str) -> str:
    digest = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
    return "heldout" if digest % HELDOUT_MODULUS == 0 else "dev"


def load_questions(split: str = "all") -> list[Question]:
    questions = []
    for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        codes, text = (part.strip() for part in line.split("|", 1))
        question = Question(text=text, expected=frozenset(c.strip() for c in codes.split(",")), split=split_of(text))
        if split in ("all", question.split):
            questions.append(question)
    return questions


def score(answer, questions: list[Question]) -> dict:
    """`answer(text) -> [codes best first]`. Returns n, top1, top3, mrr (fractions) and the misses."""
    top1 = top3 = 0
    reciprocal = 0.0
    misses = []
    for question in questions:
        codes = list(answer(question.text))[:10]
        rank = next((i for i, code in enumerate(codes, start=1) if code in question.expected), None)
        top1 += rank == 1
        top3 += rank is not None and rank <= 3
        reciprocal += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append((question, rank, codes[:3]))
    n = len(questions) or 1
    return {"n": len(questions), "top1": top1 / n, "top3": top3 / n, "mrr": reciprocal / n, "misses": misses}
