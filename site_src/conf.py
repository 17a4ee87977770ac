"""Sphinx configuration of the course's website (`make site`; sources in site_src/, output in site/).

Tool: Sphinx with MyST-NB and sphinx-book-theme. This is the stack Jupyter Book 1.x runs
underneath (Jupyter Book 1 is a thin wrapper that writes this very conf.py), used directly so
that the build takes Sphinx's own flags (-W: every warning is an error), autodoc sees the
package, and nothing sits between us and the configuration. It is what the scientific Python
ecosystem publishes notebook courses with, and it installs from PyPI alone (`pip install -e
".[site]"`). MathJax 3 comes from the PyPI package sphinx-mathjax-offline and is copied into the
site: building and reading the site need no network and no CDN.

The chapters are the stored notebooks, never re-executed (nb_execution_mode = "off"). Every
`notebooks/[0-9][0-9]_*.ipynb` is copied into site_src/notebooks/ (ignored by git) at each build,
so a new chapter appears without touching this folder, and its page path matches the notebook's
path in the repository (which the Colab links are made from).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

REPOSITORY = "https://github.com/hpo-lessons/hpo-lessons"
BRANCH = "main"
COLAB = "https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main"

project = "hpo-lessons"
author = "hpo-lessons contributors"
copyright = "hpo-lessons contributors, MIT licence"
release = ""

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.githubpages",        # writes .nojekyll, so GitHub Pages serves _static/ as it is
    "sphinx-mathjax-offline",  # MathJax 3.2 served from _static/mathjax, no CDN
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]
templates_path = []
html_static_path = ["_static"]
html_css_files = ["course.css"]

# --- notebooks --------------------------------------------------------------------------------
nb_execution_mode = "off"            # the stored outputs of the course's one real run
nb_merge_streams = True              # one block per cell instead of a block per print()
nb_ipywidgets_js = {}                # no widget outputs; and never load require.js from a CDN
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3             # links to #a-heading inside a chapter resolve
myst_dmath_double_inline = True

# --- API reference --------------------------------------------------------------------------
# hpo_lessons.keras_task and the Keras Tuner / Optuna adapters import these at module level;
# documenting them must not start TensorFlow (or need any of them installed).
autodoc_mock_imports = ["tensorflow", "keras", "keras_tuner", "optuna", "jax", "torch", "dask", "distributed",
                        "tensorboard"]
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
# The facade and the subpackages re-export the same classes (hl.Space is hpo_lessons.core.Space),
# so a bare name in a docstring's signature (`params`) may match several entries: Sphinx then
# links the first, which is right for a re-export. Links between the site's pages (ref.doc,
# myst.xref_missing, ...) stay errors.
suppress_warnings = ["ref.python"]

# --- theme ------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Hyperparameter tuning, from scratch"
html_last_updated_fmt = None
html_copy_source = True              # the .ipynb of each chapter, served as its download
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "path_to_docs": "",              # page notebooks/09_x is the repository's notebooks/09_x.ipynb
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "home_page_in_toc": True,
}
# pydata-sphinx-theme reads the colour mode from this template variable, which sphinx-book-theme
# leaves empty: the page would then log "Got invalid theme mode" as a console error.
html_context = {"default_mode": "light"}

CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"


def chapters() -> list[Path]:
    return sorted((ROOT / "notebooks").glob(CHAPTER_GLOB))


def copy_chapters() -> None:
    """Mirror notebooks/[0-9][0-9]_*.ipynb into site_src/notebooks/ (only what changed)."""
    dest = HERE / "notebooks"
    dest.mkdir(exist_ok=True)
    wanted = {p.name for p in chapters()}
    for stale in dest.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for src in chapters():
        out = dest / src.name
        if not out.exists() or out.read_bytes() != src.read_bytes():
            shutil.copyfile(src, out)


copy_chapters()


def notebook_title(path: Path) -> str:
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def readme_summaries() -> dict[str, str]:
    """The "what you learn" column of the README's chapter table, by notebook file name."""
    rows = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*\d+\s*\|\s*\[[^\]]*\]\(notebooks/([^)]+\.ipynb)\)\s*\|(.*)\|\s*$", line)
        if m:
            rows[m.group(1)] = m.group(2).strip()
    return rows


