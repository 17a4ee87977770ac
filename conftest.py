"""Root pytest configuration: how nbval compares the course notebooks."""

import os

os.environ.setdefault("HPO_LESSONS_PROFILE", "quick")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def pytest_collectstart(collector):
    """Compare text outputs only: TensorFlow writes timestamped absl lines to stderr at import
    (even with TF_CPP_MIN_LOG_LEVEL set), progress bars are HTML widgets, and figures are
    checked by the code that draws them, not pixel by pixel."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr", "text/html", "application/javascript",
                                   "application/vnd.jupyter.widget-view+json", "image/png", "image/svg+xml")
