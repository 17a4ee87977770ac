"""``python -m hpo_lessons``: the same as the ``hpo-lessons`` command."""

import sys

from .cli import main

sys.exit(main())
