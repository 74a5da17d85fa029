"""Model, inputs and checks of run-shape-checks.test.

make_symbolic_gpt.py DIR             writes DIR/gpt.onnx, a one-layer GPT-2-style
                                     model whose sequence length is the symbol
                                     `seq` (as Hugging Face exports have it), and
                                     .npy inputs: valid ones and ones that
                                     disagree on `seq` or index past a table
make_symbolic_gpt.py DIR --check OUT compares OUT/logits.npy with onnxruntime's
                                     logits for the valid inputs (float32,
                                     |exaforge - ort| <= 1e-5 + 1e-4 |ort|)

The model: token and position embeddings (Gather from constant tables of
VOCAB and POSITIONS rows), LayerNorm, one causal self-attention whose head
reshapes take their sizes from Shape (so they are known only at run time),
the causal mask sliced from a constant POSITIONS x POSITIONS triangle by the
run's sequence length, an additive padding mask from `attention_mask`, and
logits from the tied token embedding.
"""
import argparse
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

VOCAB, POSITIONS, HIDDEN, HEADS = 11, 8, 8, 2
HEAD = HIDDEN // HEADS


def make_model():
    rng = np.random.default_rng(0)
    inits = []

    def const(name, value):
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def normal(name, shape):
        return const(name, rng.normal(0, 0.5, shape).astype(np.float32))

    nodes = []

    def node(op, inputs, output, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [output], name=name, **attrs))
        return output

    wte = normal("wte", (VOCAB, HIDDEN))
    wpe = normal("wpe", (POSITIONS, HIDDEN))
    tok = node("Gather", [wte, "input_ids"], "tok", "token_embedding")
    pos = node("Gather", [wpe, "position_ids"], "pos", "position_embedding")
    h = node("Add", [tok, pos], "h", "embed_add")
    gamma = const("ln_g", (1 + 0.1 * rng.normal(size=HIDDEN)).astype(np.float32))
    beta = const("ln_b", (0.1 * rng.normal(size=HIDDEN)).astype(np.float32))
    x = node("LayerNormalization", [h, gamma, beta], "x", "ln_1", axis=-1)

    # [batch, seq] from the run, then [batch, seq, HEADS, HEAD].
    shape = node("Shape", [x], "x_shape", "x_shape")
    batch_seq = node("Slice", [shape, const("s0", np.array([0])),
                               const("s2", np.array([2]))], "batch_seq", "batch_seq")
    heads_shape = node("Concat", [batch_seq, const("hd", np.array([HEADS, HEAD]))],
                       "heads_shape", "heads_shape", axis=0)
    seq = node("Slice", [shape, const("s1", np.array([1])), const("s2b", np.array([2]))],
               "seq_len", "seq_len")

    def head_split(kind):
        w = normal(f"w{kind}", (HIDDEN, HIDDEN))
        p = node("MatMul", [x, w], f"{kind}_proj", f"{kind}_proj")
        r = node("Reshape", [p, heads_shape], f"{kind}_heads", f"{kind}_reshape")
        perm = [0, 2, 3, 1] if kind == "k" else [0, 2, 1, 3]
        return node("Transpose", [r], f"{kind}_t", f"{kind}_transpose", perm=perm)

    q, k, v = head_split("q"), head_split("k"), head_split("v")
    scores = node("MatMul", [q, k], "scores", "attn_scores")
    scores = node("Mul", [scores, const("scale", np.float32(1 / np.sqrt(HEAD)))],
                  "scaled", "attn_scale")
    tril = const("tril", np.tril(np.ones((1, 1, POSITIONS, POSITIONS), bool)))
    zeros = const("z2", np.array([0, 0]))
    ends = node("Concat", [seq, seq], "mask_ends", "mask_ends", axis=0)
    causal = node("Slice", [tril, zeros, ends, const("ax23", np.array([2, 3]))],
                  "causal", "causal_slice")
    scores = node("Where", [causal, scores, const("neg", np.float32(-1e4))],
                  "masked", "causal_mask")
    pad = node("Unsqueeze", ["attention_mask", const("ax12", np.array([1, 2]))],
               "pad4", "pad_unsqueeze")
    pad = node("Sub", [const("one", np.float32(1)), pad], "pad_inv", "pad_inv")
    pad = node("Mul", [pad, const("big", np.float32(-1e4))], "pad_add", "pad_scale")
    scores = node("Add", [scores, pad], "padded", "pad_mask")
    probs = node("Softmax", [scores], "probs", "attn_softmax", axis=-1)
    ctx = node("MatMul", [probs, v], "ctx", "attn_context")
    ctx = node("Transpose", [ctx], "ctx_t", "ctx_transpose", perm=[0, 2, 1, 3])
    hidden_shape = node("Concat", [batch_seq, const("hid", np.array([HIDDEN]))],
                        "hidden_shape", "hidden_shape", axis=0)
    ctx = node("Reshape", [ctx, hidden_shape], "ctx_flat", "ctx_reshape")
    out = node("MatMul", [ctx, normal("wo", (HIDDEN, HIDDEN))], "attn_out", "attn_out")
    h2 = node("Add", [h, out], "h2", "residual")
    wte_t = node("Transpose", [wte], "wte_t", "lm_head_transpose", perm=[1, 0])
    node("MatMul", [h2, wte_t], "logits", "lm_head")

    graph = helper.make_graph(
        nodes, "symbolic_gpt",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("position_ids", TensorProto.INT64,
                                       ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT,
                                       ["batch", "seq"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                       ["batch", "seq", VOCAB])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def valid_feeds():
    ids = np.array([[3, 10, 0, 7, -1], [1, 2, 3, 4, 5]], np.int64)
    return {"input_ids": ids,
            "position_ids": np.tile(np.arange(5, dtype=np.int64), (2, 1)),
            "attention_mask": np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], np.float32)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=pathlib.Path)
    parser.add_argument("--check", type=pathlib.Path)
    args = parser.parse_args()
    if args.check:
        import onnxruntime as ort
        session = ort.InferenceSession(str(args.dir / "gpt.onnx"),
                                       providers=["CPUExecutionProvider"])
        (want,) = session.run(["logits"], valid_feeds())
        got = np.load(args.check / "logits.npy")
        assert got.dtype == np.float32 and got.shape == want.shape, got.shape
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
        print("logits match onnxruntime")
        return
    onnx.save(make_model(), args.dir / "gpt.onnx")
    for name, value in valid_feeds().items():
        np.save(args.dir / f"{name}.npy", value)
    save = lambda name, value: np.save(args.dir / f"{name}.npy", value)
    # Sequences of other lengths: 2, and 40 (past the POSITIONS positions).
    save("ids2", np.array([[1, 2]], np.int64))
    save("pos3", np.arange(3, dtype=np.int64)[None])
    save("mask2", np.ones((1, 2), np.float32))
    save("ids40", np.ones((1, 40), np.int64))
    save("pos40", np.arange(40, dtype=np.int64)[None])
    save("pos40wrapped", (np.arange(40, dtype=np.int64) % POSITIONS)[None])
    save("mask40", np.ones((1, 40), np.float32))
    # Token ids past the vocabulary, and below -VOCAB.
    save("ids_past_vocab", np.array([[1, 2, VOCAB, 3, 4], [0] * 5], np.int64))
    save("ids_below", np.array([[1, 2, -VOCAB - 1, 3, 4], [0] * 5], np.int64))


if __name__ == "__main__":
    main()
