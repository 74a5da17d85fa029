"""Exaforge from Python: compile ONNX models and run the artifacts.

    import exaforge
    artifact = exaforge.compile("mlp.onnx")
    session = artifact.session()
    outputs = session.run({"input": x})   # dict: output name -> numpy array

The compiler and the runtime run in this process, through the native module
``exaforge._native`` (python/src/).
"""

from .errors import (
    ArtifactError,
    CompileError,
    Diagnostic,
    Error,
    InternalCompilerError,
    InvalidArgumentError,
    RunError,
)
from .artifact import Artifact, TensorInfo, load
from .session import Session
from .compiler import compile
from .plan import Plan, PlanError, PlanLayout, PlanMachine, plan

__all__ = [
    "Artifact",
    "ArtifactError",
    "CompileError",
    "Diagnostic",
    "Error",
    "InternalCompilerError",
    "InvalidArgumentError",
    "Plan",
    "PlanError",
    "PlanLayout",
    "PlanMachine",
    "RunError",
    "Session",
    "TensorInfo",
    "compile",
    "load",
    "plan",
]
