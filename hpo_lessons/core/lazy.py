"""Names a package offers without importing their modules until first use (PEP 562).

``keras_task`` and ``frameworks`` use it so that importing them costs nothing until a name that
needs Keras, Keras Tuner or Optuna is read.
"""

from __future__ import annotations

import importlib


def lazy(package: str, homes: dict[str, str], default: str | None = None):
    """``(__getattr__, __dir__)`` for ``package``: name ``n`` is read from submodule ``homes[n]``
    (else ``default``), and a submodule's own name gives the submodule."""

    def __getattr__(name: str):
        home = homes.get(name, default)
        if name.startswith("__") or home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f"{package}.{home}")
        value = module if name == home else getattr(module, name)
        globals_ = importlib.import_module(package).__dict__
        globals_[name] = value  # read once: later lookups are ordinary attribute reads
        return value

    def __dir__():
        return sorted(set(homes) | set(importlib.import_module(package).__dict__))

    return __getattr__, __dir__
