#!/usr/bin/env python3
"""Generates the model zoo: real torchvision and Hugging Face models with
random weights, exported to ONNX with both torch.onnx exporters.

Usage:
  gen_model_zoo.py --cache-dir DIR [--models REGEX] [--list]

Models (built from their configs with random weights, seeded; nothing is
downloaded):
  torchvision  resnet50, mobilenet_v3_small, efficientnet_b0, vit_b_16,
               regnet_y_400mf, lraspp_mobilenet_v3_large (segmentation,
               upsampling): image [batch, 3, 224, 224]
  transformers bert (BertModel, base size: 12 layers, hidden 768; input_ids
               and attention_mask [batch, 128]), gpt2 (GPT2LMHeadModel,
               small: 12 layers, hidden 768; [batch, 64], no cache), llama
               (LlamaForCausalLM, small: 2 layers, hidden 256, 8 query and 2
               key/value heads (grouped-query attention), rotary embeddings,
               RMSNorm; [batch, 32], no cache); each takes input_ids and
               attention_mask, the default (sdpa) attention, or the eager one
               for opset 13 (the TorchScript exporter has sdpa from 14 on)

Exports (EXPORTS): the dynamo exporter (torch.onnx.export(dynamo=True)) at
opset 18, and the TorchScript exporter (dynamo=False) at opsets 18 and 13.
The dynamo exporter writes opset 18 even when asked for 13 (its version
converter does not go below 18), so there is no dynamo opset-13 export. Every
export has a symbolic batch dimension ("batch") on its inputs.

Per export, DIR/zoo-<key>/<model>/<export>.onnx with reference data
<export>.ref-b1.npz and <export>.ref-b3.npz (batch 1 and 3): the arrays
"input:<name>" (seeded random inputs: standard normal images, token ids
uniform over the vocabulary, BERT's mask with the last quarter of the
second sequence padded) and "output:<name>" (onnxruntime's outputs on the
CPU). DIR/zoo-<key>/manifest.json lists every export: its file, opset,
input and output names, export seconds, and the largest difference between
onnxruntime and torch on the batch-3 input (a check of the exporter).

<key> is a hash of this file and the versions of torch, torchvision,
transformers, onnxscript, onnx, onnxruntime and numpy: a second run with the
same key reuses every finished export (the exports run one at a time; an
interrupted run resumes). The output is deterministic for a key.
Needs the project's .venv with utils/requirements.txt.
"""

import argparse
import hashlib
import importlib
import json
import os
import re
import sys
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 0
BATCHES = (1, 3)
# The batch the exporters trace with (torch.export specializes a dimension
# of size 1, so not 1).
TRACE_BATCH = 2
# (export id, dynamo, opset)
EXPORTS = (("dynamo-op18", True, 18), ("torchscript-op18", False, 18),
           ("torchscript-op13", False, 13))
PACKAGES = ("torch", "torchvision", "transformers", "onnxscript", "onnx",
            "onnxruntime", "numpy")


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

def randomize_norm_statistics(module):
    """Gives BatchNorm running statistics and the LayerNorm/RMSNorm affine
    parameters random values, so that the folds of the importer see more
    than the identity."""
    import torch
    for sub in module.modules():
        if isinstance(sub, torch.nn.modules.batchnorm._BatchNorm):
            sub.running_mean.uniform_(-0.2, 0.2)
            sub.running_var.uniform_(0.5, 1.5)
        if sub.__class__.__name__.endswith(("LayerNorm", "RMSNorm")) and \
                getattr(sub, "weight", None) is not None:
            with torch.no_grad():
                sub.weight.normal_(1.0, 0.1)
                if getattr(sub, "bias", None) is not None:
                    sub.bias.normal_(0.0, 0.1)


def randomize_zero_weights(module):
    """Gives weight matrices that a model initializes to zeros (ViT's
    classification head) small random values: with them the model's output
    is its bias alone, equal for every input, and a comparison of outputs
    would prove nothing."""
    import torch
    with torch.no_grad():
        for param in module.parameters():
            if param.dim() >= 2 and not torch.any(param):
                param.normal_(0.0, 0.02)


