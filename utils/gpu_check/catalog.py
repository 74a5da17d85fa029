"""The models of the device check and where each comes from.

Generated models are made by utils/gen_example_models.py (numpy and onnx
only, deterministic from its seed): the folder holds the generator's
arguments and the SHA-256 of the file it wrote here, and the device writes
it again. Zoo models (utils/gen_model_zoo.py, torch exports whose
generator needs torchvision or transformers, which the device lacks) travel
as ONNX files; the largest (resnet50, 97 MiB of weights; vit_b_16, bert,
gpt2) do not fit in the folder: GPT-2 small and ResNet-50 (issue 16's
latency targets) come from the generator instead.
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
    # Issue 16's latency targets first, so that torch.compile's time budget
    # (run.py --time-budget) is spent on them: GPT-2 small at batch 8,
    # sequence 128 (124 M parameters, 472 MiB: only its generator's
    # arguments travel) and ResNet-50 at batch 32. The zoo's ResNet-50
    # (97 MiB of weights) does not fit and cannot be made on the device;
    # the generator's ResNet-50 layout can, with its BatchNorms folded into
    # the convolutions (folded weights would have to travel: the compiler
    # folds BatchNorm itself).
    Model("gpt2-small", generate=["--model", "gpt2", "--gpt2-preset",
                                  "small", "--seq", "128"], ids_high=50257),
    Model("resnet50-folded", generate=["--model", "resnet",
                                       "--resnet-preset", "50"], batch=32),
    Model("mlp", generate=["--model", "mlp"]),
    Model("gpt2", generate=["--model", "gpt2"], ids_high=256),
    Model("resnet", generate=["--model", "resnet"]),
    Model("mobilenet_v3_small"),
    Model("efficientnet_b0"),
    Model("llama", ids_high=1000),
]

# The name of the GEMM 8192^3 in --models.
GEMM = "gemm"

BY_NAME = {m.name: m for m in MODELS}
