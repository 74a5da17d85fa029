"""Latency of a function: the median of timed runs after warm-up runs."""

import statistics
import time


def measure(function, synchronize=lambda: None, warmup=3, min_runs=5,
            max_runs=50, max_seconds=2.0):
    """The median time of one call of `function` in milliseconds.

    `function` runs `warmup` times, then at least `min_runs` and at most
    `max_runs` times, stopping once `max_seconds` have passed;
    `synchronize` waits for work the call queued (a GPU's stream) before
    each clock reading. A first call slower than `max_seconds` is the only
    one: its time is returned, so that a slow path cannot use up the
    machine's time.
    """
    begin = time.perf_counter()
    function()
    synchronize()
    first = time.perf_counter() - begin
    if first > max_seconds:
        return 1e3 * first
    for _ in range(warmup - 1):
        function()
    synchronize()
    times = []
    start = time.perf_counter()
    while len(times) < max_runs and (
            len(times) < min_runs or
            time.perf_counter() - start < max_seconds):
        begin = time.perf_counter()
        function()
        synchronize()
        times.append(time.perf_counter() - begin)
    return 1e3 * statistics.median(times)