def chapter_map() -> str:
    summaries = readme_summaries()
    lines = ["| chapter | what you learn |", "| --- | --- |"]
    for path in chapters():
        title = notebook_title(path)
        number, _, name = title.partition(". ")
        if not name:
            number, name = path.name[:2].lstrip("0"), title
        lines.append(f"| {number}.&nbsp;[{name}](notebooks/{path.name}) | {summaries.get(path.name, '')} |")
    return "\n".join(lines)


def chapter8_references() -> str:
    """The '## References' section of chapter 8, which merges every chapter's references."""
    path = ROOT / "notebooks" / "08_summary_and_outlook.ipynb"
    text = "\n\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                       if c["cell_type"] == "markdown")
    m = re.search(r"^## References[ \t]*\n(.*?)(?=^#{1,2} |\Z)", text, flags=re.S | re.M)
    if not m:
        raise RuntimeError(f"{path}: no '## References' section to put on the references page")
    return m.group(1).strip()


# The API page documents the facade and these subpackages by name, each through its __init__
# (what it exports), so modules moving inside a subpackage change nothing here.
API_SUBPACKAGES = {
    "core": "spaces, suggestions, the search loop `run`, its history, workers and journal",
    "methods": "the search methods, each an ask/tell optimizer",
    "benchmarks": "synthetic test functions and the tabulated learning curves",
    "keras_task": "the real objective: a Keras network trained on real data (imports Keras)",
    "frameworks": "Keras Tuner's oracles and Optuna's samplers and pruners as optimizers",
    "experiments": "profiles, noise, the method registry and multi-seed comparisons",
    "plots": "the course's figures",
    "exercises": "the checks of each chapter's exercises",
}


def api_subpackages() -> str:
    import importlib.util

    parts = []
    for name, what in API_SUBPACKAGES.items():
        module = f"hpo_lessons.{name}"
        if importlib.util.find_spec(module) is None:
            raise RuntimeError(f"{module} is named on the API page (site_src/conf.py) but cannot be found")
        parts.append(f"## `{module}`\n\n{what.capitalize()}.\n\n```{{eval-rst}}\n.. automodule:: {module}\n```\n")
    return "\n".join(parts)


PLACEHOLDERS = {
    "<!-- chapter-map -->": chapter_map,
    "<!-- references-of-chapter-8 -->": chapter8_references,
    "<!-- api-subpackages -->": api_subpackages,
}


def fill_placeholders(app, docname, source):
    for marker, make in PLACEHOLDERS.items():
        if marker in source[0]:
            source[0] = source[0].replace(marker, make())


COLAB_BADGE = "colab.research.google.com/assets/colab-badge.svg"


def offline_images(app, doctree):
    """The notebooks' Colab badge is an image on Google's servers: serve a local copy instead.

    Any other image from the network is a warning (so an error under -W): the site must
    read offline.
    """
    from docutils import nodes
    from sphinx.util import logging

    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if COLAB_BADGE in uri:
            image["uri"] = "/_static/colab-badge.svg"
        elif uri.startswith(("http://", "https://", "//")):
            logging.getLogger(__name__).warning("image loaded from the network: %s (the site must work offline)",
                                                uri, location=image)


def chapter_links(app, doctree):
    """Under each chapter's title: open in Colab, download the notebook, see it on GitHub."""
    from docutils import nodes

    docname = app.env.docname
    if not re.fullmatch(r"notebooks/\d\d_.*", docname):
        return
    ipynb = f"{docname}.ipynb"
    name = Path(ipynb).name
    html = (
        '<p class="chapter-links">'
        f'<a class="chapter-colab" href="{COLAB}/{ipynb}">Open in Colab</a>'
        f'<a class="chapter-download" href="../_sources/{ipynb}" download="{name}">Download {name}</a>'
        f'<a class="chapter-github" href="{REPOSITORY}/blob/{BRANCH}/{ipynb}">View on GitHub</a>'
        "</p>"
    )
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = next(iter(section.findall(nodes.title)))
    section.insert(section.index(title) + 1, nodes.raw("", html, format="html"))


