"""The assistant's query understanding and ranking, in pure Python (same answers on SQLite and PostgreSQL).

1. Normalise: fold (lower case, no diacritics, đ → d), drop anything that is not a letter or digit, cut at
   MAX_QUESTION_CHARS.
2. Split glued words ("dangkykhaisinh") into known syllables (dynamic programming over the index's syllables,
   preferring frequent syllables and known pairs).
3. Correct typos: a syllable the index does not know is replaced by a known one at edit distance 1 (the most frequent).
4. Expand: abbreviations and slang (`lexicon.SYNONYMS`) add the catalogue's words; `segment()` groups the syllables
   into two-syllable words where that reads best ("dang ky", "khai sinh"), shown to the user as understood.
5. Rank: Okapi BM25 over unigrams and adjacent-syllable bigrams of each procedure's name, field and curated phrases
   (`lexicon.PHRASES`), plus a bonus when a curated phrase occurs whole in the question; variants the question does
   not ask for ("đăng ký lại", "có yếu tố nước ngoài", "lưu động") are pushed down; curated procedures (the most used)
   get a small prior. Each result carries `why`: the words, phrase or life event that matched.
6. Clarify: when the best candidates differ only by a facet the question leaves open (first time or again, with a
   foreign element or not, a person or a business), ask about it, each answer a refined question.

The index is built from the catalogue in force and rebuilt when the catalogue changes (count + last update).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from dichvucong.common.search import fold_text

from . import lexicon

MAX_QUESTION_CHARS = 300
MAX_RESULTS = 10
K1, B = 1.2, 0.75
PHRASE_WEIGHT = 2  # curated phrases count twice in a procedure's document
_TOKEN = re.compile(r"[a-z0-9]+")

# Facets a question may leave open: (key, folded markers in a procedure name, words in a question that settle it).
VARIANTS = [
    (
        "again",
        ("dang ky lai", "cap lai", "cap doi", "gia han", "dieu chinh"),
        ("lam lai", "cap lai", "dang ky lai", "doi", "cap doi", "gia han", "mat", "bi mat", "het han", "rach", "hong"),
    ),
    ("foreign", ("yeu to nuoc ngoai", "nguoi nuoc ngoai"), ("nuoc ngoai", "ngoai quoc", "viet kieu", "con lai")),
    ("mobile", ("luu dong",), ("luu dong", "den nha", "tai nha")),
    ("combined", ("ket hop", "lien thong"), ("ket hop", "lien thong", "mot lan", "cung luc", "ngoai gia thu")),
    ("abroad_level", ("cap trung uong", "khu vuc bien gioi"), ("trung uong", "bien gioi")),
    ("lost", ("trinh bao mat",), ("mat", "bi mat", "that lac", "danh roi")),
    ("remove", ("xoa dang ky",), ("xoa", "huy", "cat", "bo")),
]
_AGE = re.compile(r"(?<![0-9])([0-9]{1,3}) tuoi")
STOP = {"toi", "minh", "em", "anh", "chi", "can", "muon", "lam", "sao", "the", "nao", "o", "dau", "thi", "phai"}
STOP |= {"gi", "va", "cho", "cua", "co", "duoc", "khong", "a", "nhe", "voi", "nhu", "bao", "nhieu", "thu", "tuc"}
STOP |= {"hoi", "giup", "xin", "la", "nay", "di", "ve", "vay", "ah", "oi", "ak", "roi", "nhung", "can phai", "mot"}
STOP -= {"mot"}


def normalise(question: str) -> str:
    return " ".join(_TOKEN.findall(fold_text((question or "")[: MAX_QUESTION_CHARS * 2])))[:MAX_QUESTION_CHARS]


def _bigrams(tokens: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _edits1(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + transposes + replaces + inserts)


@dataclass
class Doc:
    code: str
    name: str
    field_name: str
    applicant_types: list[str]
    folded_name: str
    curated: bool
    terms: Counter
    length: int


@dataclass
class Understanding:
    text: str  # normalised, corrected and expanded question
    tokens: list[str]
    words: list[str]  # segmented words (syllables joined by spaces)
    corrections: dict[str, str] = field(default_factory=dict)
    expansions: list[str] = field(default_factory=list)
    life_events: list[dict] = field(default_factory=list)


class Index:
    def __init__(self, rows: list[dict]):
        self.docs: list[Doc] = []
        self.df: Counter = Counter()
        self.syllables: Counter = Counter()
        self.words: Counter = Counter()  # two-syllable words seen in names and curated phrases, with counts
        self.phrases: dict[str, list[tuple[str, str]]] = defaultdict(list)  # folded phrase -> [(code, phrase)]
        for code, phrases in lexicon.PHRASES.items():
            for phrase in phrases:
                self.phrases[normalise(phrase)].append((code, phrase))
        for row in rows:
            self._add(row)
        self.by_code = {doc.code: doc for doc in self.docs}
        self.avg_length = sum(d.length for d in self.docs) / max(len(self.docs), 1)
        for phrase in list(self.phrases) + [normalise(p) for e in lexicon.LIFE_EVENTS for p in e["phrases"]]:
            syllables = phrase.split()
            self.words.update(" ".join(pair) for pair in zip(syllables, syllables[1:], strict=False))
            self.syllables.update(syllables)
        for target in lexicon.SYNONYMS.values():
            self.syllables.update(target.split())

    def _add(self, row: dict) -> None:
        name, field_name = normalise(row["name"]), normalise(row["field_name"])
        phrases = [normalise(p) for p in lexicon.PHRASES.get(row["code"], [])]
        terms: Counter = Counter()
        for text, weight in [(name, 1), (field_name, 1)] + [(p, PHRASE_WEIGHT) for p in phrases]:
            tokens = [t for t in text.split() if t not in STOP]
            for term in tokens + _bigrams(text.split()):
                terms[term] += weight
        self.syllables.update(name.split())
        # catalogue words of two syllables seen in names: a cheap dictionary for segmentation
        self.words.update(" ".join(pair) for pair in zip(name.split(), name.split()[1:], strict=False))
        self.df.update(terms.keys())
        self.docs.append(
            Doc(
                code=row["code"],
                name=row["name"],
                field_name=row["field_name"],
                applicant_types=[a for a in row["applicant_types"].split(",") if a],
                folded_name=name,
                curated=row["code"] in lexicon.PHRASES,
                terms=terms,
                length=sum(terms.values()),
            )
        )

    # --- understanding -------------------------------------------------------------------------------------------

    def split_glued(self, token: str) -> list[str]:
        """'dangkykhaisinh' -> ['dang', 'ky', 'khai', 'sinh'] when every piece is a known syllable, else [token]."""
        if token in self.syllables or len(token) < 5 or token.isdigit():
            return [token]
        # best[i]: (score, pieces) of token[:i]; fewer pieces, frequent syllables and known bigrams score higher
        best: list[tuple[float, list[str]] | None] = [None] * (len(token) + 1)
        best[0] = (0.0, [])
        for end in range(1, len(token) + 1):
            for start in range(max(0, end - 7), end):
                piece = token[start:end]
                if best[start] is None or piece not in self.syllables or len(piece) < 2:
                    continue
                score, pieces = best[start]
                score += math.log(1 + self.syllables[piece]) - 3
                if pieces and f"{pieces[-1]}_{piece}" in self.df:
                    score += 4
                if best[end] is None or score > best[end][0]:
                    best[end] = (score, pieces + [piece])
        return best[-1][1] if best[-1] else [token]

    def correct(self, token: str, before: str = "", after: str = "") -> str:
        """A syllable the index does not know → the known one at edit distance 1 that best fits its neighbours
        (forms a known bigram with them), then the most frequent."""
        if token in self.syllables or len(token) < 3 or token.isdigit():
            return token
        candidates = [w for w in _edits1(token) if w in self.syllables]

        def fit(word: str) -> tuple:
            context = int(bool(before) and f"{before}_{word}" in self.df) + int(
                bool(after) and f"{word}_{after}" in self.df
            )
            return (context, self.syllables[word], word)

        return max(candidates, key=fit) if candidates else token

    def segment(self, tokens: list[str]) -> list[str]:
        """Syllables grouped into two-syllable words ("dang ky", "khai sinh") where that reads best: dynamic
        programming maximising how often the chosen pairs occur in the catalogue's names and curated phrases."""
        best: list[tuple[float, list[str]]] = [(0.0, [])]
        for i in range(1, len(tokens) + 1):
            options = [(best[i - 1][0], best[i - 1][1] + [tokens[i - 1]])]
            if i >= 2 and (count := self.words.get(f"{tokens[i - 2]} {tokens[i - 1]}", 0)) >= 2:
                options.append(
                    (best[i - 2][0] + math.log(count), best[i - 2][1] + [f"{tokens[i - 2]} {tokens[i - 1]}"])
                )
            best.append(max(options, key=lambda option: option[0]))
        return best[-1][1]

    def understand(self, question: str) -> Understanding:
        text = normalise(question)
        pieces = [piece for raw in text.split() for piece in self.split_glued(raw)]
        tokens, corrections = [], {}
        for position, piece in enumerate(pieces):
            after = pieces[position + 1] if position + 1 < len(pieces) else ""
            fixed = self.correct(piece, tokens[-1] if tokens else "", after)
            if fixed != piece:
                corrections[piece] = fixed
            tokens.append(fixed)
        joined = " ".join(tokens)
        for noise in lexicon.QUESTION_NOISE:
            joined = f" {joined} ".replace(f" {noise} ", " ").strip()
        expansions = []
        for age in _AGE.findall(joined):
            if int(age) >= 60:
                expansions.append("nguoi cao tuoi")
            elif int(age) < 14:
                expansions.append("tre em duoi 14 tuoi")
        for source in sorted(lexicon.SYNONYMS, key=len, reverse=True):
            if re.search(rf"(?<![a-z0-9]){re.escape(source)}(?![a-z0-9])", joined):
                target = lexicon.SYNONYMS[source]
                if target not in joined:
                    expansions.append(target)
        full = " ".join([joined, *expansions]).strip()
        events = [
            event for event in lexicon.LIFE_EVENTS if any(_contains(full, normalise(p)) for p in event["phrases"])
        ]
        return Understanding(
            text=full,
            tokens=full.split(),
            words=self.segment(tokens),
            corrections=corrections,
            expansions=expansions,
            life_events=events,
        )

    # --- ranking ---------------------------------------------------------------------------------------------------

    def _bm25(self, doc: Doc, terms: list[str]) -> tuple[float, list[str]]:
        score, matched = 0.0, []
        n = len(self.docs)
        for term in terms:
            tf = doc.terms.get(term)
            if not tf:
                continue
            idf = math.log(1 + (n - self.df[term] + 0.5) / (self.df[term] + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc.length / self.avg_length))
            matched.append(term)
        return score, matched

    def rank(self, understanding: Understanding, limit: int = MAX_RESULTS) -> list[dict]:
        content = [t for t in understanding.tokens if t not in STOP and not (t.isdigit() and len(t) < 3)]
        terms = list(dict.fromkeys(content + _bigrams(understanding.tokens)))
        if not terms:
            return []
        phrase_hits: dict[str, str] = {}
        for phrase, owners in self.phrases.items():
            if _contains(understanding.text, phrase):
                for code, original in owners:
                    if len(phrase) > len(normalise(phrase_hits.get(code, ""))):
                        phrase_hits[code] = original
        event_codes = {code: e for e in understanding.life_events for code in e["codes"]}
        candidates = set(phrase_hits) | set(event_codes)
        term_set = set(terms)
        for doc in self.docs:
            if doc.code not in candidates and not term_set.isdisjoint(doc.terms):
                candidates.add(doc.code)
        scored = []
        for code in candidates:
            doc = self.by_code.get(code)
            if doc is None:
                continue
            score, matched = self._bm25(doc, terms)
            if code in phrase_hits:
                score += 8 + 3 * len(normalise(phrase_hits[code]).split())
            if code in event_codes:
                score += 3
            score *= self._variant_factor(doc, understanding.text)
            if doc.curated:
                score *= 1.15
            if score > 0:
                scored.append((score, doc, matched, phrase_hits.get(code), event_codes.get(code)))
        scored.sort(key=lambda item: (-item[0], item[1].code))
        return [
            {
                "code": doc.code,
                "name": doc.name,
                "score": round(score, 3),
                "why": _why(doc, matched, phrase, event),
                "doc": doc,
            }
            for score, doc, matched, phrase, event in scored[:limit]
        ]

    @staticmethod
    def _variant_factor(doc: Doc, text: str) -> float:
        factor = 1.0
        for _key, markers, settling in VARIANTS:
            if any(m in doc.folded_name for m in markers) and not any(_contains(text, s) for s in settling):
                factor *= 0.7
        if doc.applicant_types == ["business"] and any(_contains(text, w) for w in PERSON_WORDS):
            factor *= 0.7
        if doc.applicant_types == ["citizen"] and any(_contains(text, w) for w in BUSINESS_WORDS):
            factor *= 0.7
        return factor


