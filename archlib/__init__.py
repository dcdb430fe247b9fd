"""archlib: the architecture decision workbook.

>>> import archlib
>>> ev = archlib.evaluate("s3-endpoints", {"vpc_count": 1})
>>> ev.recommended
'gateway'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import decisions
    from ._api import evaluate
    from ._engine import Evaluation
    from ._errors import InputError
    from ._inputs import evaluate_scenario
    from ._model import DecisionParams
    from ._scenario import Scenario, load_scenario

__all__ = [
    "DecisionParams",
    "Evaluation",
    "InputError",
    "Scenario",
    "__version__",
    "decisions",
    "evaluate",
    "evaluate_scenario",
    "load_scenario",
]

__version__ = "0.1.0"

#: Where each public name is defined. Imported on first use, so ``import archlib`` (or any
#: of its modules) costs nothing by itself: ``archlib report`` starts its workers' fork
#: server before it imports the rest (issue 23, see archlib._launch).
_DEFINED_IN = {
    "DecisionParams": "._model",
    "Evaluation": "._engine",
    "InputError": "._errors",
    "Scenario": "._scenario",
    "decisions": ".decisions",
    "evaluate": "._api",
    "evaluate_scenario": "._inputs",
    "load_scenario": "._scenario",
}


def __getattr__(name: str) -> Any:
    where = _DEFINED_IN.get(name)
    if where is None:
        raise AttributeError(f"module 'archlib' has no attribute {name!r}")
    module = importlib.import_module(where, __name__)
    value = module if name == "decisions" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})
