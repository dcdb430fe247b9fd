"""The in-process floor of a batch report (issue 23): the same notebook cells, papermill's
parameters cell, exporter and template as ``archlib report``, but the cells run in this
process's IPython shell, with no kernel, no messaging and no worker processes.

Run as ``python -m benchmarks._floor ROUNDS SCENARIO...``: prints one JSON object, the
seconds and CPU seconds (this process and its ``dot`` children) per report, median over
rounds after one untimed round."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _renderer(temp_dir: str) -> Any:
    """archlib's worker-side renderer with the kernel replaced by this process's shell."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from archlib.report import rendering

    shell: Any = InteractiveShell.instance()  # IPython and nbformat carry no types
    v4: Any = nbformat.v4

    class InProcess(rendering.Renderer):
        def __init__(self, settings: Any) -> None:  # no kernels: only the export machinery
            self.settings = settings
            self._next = None
            self._parent = None
            self._scratch = tempfile.mkdtemp(prefix="floor-", dir=temp_dir)
            self._load()

        def run_notebook(self, ev: Any, scenario: Any, warm_next: bool) -> Any:
            nb = load_notebook_node(self._input(ev.decision.notebook))
            nb = parameterize_notebook(nb, rendering.notebook_parameters(ev, scenario))
            shell.reset(new_session=False)
            count = 0
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                count += 1
                with capture_output() as captured:
                    result = shell.run_cell(cell.source, store_history=False)
                outputs = []
                if captured.stdout:
                    outputs.append(v4.new_output("stream", name="stdout",
                                                          text=captured.stdout))
                for shown in captured.outputs:
                    outputs.append(v4.new_output("display_data", data=shown.data,
                                                          metadata=shown.metadata))
                if result.result is not None:
                    data, metadata = shell.display_formatter.format(result.result)
                    outputs.append(v4.new_output(
                        "execute_result", data=data, metadata=metadata, execution_count=count))
                cell.outputs = outputs
                cell.execution_count = count
            return nb

    return InProcess


def main(argv: list[str]) -> dict[str, float]:
    from archlib import decisions, report
    from archlib._engine import evaluate
    from archlib._scenario import load_scenario
    from archlib.report.jobs import Settings

    rounds, paths = int(argv[0]), [Path(p) for p in argv[1:]]
    jobs = []
    for path in paths:
        scenario = load_scenario(path)
        for decision_id, params in scenario.decisions.items():
            jobs.append((scenario, evaluate(decisions.get(decision_id), params,
                                            prices=scenario.prices, where=str(path))))
    report.warm_kernel()
    with tempfile.TemporaryDirectory(prefix="archlib-floor-") as temp_dir:
        settings = Settings(temp_dir, report.generated_at(), False, report.KERNEL_NAME,
                                    report.CELL_TIMEOUT_S, report.START_TIMEOUT_S,
                                    str(report.NOTEBOOK_DIR), temp_dir)
        renderer = _renderer(temp_dir)(settings)
        seconds, cpu = [], []
        for n in range(rounds + 1):
            start, start_cpu = time.perf_counter(), _cpu_s()
            for scenario, ev in jobs:
                body, notebook_text = renderer.render(ev, scenario)
                if "<main>" not in body or not notebook_text:
                    raise RuntimeError("the in-process floor wrote no report")
            if n:  # the first round only warms up
                seconds.append((time.perf_counter() - start) / len(jobs))
                cpu.append((_cpu_s() - start_cpu) / len(jobs))
        renderer.close()
    return {"seconds": statistics.median(seconds), "cpu_s": statistics.median(cpu),
            "min": min(seconds), "max": max(seconds), "runs": len(seconds),
            "reports": len(jobs)}


if __name__ == "__main__":
    os.environ.pop("ARCHLIB_DIAGRAM_CACHE", None)  # the cells as they are: Graphviz each time
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # as workers do
    print(json.dumps(main(sys.argv[1:])))