def _contains(text: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {text} "


def _why(doc: Doc, matched: list[str], phrase: str | None, event: dict | None) -> str:
    reasons = []
    if phrase:
        reasons.append(f"khớp cách nói thường gặp «{phrase}»")
    if event:
        reasons.append(f"thuộc nhóm thủ tục khi «{event['name']}»")
    words = [m.replace("_", " ") for m in matched if "_" in m] or [m for m in matched if "_" not in m]
    if words:
        reasons.append("trùng các từ: " + ", ".join(dict.fromkeys(words[:5])))
    return "; ".join(reasons) or "liên quan đến câu hỏi"


# --- clarifying questions ------------------------------------------------------------------------------------------

SETTLED_OTHERWISE = {"again": ("lan dau",), "foreign": ("trong nuoc",)}
PERSON_WORDS = ("ca nhan", "ho gia dinh")
BUSINESS_WORDS = ("doanh nghiep", "cong ty", "to chuc", "hop tac xa")

CLARIFY_QUESTIONS = {
    "again": (
        "Bạn làm lần đầu hay làm lại (cấp lại, cấp đổi, gia hạn)?",
        [("Lần đầu", "lan dau"), ("Làm lại, cấp lại, đổi", "cap lai")],
    ),
    "foreign": (
        "Việc này có yếu tố nước ngoài không (một bên là người nước ngoài, ở nước ngoài)?",
        [("Không", "trong nuoc"), ("Có yếu tố nước ngoài", "co yeu to nuoc ngoai")],
    ),
    "applicant": (
        "Người làm thủ tục là cá nhân hay doanh nghiệp, tổ chức?",
        [("Cá nhân, hộ gia đình", "ca nhan"), ("Doanh nghiệp, tổ chức", "doanh nghiep")],
    ),
}


def clarify(index: Index, understanding: Understanding, results: list[dict]) -> list[dict]:
    """At most two questions about facets the best candidates differ on and the question does not settle."""
    if len(results) < 2:
        return []
    top = results[0]["score"]
    close = [r for r in results[:6] if r["score"] >= top * 0.5]
    if len(close) < 2:
        return []
    questions = []
    text = understanding.text
    for key, markers, settling in VARIANTS[:2]:
        flags = {any(m in r["doc"].folded_name for m in markers) for r in close}
        settled = any(_contains(text, s) for s in settling + SETTLED_OTHERWISE[key])
        if len(flags) == 2 and not settled:
            questions.append(key)
    kinds = {tuple(r["doc"].applicant_types) for r in close}
    if (
        ("citizen",) in kinds
        and ("business",) in kinds
        and not any(_contains(text, w) for w in PERSON_WORDS + BUSINESS_WORDS)
    ):
        questions.append("applicant")
    out = []
    for key in questions[:2]:
        question, options = CLARIFY_QUESTIONS[key]
        out.append(
            {
                "facet": key,
                "question": question,
                "options": [{"label": label, "q": f"{understanding.text} {extra}".strip()} for label, extra in options],
            }
        )
    return out


# --- the index, rebuilt when the catalogue changes -----------------------------------------------------------------

_lock = threading.Lock()
_cache: dict = {"key": None, "index": None}


def get_index(rows_loader, key) -> Index:
    """`key`: anything that changes with the catalogue (e.g. count + last update); `rows_loader()` gives the rows."""
    with _lock:
        if _cache["key"] != key or _cache["index"] is None:
            _cache["index"] = Index(rows_loader())
            _cache["key"] = key
        return _cache["index"]
