"""``archlib.evaluate``: one decision by its id (the package's own names are imported on
first use, see :mod:`archlib`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import decisions
from ._engine import Evaluation
from ._engine import evaluate as _evaluate
from ._model import DecisionParams
from ._robustness import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED

__all__ = ["evaluate"]


def evaluate(
    decision_id: str,
    params: Mapping[str, Any] | DecisionParams | None = None,
    *,
    prices: Mapping[str, Any] | None = None,
    exclude: Iterable[str] = (),
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    uniform: bool = False,
) -> Evaluation:
    """Evaluate one decision.

    ``params`` are the decision's parameters (missing ones take their defaults); ``prices``
    overrides items of the Region's price file; ``exclude`` lists option ids you exclude by
    policy (not scored or ranked; added to ``params["exclude"]``). ``samples``, ``seed``,
    ``concentration`` and ``uniform`` set how ``Evaluation.robustness`` samples weights
    (README, "Robustness"). Bad input raises :class:`InputError`.
    """
    return _evaluate(decisions.get(decision_id), params, prices=prices, exclude=exclude,
                     samples=samples, seed=seed, concentration=concentration, uniform=uniform)


evaluate.__module__ = "archlib"  # where users find it (help(), pickling by name)
