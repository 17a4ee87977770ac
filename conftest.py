"""Root pytest configuration: how nbval compares the course notebooks."""

import importlib.util
import os
from pathlib import Path

os.environ.setdefault("HPO_LESSONS_PROFILE", "quick")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

SANITIZE = Path(__file__).parent / "notebooks" / "sanitize.cfg"

# --doctest-modules imports every module it is given: never the chapters' sources (importing one runs the
# chapter), nor the adapters of a library this installation lacks (pip install -e ".[dev]" has no Optuna).
collect_ignore_glob = ["notebooks/src/*", "tools/*", "benchmarks/*", "site_src/*", "site/*"]
if importlib.util.find_spec("optuna") is None:
    collect_ignore_glob.append("hpo_lessons/frameworks/optuna_adapter.py")
if importlib.util.find_spec("keras_tuner") is None:
    collect_ignore_glob += ["hpo_lessons/frameworks/kt_*.py", "hpo_lessons/frameworks/shortcuts.py"]


def pytest_configure(config):
    """``pytest --nbval notebooks/`` with no other flag works as ``make test`` does: the course's
    sanitize file masks timings, addresses and temporary paths, and the notebooks run in the
    environment pytest runs in (where hpo_lessons is installed). Flags given explicitly win."""
    option = config.option
    if getattr(option, "nbval_sanitize_with", "absent") is None and not getattr(option, "sanitize_with", None):
        option.nbval_sanitize_with = str(SANITIZE)
    if getattr(option, "nbval_current_env", None) is False and not getattr(option, "nbval_kernel_name", None) \
            and not getattr(option, "current_env", False):
        option.nbval_current_env = True


def pytest_collectstart(collector):
    """Compare text outputs only: TensorFlow writes timestamped absl lines to stderr at import
    (even with TF_CPP_MIN_LOG_LEVEL set), progress bars are HTML widgets, and figures are
    checked by the code that draws them, not pixel by pixel."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr", "text/html", "application/javascript",
                                   "application/vnd.jupyter.widget-view+json", "image/png", "image/svg+xml")