def select_outputs(model, keys, inputs):
    """Wraps a model whose forward returns a dict or a ModelOutput in a
    module whose forward takes the named `inputs` ("image", or "input_ids"
    and "attention_mask") and returns the entries `keys` as a tuple (the
    exporters want named arguments and a tuple)."""
    import torch

    class Image(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, image):
            out = self.model(image)
            return tuple(out[k] for k in keys) if keys else out

    class Text(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            out = self.model(input_ids=input_ids,
                             attention_mask=attention_mask)
            return tuple(out[k] for k in keys)

    return Image() if inputs == ["image"] else Text()


def torchvision_model(name):
    def build():
        import torchvision
        if name.startswith("lraspp"):
            model = torchvision.models.segmentation.__dict__[name](
                weights=None, weights_backbone=None)
            model = select_outputs(model, ["out"], ["image"])
            outputs = ["out"]
        else:
            model = select_outputs(
                torchvision.models.__dict__[name](weights=None), None,
                ["image"])
            outputs = ["logits"]
        return model, [("image", "image", (3, 224, 224))], outputs
    return build


TEXT_INPUTS = ["input_ids", "attention_mask"]


def text_inputs(vocab, seq):
    """The input spec of a language model: token ids and a padding mask (as
    tokenizers give them; without a mask, transformers looks for packed
    sequences with torch.diff, which neither exporter handles)."""
    return [("input_ids", ("ids", vocab), (seq,)),
            ("attention_mask", "mask", (seq,))]


def bert():
    from transformers import BertConfig, BertModel
    config = BertConfig()  # base: 12 layers, hidden 768, 12 heads
    outputs = ["last_hidden_state", "pooler_output"]
    model = select_outputs(BertModel(config, add_pooling_layer=True),
                           outputs, TEXT_INPUTS)
    return model, text_inputs(config.vocab_size, 128), outputs


def gpt2():
    from transformers import GPT2Config, GPT2LMHeadModel
    config = GPT2Config(use_cache=False)  # small: 12 layers, hidden 768
    model = select_outputs(GPT2LMHeadModel(config), ["logits"], TEXT_INPUTS)
    return model, text_inputs(config.vocab_size, 64), ["logits"]


def llama():
    from transformers import LlamaConfig, LlamaForCausalLM
    config = LlamaConfig(hidden_size=256, intermediate_size=688,
                         num_hidden_layers=2, num_attention_heads=8,
                         num_key_value_heads=2, vocab_size=1000,
                         max_position_embeddings=128, use_cache=False)
    model = select_outputs(LlamaForCausalLM(config), ["logits"], TEXT_INPUTS)
    return model, text_inputs(config.vocab_size, 32), ["logits"]


# name: builder returning (torch module, [(input name, kind, shape without
# the batch)], output names). Kinds: "image" (standard normal), ("ids", V)
# (int64 in [0, V)), "mask" (int64 ones, some padding).
MODELS = {
    "mobilenet_v3_small": torchvision_model("mobilenet_v3_small"),
    "regnet_y_400mf": torchvision_model("regnet_y_400mf"),
    "efficientnet_b0": torchvision_model("efficientnet_b0"),
    "lraspp_mobilenet_v3_large":
        torchvision_model("lraspp_mobilenet_v3_large"),
    "resnet50": torchvision_model("resnet50"),
    "vit_b_16": torchvision_model("vit_b_16"),
    "llama": llama,
    "gpt2": gpt2,
    "bert": bert,
}


def make_inputs(spec, batch, rng):
    """The reference inputs (numpy) for a model's input spec."""
    import numpy as np
    feeds = {}
    for name, kind, shape in spec:
        full = (batch, *shape)
        if kind == "image":
            feeds[name] = rng.standard_normal(full).astype(np.float32)
        elif kind == "mask":
            mask = np.ones(full, np.int64)
            if batch > 1:
                mask[1, -shape[-1] // 4:] = 0
            feeds[name] = mask
        else:
            feeds[name] = rng.integers(0, kind[1], size=full, dtype=np.int64)
    return feeds


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------

def cache_key():
    """A hash of this file and the versions of the packages that shape the
    exported models."""
    digest = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        digest.update(f.read())
    for package in PACKAGES:
        module = importlib.import_module(package)
        digest.update(f"{package}={module.__version__}\n".encode())
    return digest.hexdigest()[:16]


def export(model, spec, outputs, path, dynamo, opset):
    """Exports `model` to `path` with a symbolic batch dimension."""
    import numpy as np
    import torch
    rng = np.random.default_rng(SEED)
    example = tuple(torch.from_numpy(v) for v in
                    make_inputs(spec, TRACE_BATCH, rng).values())
    names = [name for name, _, _ in spec]
    kwargs = {"dynamo": dynamo, "opset_version": opset,
              "input_names": names, "output_names": outputs}
    if dynamo:
        batch = torch.export.Dim("batch", min=1, max=1024)
        kwargs["dynamic_shapes"] = tuple({0: batch} for _ in names)
    else:
        kwargs["dynamic_axes"] = {name: {0: "batch"}
                                  for name in names + outputs}
    # The TorchScript exporter has scaled_dot_product_attention from opset
    # 14 on: below, transformers models export their eager attention (the
    # same arithmetic), as a user exporting for an old opset would.
    hf_model = getattr(model, "model", None)
    eager = opset < 14 and hasattr(hf_model, "set_attn_implementation")
    if eager:
        hf_model.set_attn_implementation("eager")
    tmp = path + ".tmp"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, example, tmp, external_data=False,
                              **kwargs)
    finally:
        if eager:
            hf_model.set_attn_implementation("sdpa")
    os.replace(tmp, path)


def onnx_opset(path):
    import onnx
    model = onnx.load(path, load_external_data=False)
    return next((o.version for o in model.opset_import
                 if o.domain in ("", "ai.onnx")), None)


def write_references(model, spec, path):
    """Runs onnxruntime (and torch) on the batch-1 and batch-3 inputs, saves
    them; returns the largest |onnxruntime - torch| over the outputs."""
    import numpy as np
    import onnxruntime as ort
    import torch
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    max_diff = 0.0
    for batch in BATCHES:
        feeds = make_inputs(spec, batch, np.random.default_rng(SEED + batch))
        results = session.run(None, feeds)
        with torch.no_grad():
            expected = model(*(torch.from_numpy(v) for v in feeds.values()))
        for got, want in zip(results, expected):
            max_diff = max(max_diff, float(np.max(np.abs(
                got.astype(np.float64) - want.numpy().astype(np.float64)))))
        arrays = {f"input:{k}": v for k, v in feeds.items()}
        arrays.update({f"output:{k}": v for k, v in zip(names, results)})
        np.savez(path[:-len(".onnx")] + f".ref-b{batch}.npz", **arrays)
    return max_diff


def generate(cache_dir, pattern, log):
    """Exports every model matching `pattern` not in the cache yet; returns
    the zoo directory (with manifest.json)."""
    import torch
    zoo = os.path.join(cache_dir, f"zoo-{cache_key()}")
    os.makedirs(zoo, exist_ok=True)
    manifest_path = os.path.join(zoo, "manifest.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    manifest.setdefault("versions", {
        p: importlib.import_module(p).__version__ for p in PACKAGES})
    entries = manifest.setdefault("exports", {})
    torch.set_num_threads(1)
    for name, builder in MODELS.items():
        if not re.search(pattern, name):
            continue
        todo = [e for e in EXPORTS if f"{name}/{e[0]}" not in entries]
        if not todo:
            continue
        torch.manual_seed(SEED)
        model, spec, outputs = builder()
        model.eval()
        randomize_norm_statistics(model)
        randomize_zero_weights(model)
        os.makedirs(os.path.join(zoo, name), exist_ok=True)
        for export_id, dynamo, opset in todo:
            key = f"{name}/{export_id}"
            path = os.path.join(zoo, name, f"{export_id}.onnx")
            log(f"exporting {key}")
            start = time.monotonic()
            entry = {"model": name, "export": export_id,
                     "exporter": "dynamo" if dynamo else "torchscript",
                     "file": os.path.relpath(path, zoo),
                     "inputs": [n for n, _, _ in spec], "outputs": outputs}
            try:
                export(model, spec, outputs, path, dynamo, opset)
                entry["export_s"] = round(time.monotonic() - start, 1)
                entry["opset"] = onnx_opset(path)
                entry["ort_vs_torch"] = write_references(model, spec, path)
                entry["status"] = "ok"
            except Exception as err:  # pylint: disable=broad-except
                entry["status"] = "export failed"
                entry["reason"] = f"{type(err).__name__}: {err}"[:500]
                log(f"  {entry['reason']}")
            log(f"  {entry['status']} ({time.monotonic() - start:.1f} s)")
            entries[key] = entry
            with open(manifest_path + ".tmp", "w") as f:
                json.dump(manifest, f, indent=1, sort_keys=True)
            os.replace(manifest_path + ".tmp", manifest_path)
        del model
    return zoo


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", required=True,
                        help="where the zoo goes (zoo-<key>/ inside)")
    parser.add_argument("--models", default="",
                        help="only the models whose name matches REGEX")
    parser.add_argument("--list", action="store_true",
                        help="print the model names and exports, do nothing")
    args = parser.parse_args(argv)
    if args.list:
        for name in MODELS:
            print(name, " ".join(e[0] for e in EXPORTS))
        return 0

    def log(message):
        print(f"[zoo] {message}", flush=True)

    zoo = generate(args.cache_dir, args.models, log)
    print(zoo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
