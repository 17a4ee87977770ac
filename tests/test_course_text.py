"""The chapters' text, read from their jupytext sources (notebooks/src/*.py): each ends with its
references, every reference is cited in its chapter's prose and listed in chapter 8's merged
list, and code cells stay short enough to read at a glance (at most 15 lines, the course's
rule for a cell: prose first, then a short cell, then what it shows)."""

import json
import re
from pathlib import Path

import jupytext
import pytest

SOURCES = Path(__file__).resolve().parents[1] / "notebooks" / "src"
CHAPTERS = sorted(p.stem for p in SOURCES.glob("[0-9][0-9]_*.py"))
MERGED = "08_summary_and_outlook"
MAX_CELL_LINES = 15

HEADING = re.compile(r"^#+\s+References\s*$", re.MULTILINE)
ENTRY = re.compile(r"^(?:-|\d+\.)\s+", re.MULTILINE)
AUTHORS_YEAR = re.compile(r"^(?P<authors>[^()]+?)\s*\((?P<year>\d{4})\)")
INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.(?:[- ]|-?[A-Z]\.)*)+$")


def markdown(name: str) -> list[str]:
    return [c.source for c in jupytext.read(SOURCES / f"{name}.py").cells if c.cell_type == "markdown"]


def split_references(name: str) -> tuple[str, str]:
    """The chapter's prose (every markdown cell, the reference list cut off) and the list itself."""
    text = "\n".join(markdown(name))
    found = list(HEADING.finditer(text))
    assert found, f"{name}: no '## References' heading"
    return text[:found[-1].start()], text[found[-1].end():]


def entries(references: str) -> list[str]:
    """Each list item of a reference section, its wrapped lines joined."""
    items = [" ".join(part.split()) for part in ENTRY.split(references)[1:]]
    return [item for item in items if item]


def surnames(authors: str) -> list[str]:
    """'LeCun, Y., Bottou, L. & Orr, G. B.' and 'LeCun, Bottou & Orr' both give the surnames in order."""
    names = []
    for part in re.split(r",\s*|\s+&\s+", authors.replace(" et al.", ", et al.")):
        part = part.strip()
        if part and not INITIALS.match(part) and part != "et al.":
            names.append(part.casefold())
    return names


def cited_works(name: str) -> list[tuple[list[str], str, str]]:
    """(surnames, year, entry) of every entry with authors and a year; software and pages have neither."""
    works = []
    for item in entries(split_references(name)[1]):
        match = AUTHORS_YEAR.match(item)
        if match:
            works.append((surnames(match["authors"]), match["year"], item))
    return works


def same_work(a: tuple[list[str], str, str], b: tuple[list[str], str, str]) -> bool:
    """Same year and first author, and one author list starts the other ('et al.' shortens a list)."""
    (names_a, year_a, _), (names_b, year_b, _) = a, b
    shorter, longer = sorted((names_a, names_b), key=len)
    return year_a == year_b and longer[:len(shorter)] == shorter


def is_cited(prose: str, first_author: str, year: str) -> bool:
    """The first author's surname, not as the last of a list ('& Bengio'), then the year close by."""
    pattern = rf"(?<!& ){re.escape(first_author)}\b[^.;]{{0,80}}?\b{year}\b"
    text = " ".join(prose.split()).replace("et al.", "et al")  # its full stop does not end a sentence
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def test_the_chapters_are_found():
    assert len(CHAPTERS) >= 11 and "12_population_based_training" in CHAPTERS and MERGED in CHAPTERS, CHAPTERS


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_ends_with_its_references(name):
    """The References heading is the chapter's last heading, with at least one entry under it."""
    text = "\n".join(markdown(name))
    headings = re.findall(r"^#+\s+(.+?)\s*$", text, flags=re.MULTILINE)
    assert headings[-1] == "References", f"{name}: the last heading is {headings[-1]!r}, not 'References'"
    assert entries(split_references(name)[1]), f"{name}: the References section lists nothing"


