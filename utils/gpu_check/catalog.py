"""The models of the device check and where each comes from.

Generated models are made by utils/gen_example_models.py (numpy and onnx
only, deterministic from its seed): the folder holds the generator's
arguments and the SHA-256 of the file it wrote here, and the device writes
it again. Zoo models (utils/gen_model_zoo.py, torch exports whose
generator needs torchvision or transformers, which the device lacks) travel
as ONNX files; the largest (resnet50, 97 MiB of weights; vit_b_16, bert,
gpt2) do not fit in the folder.
"""

# The export of a zoo model that travels: the dynamo exporter at opset 18.
ZOO_EXPORT = "dynamo-op18.onnx"


class Model:
    """A model of the check.

    `generate`: gen_example_models.py arguments (a generated model), or
    None for a zoo model; `batch`: the batch size it runs at; `ids_high`:
    the vocabulary of an int64 token-id input.
    """

    def __init__(self, name, generate=None, batch=8, ids_high=None):
        self.name = name
        self.generate = generate
        self.batch = batch
        self.ids_high = ids_high

    @property
    def is_zoo(self):
        return self.generate is None


MODELS = [
    Model("mlp", generate=["--model", "mlp"]),
    Model("gpt2", generate=["--model", "gpt2"], ids_high=256),
    Model("resnet", generate=["--model", "resnet"]),
    Model("mobilenet_v3_small"),
    Model("efficientnet_b0"),
    Model("llama", ids_high=1000),
    # Issue 16's latency target: GPT-2 small at batch 8, sequence 128
    # (124 M parameters, 472 MiB: only its generator's arguments travel).
    Model("gpt2-small", generate=["--model", "gpt2", "--gpt2-preset",
                                  "small", "--seq", "128"], ids_high=50257),
]

# The name of the GEMM 8192^3 in --models.
GEMM = "gemm"

BY_NAME = {m.name: m for m in MODELS}
