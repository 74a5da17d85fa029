"""One process of the MPI jobs of test_mpi_session.py: opens a multi-rank
artifact with exaforge.load(...).session() and runs it on the inputs saved
in a .npz file (rank 0 gives them); rank 0 saves the outputs to a .npz file.
Each rank writes one line saying what it got, or the error it raised (then
the exit status is 3), to report-RANK.txt next to the outputs (files rather
than standard output, where mpirun may interleave the ranks' lines). With --misnamed-inputs, rank 0 gives its inputs under
wrong names.

Usage: mpirun -n N python mpi_rank.py ARTIFACT INPUTS.npz OUTPUTS.npz
           [--misnamed-inputs] [--communicator auto|mpi|nccl]
"""

import os
import sys

import numpy as np

import exaforge


def report(outputs_path, line):
    """Writes this rank's one-line report (Open MPI names the rank in the
    environment, also before a session knows it)."""
    rank = os.environ.get("OMPI_COMM_WORLD_RANK", "0")
    path = os.path.join(os.path.dirname(outputs_path), f"report-{rank}.txt")
    with open(path, "w") as f:
        f.write(line + "\n")


def main():
    artifact_path, inputs_path, outputs_path = sys.argv[1:4]
    misnamed = "--misnamed-inputs" in sys.argv[4:]
    communicator = "auto"
    if "--communicator" in sys.argv[4:]:
        communicator = sys.argv[sys.argv.index("--communicator") + 1]
    artifact = exaforge.load(artifact_path)
    try:
        artifact.inputs
    except exaforge.InvalidArgumentError:
        described_before_open = False
    else:
        described_before_open = True
    try:
        session = artifact.session(threads=1, communicator=communicator)
        inputs = dict(np.load(inputs_path)) if session.rank == 0 else None
        if inputs and misnamed:
            inputs = {f"not_{name}": value for name, value in inputs.items()}
        outputs = session.run(inputs)
        outputs_again = session.run(inputs)  # a second run, same results
    except (exaforge.Error, ValueError, TypeError) as error:
        report(outputs_path, f"rank error {type(error).__name__}: {error}")
        sys.exit(3)
    if session.rank == 0:
        for name in outputs:
            assert np.array_equal(outputs[name], outputs_again[name]), name
        np.savez(outputs_path, **outputs)
    names = [i.name for i in artifact.inputs]
    report(outputs_path,
           f"rank {session.rank} of {session.world_size}: inputs {names}, "
           f"outputs {sorted(outputs)}, described before open: "
           f"{described_before_open}")


if __name__ == "__main__":
    main()