def test_the_parser_reads_both_citation_styles():
    """The two styles the chapters use: full names with initials, and surnames only."""
    assert surnames("LeCun, Y., Bottou, L., Orr, G. B. & Müller, K.-R.") == ["lecun", "bottou", "orr", "müller"]
    assert surnames("LeCun, Bottou, Orr & Müller") == ["lecun", "bottou", "orr", "müller"]
    assert surnames("Goyal, P. et al.") == ["goyal"] == surnames("Goyal et al.")
    assert is_cited("as shown (Kingma & Ba, 2015).", "kingma", "2015")
    assert is_cited("a warm-up at the start, Goyal et al., 2017", "goyal", "2017")
    assert is_cited("Goodfellow et al. (2016, sec. 5.3) define", "goodfellow", "2016")
    assert not is_cited("random search (Bergstra & Bengio, 2012)", "bengio", "2012")
    assert not is_cited("Kingma wrote it. In 2015, a", "kingma", "2015")


@pytest.mark.parametrize("name", [c for c in CHAPTERS if c != MERGED])
def test_every_reference_is_in_the_merged_list(name):
    """Chapter 8's list says it holds everything cited anywhere in the course."""
    merged = cited_works(MERGED)
    missing = [work[2] for work in cited_works(name) if not any(same_work(work, m) for m in merged)]
    assert not missing, f"{name} lists references that chapter 8's merged list lacks: {missing}"


@pytest.mark.parametrize("name", [c for c in CHAPTERS if c != MERGED])
def test_every_listed_reference_is_cited_in_the_prose(name):
    """A reference the chapter never cites (first author's surname and year) is dropped or cited where it belongs."""
    prose = split_references(name)[0]
    uncited = [item for names, year, item in cited_works(name) if not is_cited(prose, names[0], year)]
    assert not uncited, f"{name} lists references its prose never cites: {uncited}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_code_cells_are_short(name):
    cells = [c.source for c in jupytext.read(SOURCES / f"{name}.py").cells if c.cell_type == "code"]
    long = {i: len(s.splitlines()) for i, s in enumerate(cells) if len(s.splitlines()) > MAX_CELL_LINES}
    assert not long, (f"{name}: code cells over {MAX_CELL_LINES} lines (index among code cells: lines): {long}; "
                      "split them at a natural seam")


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapters_call_the_backend_setup_by_its_name(name):
    """Chapter 1 teaches `setup_backend`; `setup_tensorflow` is only an alias kept in the package."""
    code = "\n".join(c.source for c in jupytext.read(SOURCES / f"{name}.py").cells if c.cell_type == "code")
    assert "setup_tensorflow" not in code, f"{name}: call setup_backend, the name chapter 1 uses"



EQUALITY_PHRASES = ("no difference", "equally good", "as good as", "does not beat", "do not beat", "no method",
                    "no better than", "same as random")