class DocstringFormatNotes:
    """Docstrings whose reST docutils cannot parse cleanly are listed, not fatal.

    The package's docstrings are written for `help()` first (numpy-style sections in a compact
    form); a few of them trip docutils' reST parser (a field list without a closing blank line,
    say). Those messages come out as notes at the end of the build; everything else, in the
    chapters, the pages and autodoc itself (a module that fails to import), stays an error
    under -W. SITE_STRICT_DOCSTRINGS=1 makes these errors too.
    """

    def __init__(self):
        self.notes = []

    def filter(self, record):
        location = str(getattr(record, "location", "") or "")
        if getattr(record, "type", "") == "docutils" and ":docstring of hpo_lessons" in location:
            self.notes.append(f"{location}: {record.getMessage()}")
            return False
        return True

    @staticmethod
    def plain_text(app, doctree, docname):
        """What docutils could not parse shows as the text it is, not as a link to a message
        that is not on the page."""
        from docutils import nodes

        for node in list(doctree.findall(nodes.problematic)):
            node.parent.replace(node, nodes.Text(node.astext()))

    def report(self, app, exc):
        from sphinx.util import logging

        if self.notes:
            log = logging.getLogger(__name__)
            log.info("docstring format notes (%d, not fatal; SITE_STRICT_DOCSTRINGS=1 makes them errors):",
                     len(self.notes))
            for note in self.notes:
                log.info("  %s", note)


SECTION_UNDERLINE = re.compile(r"-{3,}")
ITEM = re.compile(r"(?P<name>[A-Za-z_*][\w, */.\[\]]*?) : (?P<rest>.*)")


def course_docstring(app, what, name, obj, options, lines):
    """The package's docstrings, written for help(), as reST.

    They use numpy-style section headers (Parameters, Returns, Examples over a dashed line) and
    "name : description" items, often with the description on the item's line and hanging
    continuation lines; napoleon would read that description as a type. Here a header becomes a
    rubric and each item a bullet ("name: description", continuation joined); a numpydoc item
    whose first line is a short type keeps it in parentheses.
    """
    joined: list[str] = []
    for line in lines:              # an item's names wrapped over two lines ("a, b,\nc : ...")
        if joined and joined[-1].rstrip().endswith(",") and not joined[-1].startswith(" ") \
                and ITEM.fullmatch(line) and not ITEM.fullmatch(joined[-1]):
            joined[-1] = joined[-1].rstrip() + " " + line
        else:
            joined.append(line)
    lines[:] = joined
    out: list[str] = []
    in_item = False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and not line.startswith(" ") and SECTION_UNDERLINE.fullmatch(nxt.strip()) \
                and len(nxt.strip()) >= len(line.strip()):
            out += [f".. rubric:: {line.strip()}", ""]
            in_item = False
            continue
        if SECTION_UNDERLINE.fullmatch(line.strip()) and out[-2:-1] and out[-2].startswith(".. rubric::"):
            continue
        m = ITEM.fullmatch(line)
        if m and (not out or not out[-1].strip() or in_item):
            rest = m["rest"].strip()
            is_type = bool(nxt.startswith(" ")) and len(rest.split()) <= 4 and not rest.endswith(".")
            text = f"({rest})" if is_type else rest
            if out and out[-1].strip() and not in_item:
                out.append("")
            out.append(f"* ``{m['name']}``: {text}")
            in_item = True
            continue
        if in_item and line.startswith(" ") and line.strip():
            out.append("  " + line.strip())
            continue
        if in_item and line.strip():
            out.append("")          # a list ends before the paragraph that follows it
        in_item = False
        out.append(line)
    lines[:] = out


def python_domain_keeping_first_canonical():
    """The Python domain, except that an object re-exported by two documented subpackages
    (Suggestion from both hpo_lessons.core and hpo_lessons.methods) registers its canonical name
    (hpo_lessons.core.protocols.Suggestion) once instead of warning of a duplicate."""
    from sphinx.domains.python import PythonDomain

    class CourseDomain(PythonDomain):
        def note_object(self, name, objtype, node_id, aliased=False, location=None):
            if aliased and name in self.objects and self.objects[name].aliased:
                return
            return super().note_object(name, objtype, node_id, aliased=aliased, location=location)

    return CourseDomain


def setup(app):
    import logging as std_logging
    import os

    app.add_domain(python_domain_keeping_first_canonical(), override=True)
    app.connect("autodoc-process-docstring", course_docstring)

    if os.environ.get("SITE_STRICT_DOCSTRINGS") != "1":
        notes = DocstringFormatNotes()
        for handler in std_logging.getLogger("sphinx").handlers:
            if type(handler).__name__ == "WarningStreamHandler":
                handler.filters.insert(0, notes)
        app.connect("build-finished", notes.report)
        app.connect("doctree-resolved", notes.plain_text)
    app.connect("source-read", fill_placeholders)
    app.connect("doctree-read", offline_images, priority=100)
    app.connect("doctree-read", chapter_links)
