"""The benchmark data and pages of the apps above ``programs``.

Each app that has pages to measure keeps a module ``bench/app_<name>.py`` with

- ``DATA_VERSION`` (an int, raised whenever its data changes, so the database is rebuilt),
- ``generate() -> str``: adds its data to the 20,000-people world (``data.generate`` has run, in
  the same transaction) and returns a one-line summary,
- ``targets() -> list[dict]``: the pages to time, as ``Target`` keyword arguments (``label``,
  ``path``, and ``small``: the same page over little data, whose query count must match).

``pages.py`` finds them here, so adding an app's pages touches only that app's module.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent


def modules() -> list[ModuleType]:
    names = sorted(path.stem for path in HERE.glob("app_*.py"))
    return [importlib.import_module(name) for name in names]


def data_version(base: int) -> str:
    """The version of the whole data set: the foundation's and every app's."""
    parts = [str(base), *(f"{m.__name__}.{m.DATA_VERSION}" for m in modules())]
    return "+".join(parts)


def generate() -> list[str]:
    return [module.generate() for module in modules()]


def targets() -> list[dict[str, Any]]:
    return [target for module in modules() for target in module.targets()]
