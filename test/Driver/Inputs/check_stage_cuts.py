"""Checks that `exaforge plan` prices the stage cuts `exaforge compile --pp`
makes (used by test/Driver/plan-pipeline-cuts.test).

usage: check_stage_cuts.py PLAN.json GRAPH.mlir --dp D --tp T --pp P

GRAPH.mlir is `exaforge compile --emit=graph` of the same layout: one
`case` region per stage (`default` for the last). Each stage's ops, not
counting the constants and weight reads it materializes and its transfers,
must be as many as the planner's cut (`stage_first_ops`) gives it.
"""

import argparse
import json
import re
import sys

OP = re.compile(r'^\s*(%[\w#:]+ = )?"?(graph|dist)\.(\w+)')
NOT_CUT = {"constant", "weight_ref", "send", "recv", "axis_index"}


def count_stage_ops(lines):
    counts = []
    current = None
    for line in lines:
        if re.match(r"^\s*(case \d+|default) \{", line):
            current = 0
            counts.append(0)
            continue
        match = OP.match(line)
        if current is not None and match and match.group(3) not in NOT_CUT:
            counts[-1] += 1
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("plan")
    parser.add_argument("graph")
    for flag in ("dp", "tp", "pp"):
        parser.add_argument("--" + flag, type=int, required=True)
    args = parser.parse_args()
    with open(args.plan) as f:
        plan = json.load(f)
    layouts = [layout for layout in plan["layouts"]
               if (layout["dp"], layout["tp"], layout["pp"]) ==
               (args.dp, args.tp, args.pp)]
    if len(layouts) != 1:
        sys.exit(f"error: the plan lists {len(layouts)} layouts dp {args.dp} "
                 f"x tp {args.tp} x pp {args.pp}")
    starts = layouts[0]["stage_first_ops"]
    with open(args.graph) as f:
        counts = count_stage_ops(f.readlines())
    planned = [b - a for a, b in zip(starts, starts[1:])]
    compiled = counts[:-1]
    if planned != compiled:
        sys.exit(f"error: the planner cuts stages of {planned} ops (then the "
                 f"rest), the compiler {counts}")
    print(f"ok: stages of {counts} ops")


if __name__ == "__main__":
    main()
