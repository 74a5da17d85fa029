#!/usr/bin/env python3
"""Checks that a file is a valid Chrome / Perfetto trace-event JSON file.

Usage:
  check_trace.py TRACE.json [--pids N] [--categories run,kernel,...]
                 [--name NAME ...]

What `exaforge run --profile` and `exaforge-run --profile` write must open in
Perfetto (ui.perfetto.dev) and chrome://tracing. This checks it against the
trace-event format (the "Trace Event Format" document of the Chromium
project):

- the file is UTF-8 and strict JSON (no control characters in strings: node
  names must be escaped), either an object with a `traceEvents` array or a
  bare array of events;
- every event is an object with a string `ph` of a known phase and integer
  `pid` and `tid`; every event but metadata (`M`) has a numeric `ts`;
  `name` and `cat`, where present, are strings; a complete event (`X`) has
  a numeric `dur` >= 0;
- on each thread (pid, tid), `B` and `E` events balance (an `E` closes the
  last open `B`, and names the same event when it names one), and complete
  events nest: one that starts inside another ends inside it (to 1 ns,
  the precision of the times).

--pids N also requires exactly N processes (one per rank), --categories
that each listed category has at least one event, and --name that an event
has exactly that name (to check how a name came through escaping). Prints
a one-line summary, or the first problems and exits 1.
"""

import argparse
import json
import sys
from collections import defaultdict

# The phases of the trace-event format.
PHASES = set("BEXiIbneCsftPNODMRcV(),=")
# Times are in microseconds, written to the nanosecond.
TOLERANCE_US = 1e-3


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_event(index, event, problems):
    """Checks the fields of one event; returns whether it can be used."""
    where = f"event {index}"
    if not isinstance(event, dict):
        problems.append(f"{where}: not an object")
        return False
    phase = event.get("ph")
    if not isinstance(phase, str) or phase not in PHASES:
        problems.append(f"{where}: 'ph' must be a trace-event phase, got {phase!r}")
        return False
    for key in ("pid", "tid"):
        if not is_integer(event.get(key)):
            problems.append(f"{where}: '{key}' must be an integer, got {event.get(key)!r}")
            return False
    for key in ("name", "cat"):
        if key in event and not isinstance(event[key], str):
            problems.append(f"{where}: '{key}' must be a string, got {event[key]!r}")
    if phase != "M" and not is_number(event.get("ts")):
        problems.append(f"{where}: 'ts' must be a number, got {event.get('ts')!r}")
        return False
    if phase == "X":
        duration = event.get("dur")
        if not is_number(duration) or duration < 0:
            problems.append(f"{where}: a complete event needs a 'dur' >= 0, got {duration!r}")
            return False
    if "args" in event and not isinstance(event["args"], dict):
        problems.append(f"{where}: 'args' must be an object")
    return True


def check_threads(events, problems):
    """Balances B/E events and checks that X events nest, per thread."""
    threads = defaultdict(list)
    for index, event in events:
        if event["ph"] in "BEX":
            threads[(event["pid"], event["tid"])].append((index, event))
    for (pid, tid), thread in threads.items():
        where = f"pid {pid} tid {tid}"
        open_events = []
        for index, event in thread:
            if event["ph"] == "B":
                open_events.append((index, event))
            elif event["ph"] == "E":
                if not open_events:
                    problems.append(f"{where}: event {index} ends nothing ('E' without 'B')")
                    continue
                _, begin = open_events.pop()
                if "name" in event and event["name"] != begin.get("name"):
                    problems.append(f"{where}: event {index} ends {event['name']!r}, "
                                    f"but {begin.get('name')!r} is open")
                if event["ts"] + TOLERANCE_US < begin["ts"]:
                    problems.append(f"{where}: event {index} ends before it begins")
        for index, event in open_events:
            problems.append(f"{where}: event {index} ({event.get('name')!r}) never ends")
        complete = sorted((event["ts"], -event["dur"], index, event)
                          for index, event in thread if event["ph"] == "X")
        stack = []
        for start, negative_duration, index, event in complete:
            end = start - negative_duration
            while stack and stack[-1][0] <= start + TOLERANCE_US:
                stack.pop()
            if stack and end > stack[-1][0] + TOLERANCE_US:
                problems.append(f"{where}: event {index} ({event.get('name')!r}) overlaps "
                                f"event {stack[-1][1]} without nesting in it")
            stack.append((end, index))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trace")
    parser.add_argument("--pids", type=int, help="the number of processes required")
    parser.add_argument("--categories", default="",
                        help="comma-separated categories that must have events")
    parser.add_argument("--name", action="append", default=[],
                        help="an event name that must be present (repeatable)")
    args = parser.parse_args()

    problems = []
    try:
        with open(args.trace, "rb") as file:
            text = file.read().decode("utf-8")
        document = json.loads(text, strict=True)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        print(f"{args.trace}: not a trace-event file: {error}", file=sys.stderr)
        return 1
    events = document.get("traceEvents") if isinstance(document, dict) else document
    if not isinstance(events, list):
        print(f"{args.trace}: needs a 'traceEvents' array", file=sys.stderr)
        return 1

    usable = [(index, event) for index, event in enumerate(events)
              if check_event(index, event, problems)]
    check_threads(usable, problems)
    pids = {event["pid"] for _, event in usable}
    categories = defaultdict(int)
    names = set()
    for _, event in usable:
        if event["ph"] == "M":
            continue
        if "cat" in event:
            categories[event["cat"]] += 1
        if "name" in event:
            names.add(event["name"])
    if args.pids is not None and len(pids) != args.pids:
        problems.append(f"{len(pids)} process(es) {sorted(pids)}, expected {args.pids}")
    for category in filter(None, args.categories.split(",")):
        if not categories.get(category):
            problems.append(f"no event of category '{category}'")
    for name in args.name:
        if name not in names:
            problems.append(f"no event named {name!r}")

    if problems:
        for problem in problems[:20]:
            print(f"{args.trace}: {problem}", file=sys.stderr)
        if len(problems) > 20:
            print(f"{args.trace}: ... and {len(problems) - 20} more", file=sys.stderr)
        return 1
    summary = ", ".join(f"{name} {count}" for name, count in sorted(categories.items()))
    print(f"trace ok: {len(events)} events, {len(pids)} process(es); {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
