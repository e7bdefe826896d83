"""The English catalogue covers the interface: every msgid of the source (Python `gettext` calls and template
`{% translate %}` / `{% blocktranslate %}` tags under src/dichvucong) has an English translation in the committed,
compiled catalogue (src/dichvucong/locale/en/LC_MESSAGES/django.mo), and that .mo is the compilation of the .po, which
has no fuzzy or empty entry.

The msgids are found as `manage.py makemessages` finds them (templates through Django's own `templatize`), without
the gettext tools, so a string added without `makemessages -l en` + a translation + `compilemessages -l en` fails here
with its msgid and file. Regenerate from src/dichvucong: `../../.venv/bin/python ../../manage.py makemessages -l en
--no-obsolete`, translate, then `.venv/bin/python manage.py compilemessages -l en --ignore=.venv`.
"""

import ast
import gettext as gettext_module
import io
import re
import tokenize
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

import dichvucong

SOURCE = Path(dichvucong.__file__).resolve().parent
CATALOGUE = SOURCE / "locale" / "en" / "LC_MESSAGES"

# keyword -> (index of the context argument or None, indexes of the msgid arguments), as makemessages passes them to
# xgettext (plus xgettext's own Python keywords).
KEYWORDS = {
    "_": (None, (0,)),
    "gettext": (None, (0,)),
    "gettext_lazy": (None, (0,)),
    "gettext_noop": (None, (0,)),
    "ngettext": (None, (0, 1)),
    "ngettext_lazy": (None, (0, 1)),
    "pgettext": (0, (1,)),
    "pgettext_lazy": (0, (1,)),
    "npgettext": (0, (1, 2)),
    "npgettext_lazy": (0, (1, 2)),
}
Msgid = tuple[str | None, str, str | None]  # (context, msgid, msgid_plural)


def _literal(args: list[list[tokenize.TokenInfo]], n: int) -> str | None:
    """The n-th argument if it is a string literal (adjacent literals joined), else None."""
    if n >= len(args) or not args[n] or any(t.type != tokenize.STRING for t in args[n]):
        return None
    try:
        value = ast.literal_eval(" ".join(t.string for t in args[n]))
    except (ValueError, SyntaxError):  # an f-string: not extractable (makemessages skips it too)
        return None
    return value if isinstance(value, str) else None


def _calls(code: str) -> list[Msgid]:
    """The msgids of the keyword calls in Python-like code whose arguments are string literals."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(code).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    ]
    found = []
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS or tokens[i + 1].string != "(":
            continue
        if i and tokens[i - 1].string == "def":
            continue
        args: list[list[tokenize.TokenInfo]] = [[]]
        depth = 0
        for t in tokens[i + 2 :]:
            if t.string in "([{" and t.type == tokenize.OP:
                depth += 1
            elif t.string in ")]}" and t.type == tokenize.OP:
                if depth == 0:
                    break
                depth -= 1
            elif t.string == "," and depth == 0:
                args.append([])
                continue
            args[-1].append(t)

        context_at, msgid_at = KEYWORDS[token.string]
        texts = [_literal(args, n) for n in msgid_at]
        context = _literal(args, context_at) if context_at is not None else None
        if texts[0] and (context_at is None or context is not None):
            found.append((context, texts[0], texts[1] if len(texts) > 1 else None))
    return found


def source_msgids() -> dict[Msgid, str]:
    """Every msgid of the source with the first file using it."""
    found: dict[Msgid, str] = {}
    for path in sorted(SOURCE.rglob("*")):
        relative = path.relative_to(SOURCE)
        if not path.is_file() or any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.suffix == ".py":
            code = path.read_text(encoding="utf-8")
        elif path.suffix in (".html", ".txt"):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            code = "\n".join(line.lstrip() for line in code.splitlines())  # masked text: only the calls count
        else:
            continue
        for msgid in _calls(code):
            found.setdefault(msgid, str(relative))
    return found


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file (header and obsolete `#~` entries left out): flags, msgctxt, msgid, msgid_plural,
    msgstr (a list: one per plural form)."""
    entries, entry, field = [], None, None

    def close():
        if entry is not None and entry.get("msgid"):
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~") or not line.strip():
            continue
        if line.startswith("#,"):
            close()
            entry, field = {"flags": {f.strip() for f in line[2:].split(",")}, "msgstr": {}}, None
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and (entry is None or "msgid" in entry):
                close()
                entry = {"flags": set(), "msgstr": {}}
            field = keyword
        if field.startswith("msgstr"):
            index = int(re.search(r"\[(\d+)\]", field).group(1)) if "[" in field else 0
            entry["msgstr"][index] = entry["msgstr"].get(index, "") + value
        else:
            entry[field] = entry.get(field, "") + value
    close()
    for e in entries:
        e["msgstr"] = [e["msgstr"][i] for i in sorted(e["msgstr"])]
    return entries


def compiled() -> dict:
    with open(CATALOGUE / "django.mo", "rb") as mo:
        return gettext_module.GNUTranslations(mo)._catalog


def _key(context: str | None, msgid: str) -> str:
    return f"{context}\x04{msgid}" if context else msgid


def _english(catalogue: dict, context: str | None, msgid: str, plural: str | None) -> list[str]:
    key = _key(context, msgid)
    if plural:
        return [catalogue.get((key, n), "") for n in (0, 1)]
    return [catalogue.get(key, "")]


@pytest.fixture(scope="module")
def found():
    return source_msgids()


def test_the_extraction_finds_the_catalogue(found):
    """The scan finds what makemessages found (else a missing English string could hide behind a blind scan)."""
    in_po = {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in po_entries(CATALOGUE / "django.po")}
    assert len(found) > 1500
    not_found = sorted(in_po - set(found), key=str)
    assert not not_found, f"in django.po but not found in the source (run makemessages --no-obsolete?): {not_found}"


def test_every_source_string_has_an_english_translation(found):
    catalogue = compiled()
    missing = [
        f"{where}: {msgid!r}"
        for (context, msgid, plural), where in sorted(found.items(), key=lambda item: item[1])
        if not all(_english(catalogue, context, msgid, plural))
    ]
    assert not missing, f"{len(missing)} msgids without English (makemessages -l en, translate, compile):\n" + (
        "\n".join(missing[:50])
    )


def test_the_po_has_no_fuzzy_or_empty_entry_and_the_mo_is_its_compilation():
    entries = po_entries(CATALOGUE / "django.po")
    assert len(entries) > 1500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not all(e["msgstr"])]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:20]}"
    assert not empty, f"untranslated entries: {empty[:20]}"
    catalogue = compiled()
    stale = [
        e["msgid"]
        for e in entries
        if _english(catalogue, e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) != e["msgstr"]
    ]
    assert not stale, f"django.mo is not compiled from django.po (compilemessages -l en): {stale[:20]}"


def test_placeholders_survive_the_translation():
    """%(name)s / %s / %% of a msgid are in its English (msgfmt --check-format, without msgfmt)."""
    placeholder = re.compile(r"%\([^)]+\)[sdfr]|%[sdfr]|%%")
    wrong = []
    for e in po_entries(CATALOGUE / "django.po"):
        if "python-format" not in e["flags"]:
            continue
        sources = [e["msgid"], e.get("msgid_plural") or e["msgid"]]
        for n, english in enumerate(e["msgstr"]):
            if sorted(placeholder.findall(sources[min(n, 1)])) != sorted(placeholder.findall(english)):
                wrong.append((e["msgid"], english))
    assert not wrong, wrong[:20]
