"""Exaforge as an ONNX backend (``onnx.backend.base.Backend``), so that ONNX's
own test runner, ``onnx.backend.test.BackendTest``, runs against it:

    import onnx.backend.test
    import exaforge.onnx_backend
    tests = onnx.backend.test.BackendTest(exaforge.onnx_backend, __name__)

``prepare`` compiles the model once (``exaforge.compile``, for the CPU) and
returns a ``BackendRep`` whose ``run`` runs a session of the artifact;
``run_model`` does both; ``run_node`` wraps one node into a model (its
output types from ``outputs_info`` or ONNX's shape inference) and runs it.
The module-level functions are the class methods of ``ExaforgeBackend``, as
onnxruntime's backend module offers them.
"""

import numpy as np
import onnx
from onnx import helper, shape_inference
from onnx.backend.base import Backend, BackendRep, Device, DeviceType, namedtupledict

from . import _native
from .compiler import compile as compile_model


class ExaforgeRep(BackendRep):
    """A compiled model, ready to run on inputs."""

    def __init__(self, model, artifact):
        initializers = {i.name for i in model.graph.initializer}
        #: The names of the model's inputs that inputs given as a list
        #: stand for, in order (inputs with an initializer are weights).
        self.input_names = [i.name for i in model.graph.input
                            if i.name not in initializers]
        self.artifact = artifact
        self.session = artifact.session()
        self._artifact_inputs = {i.name for i in artifact.inputs}
        self._outputs = namedtupledict(
            "Outputs", [o.name for o in artifact.outputs])

    def run(self, inputs, **kwargs):
        """Runs the model on `inputs` (a list in the order of the model's
        inputs, a dict by name, or one array) and returns the outputs in the
        model's order, as a tuple whose fields are the output names."""
        if isinstance(inputs, dict):
            named = dict(inputs)
        else:
            if isinstance(inputs, np.ndarray):
                inputs = [inputs]
            named = dict(zip(self.input_names, inputs))
        # Inputs the compiled model does not take (none, unless the runtime
        # drops some) would be rejected as unknown.
        feeds = {name: value for name, value in named.items()
                 if name in self._artifact_inputs}
        results = self.session.run(feeds)
        return self._outputs(*results.values())


class ExaforgeBackend(Backend):
    """The ONNX backend interface over exaforge.compile and Session.run."""

    @classmethod
    def supports_device(cls, device):
        """Only the CPU."""
        return Device(device).type == DeviceType.CPU

    @classmethod
    def prepare(cls, model, device="CPU", **kwargs):
        """Compiles `model` (a ModelProto, bytes or a path) for `device`.
        Keywords that are compile options (``exaforge.compiler.OPTIONS``,
        ``input_shapes``) go to ``exaforge.compile``."""
        if not cls.supports_device(device):
            raise RuntimeError(f"exaforge runs on the CPU, not on '{device}'")
        if not isinstance(model, onnx.ModelProto):
            model = onnx.load_model_from_string(model) if isinstance(model, bytes) \
                else onnx.load(model)
        from .compiler import OPTIONS
        options = {k: v for k, v in kwargs.items()
                   if k in OPTIONS or k == "input_shapes"}
        return ExaforgeRep(model, compile_model(model, **options))

    @classmethod
    def run_model(cls, model, inputs, device="CPU", **kwargs):
        """Compiles `model` and runs it once on `inputs`."""
        return cls.prepare(model, device, **kwargs).run(inputs)

    @classmethod
    def run_node(cls, node, inputs, device="CPU", outputs_info=None, **kwargs):
        """Runs the single node `node` on `inputs` (a list for the node's
        non-empty inputs in order, or a dict by name). `outputs_info` gives
        each output's (dtype, shape); without it, ONNX's shape inference
        does. `opset_version` (keyword) sets the opset; default: the newest
        that both the installed onnx and exaforge's importer know."""
        opset = kwargs.pop("opset_version", None) or min(
            onnx.defs.onnx_opset_version(), _native.max_supported_opset)
        names = [name for name in node.input if name]
        if isinstance(inputs, dict):
            values = [inputs[name] for name in names]
        else:
            values = list(inputs)
        values = [np.asarray(v) for v in values]
        graph_inputs = [
            helper.make_tensor_value_info(
                name, helper.np_dtype_to_tensor_dtype(value.dtype), value.shape)
            for name, value in zip(names, values)]
        if outputs_info is not None:
            graph_outputs = [
                helper.make_tensor_value_info(
                    name, helper.np_dtype_to_tensor_dtype(np.dtype(dtype)), shape)
                for name, (dtype, shape) in zip(node.output, outputs_info)]
        else:
            graph_outputs = [helper.make_empty_tensor_value_info(name)
                             for name in node.output if name]
        opsets = [helper.make_opsetid("", opset)]
        if node.domain not in ("", "ai.onnx"):
            opsets.append(helper.make_opsetid(node.domain, 1))
        model = helper.make_model(
            helper.make_graph([node], f"{node.op_type}_node", graph_inputs,
                              graph_outputs), opset_imports=opsets)
        if outputs_info is None:
            inferred = shape_inference.infer_shapes(model, strict_mode=True)
            types = {v.name: v for v in inferred.graph.value_info}
            types.update({v.name: v for v in inferred.graph.output})
            del model.graph.output[:]
            model.graph.output.extend(types[name] for name in node.output if name)
        return cls.run_model(model, values, device, **kwargs)


is_compatible = ExaforgeBackend.is_compatible
prepare = ExaforgeBackend.prepare
run_model = ExaforgeBackend.run_model
run_node = ExaforgeBackend.run_node
supports_device = ExaforgeBackend.supports_device
