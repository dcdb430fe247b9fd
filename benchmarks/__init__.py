"""archlib's benchmarks: what users wait for, each figure against the baseline they would
otherwise use, measured in the same invocation. Run ``python -m benchmarks`` (or
``make bench``); results go to ``benchmarks/RESULTS.md``. Benchmarks are not tests: nothing
here asserts a time; ``tests/test_benchmarks.py`` only runs ``--quick`` so this cannot rot.

One module per figure: :mod:`.batch_reports` (1), :mod:`.report_weight` (2),
:mod:`.interactive` (3), :mod:`.robustness` (4), :mod:`.cli_start` (5), :mod:`.scale` (6);
shared timing helpers in :mod:`._timing`, the run context in :mod:`._core`, the naive
papermill + nbconvert baseline in :mod:`._naive`.
"""
