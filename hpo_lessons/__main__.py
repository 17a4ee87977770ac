"""``python -m hpo_lessons``: the same as the ``hpo-lessons`` command."""

import sys

from .cli import main

if __name__ == "__main__":  # compare's worker processes import this module again: run nothing then
    sys.exit(main())
