"""Checks `exaforge plan --json` of a GPT-2-style model against the Megatron
layout (used by test/Driver/plan.test).

usage: check_plan.py PLAN.json --layers L --heads H --hidden D --seq S

- every layout listed fits in device memory, and the best keeps tensor
  parallelism inside a node (tp <= devices per node);
- every layout whose tp divides the heads communicates, for tensor
  parallelism, exactly what Megatron does: 2 all-reduces per block (after
  attention and after the MLP) of the local batch x seq x hidden floats;
- a layout whose tensor-parallel group spans nodes says so in its reason.
"""

import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("plan")
    for flag in ("layers", "heads", "hidden", "seq"):
        parser.add_argument("--" + flag, type=int, required=True)
    args = parser.parse_args()
    with open(args.plan) as f:
        plan = json.load(f)

    errors = []
    layouts = plan["layouts"]
    if not layouts:
        errors.append("no layout listed")
    for layout in layouts:
        if layout["memory_per_device_bytes"] > plan["device_memory_bytes"]:
            errors.append(f"layout {layout['rank']} does not fit")
        if layout["dp"] * layout["tp"] * layout["pp"] != plan["ranks"]:
            errors.append(f"layout {layout['rank']} does not use every rank")
    best = layouts[0]
    if best["tp"] > plan["devices_per_node"]:
        errors.append(f"the best layout has tp {best['tp']} > "
                      f"{plan['devices_per_node']} devices per node")

    checked = 0
    for layout in layouts:
        tp = layout["tp"]
        if tp == 1 or args.heads % tp != 0:
            continue
        local_batch = plan["batch"] // layout["dp"]
        expected_bytes = 2 * args.layers * local_batch * args.seq * \
            args.hidden * 4
        expected_count = 2 * args.layers * layout["microbatches"]
        if layout["tp_all_reduces_per_step"] != expected_count or \
                layout["tp_collectives_per_step"] != expected_count:
            errors.append(f"layout {layout['rank']}: "
                          f"{layout['tp_collectives_per_step']} collectives, "
                          f"{layout['tp_all_reduces_per_step']} all-reduces, "
                          f"expected {expected_count} all-reduces")
        if layout["tp_comm_bytes_per_step"] != expected_bytes:
            errors.append(f"layout {layout['rank']}: tp communicates "
                          f"{layout['tp_comm_bytes_per_step']} bytes, "
                          f"Megatron {expected_bytes}")
        checked += 1
        if layout["tp_nodes_spanned"] > 1 and \
                "spans" not in layout["why_not_best"]:
            errors.append(f"layout {layout['rank']} spans nodes but its "
                          f"reason does not say so: {layout['why_not_best']}")
    if checked == 0:
        errors.append("no tensor-parallel layout to compare with Megatron")

    for error in errors:
        print("error:", error)
    if errors:
        sys.exit(1)
    print(f"ok: {len(layouts)} layouts, {checked} match Megatron; best dp "
          f"{best['dp']} x tp {best['tp']} x pp {best['pp']}")


if __name__ == "__main__":
    main()
