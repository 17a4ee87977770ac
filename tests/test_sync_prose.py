"""tools/sync_prose.py copies edited prose into an executed notebook and refuses when code changed
(the stored outputs would then no longer come from the code)."""

import importlib.util
from pathlib import Path

import jupytext
import nbformat
import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "sync_prose.py"
spec = importlib.util.spec_from_file_location("sync_prose", TOOL)
sync_prose = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sync_prose)

SOURCE = "# %% [markdown]\n# Old prose.\n\n# %%\nprint(1 + 1)\n"


@pytest.fixture
def chapter(tmp_path):
    """A source and its 'executed' notebook, with an output the sync must keep."""
    source = tmp_path / "src" / "99_demo.py"
    source.parent.mkdir()
    source.write_text(SOURCE)
    notebook = jupytext.reads(SOURCE, fmt="py:percent")
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    notebook.cells[1].execution_count = 1
    nbformat.write(notebook, tmp_path / "99_demo.ipynb")
    return source


def test_prose_is_copied_and_outputs_kept(chapter):
    chapter.write_text(SOURCE.replace("Old prose.", "New prose."))
    assert sync_prose.sync(chapter, chapter.parent.parent) == 1
    stored = nbformat.read(chapter.parent.parent / "99_demo.ipynb", as_version=4)
    assert stored.cells[0].source == "New prose." and stored.cells[1].outputs[0].text == "2\n"
    assert sync_prose.sync(chapter, chapter.parent.parent) == 0  # nothing left to copy


@pytest.mark.parametrize("edit", [lambda s: s.replace("1 + 1", "1 + 2"), lambda s: s + "\n# %%\nprint(3)\n"])
def test_a_code_change_is_refused(chapter, edit):
    chapter.write_text(edit(SOURCE))
    with pytest.raises(SystemExit, match="rebuild it"):
        sync_prose.sync(chapter, chapter.parent.parent)