"""Phrasings that read a difference not found as a difference absent (Lakens, 2017: "not significant" is
not "equal"). A chapter says "not decided at N seeds", or quotes an equivalence verdict with its margin."""
EQUIVALENCE_ALLOWANCE = "within ±"
"""A sentence containing this (an equivalence verdict with its margin, worded as ``Verdict.text`` words it)
may use the phrases: "equivalent within ±1.0 points" states a margin fixed in advance."""
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(*$`\[])|\n\s*\n|\n(?=\s*(?:[-*|]|\d+\.)\s)")
COMMENT = re.compile(r"(?:^|\s)#\s?(.*)$", re.MULTILINE)


def prose_sentences(notebook) -> list[tuple[int, str]]:
    """(cell index, sentence) of a notebook's prose: its markdown cells and its code cells' comments.

    The strings a code cell prints are output, not prose (a printed ``Verdict.text`` is judged by the
    statistics layer), so only the comments of code cells are read.
    """
    out = []
    for i, cell in enumerate(notebook.cells):
        text = cell.source if cell.cell_type == "markdown" else "\n".join(COMMENT.findall(cell.source))
        out += [(i, " ".join(s.split())) for s in SENTENCE_END.split(text) if s.strip()]
    return out


def reads_as_equality(sentence: str) -> list[str]:
    """The phrases of ``EQUALITY_PHRASES`` in a sentence, unless it carries the equivalence allowance."""
    if EQUIVALENCE_ALLOWANCE in sentence:
        return []
    lowered = sentence.casefold()
    return [p for p in EQUALITY_PHRASES if re.search(rf"\b{re.escape(p)}\b", lowered)]


def test_the_equality_finder_reads_what_it_should():
    """Sentences of known kind through the same functions: flagged, allowed, and printed output left alone."""
    for flagged in ("TPE is no better than random search here.", "No method differs from random search.",
                    "The GA does not beat BO at 20 trials.", "Both are equally good.", "BO is as good as TPE.",
                    "There is no difference between them.", "Hyperband is the same as random here."):
        assert reads_as_equality(flagged), flagged
    for allowed in ("ReLU and tanh equivalent within ±2.0 points: the whole interval lies inside the margin "
                    "stated in advance, so tanh is as good as ReLU to that margin.",
                    "Not decided at 10 seeds: the difference could be up to 3 points.",
                    "A methodical search."):  # a word that only starts like a phrase
        assert not reads_as_equality(allowed), allowed
    text = ("# %% [markdown]\n# One. Two is no better than three.\n#\n# - a list item\n\n"
            "# %%\nprint('no better than')  # a comment\n")
    sentences = [s for _, s in prose_sentences(jupytext.reads(text, fmt="py:percent"))]
    assert sentences == ["One.", "Two is no better than three.", "- a list item", "a comment"], sentences


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_sentence_reads_non_significance_as_equality(name):
    """A difference not detected is "not decided at N seeds", never "no difference" or "as good as".

    The exception is an equivalence verdict, whose sentence states its margin ("within ±").
    """
    found = [f"cell {i}: {hits} in {s[:200]!r}" for i, s in prose_sentences(jupytext.read(SOURCES / f"{name}.py"))
             for hits in [reads_as_equality(s)] if hits]
    assert not found, (f"{name} reads non-significance as equality; quote a verdict (better / equivalent within "
                       f"± a margin / not decided at N seeds) instead:\n" + "\n".join(found))


QUOTE = re.compile(r'"([^"]{10,800}?)"|“([^”]{10,800}?)”')
VERDICT_SHAPE = re.compile(r"better than [^:]{1,80}: [+-]?\d|not decided at \d+|equivalent within ±")
"""What ``Verdict.text`` prints: "A better than B: +1.2 ...", "A vs B not decided at 20 paired seeds: ...",
"A and B equivalent within ±0.5 ...". A quoted article claim ("BO is better than grid search") has no such shape."""
ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")


def stored_output(name: str) -> str:
    """Every text output of the executed notebook, whitespace collapsed: what a quote must come from."""
    notebook = json.loads((SOURCES.parent / f"{name}.ipynb").read_text(encoding="utf-8"))
    texts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            texts.append("".join(text) if isinstance(text, list) else text)
    return " ".join(" ".join(texts).split())


def quoted_verdicts(name: str) -> list[str]:
    """The verdicts a chapter's prose quotes, whitespace collapsed."""
    prose = " ".join(" ".join(markdown(name)).split())
    return [a or b for a, b in QUOTE.findall(prose) if VERDICT_SHAPE.search(a or b)]


def test_the_quote_finder_reads_what_it_should():
    prose = ('The race says "GA at 80 better than random search: -0.60 (lower is better; 95% CI -0.89 to '
             '-0.42)", and "GA at 20 vs random search not decided at 20 paired seeds: ... between -0.4 and +1.4"; '
             'the article claims "BO is better than grid search".')
    found = [a or b for a, b in QUOTE.findall(prose) if VERDICT_SHAPE.search(a or b)]
    assert len(found) == 2 and found[1].startswith("GA at 20"), found
    assert [p for p in ELLIPSIS.split(found[1]) if p] == ["GA at 20 vs random search not decided at 20 paired seeds:",
                                                          "between -0.4 and +1.4"]


@pytest.mark.parametrize("name", CHAPTERS)
def test_quoted_verdicts_come_from_the_stored_outputs(name):
    """A verdict the prose quotes is printed, word for word, by the chapter's own run (an ellipsis may
    skip words): a rebuild that moves a number makes the quote fail here instead of going stale."""
    output = stored_output(name)
    stale = [quote for quote in quoted_verdicts(name)
             if not all(part in output for part in ELLIPSIS.split(quote) if part.strip())]
    assert not stale, (f"{name}: quoted verdicts that its stored outputs do not print (copy them from the run's "
                       "output):\n" + "\n".join(stale))
