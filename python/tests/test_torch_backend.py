"""torch.compile(backend="exaforge") (exaforge/torch_backend.py) against
eager PyTorch: a small MLP, torchvision's resnet18 and resnet50 and
transformers' GPT-2 and BERT in small configurations, all with random
weights (nothing is downloaded); the eager fallback; the cache of compiled
signatures; exaforge.compile of a torch module (the ctest `python-torch`).

Tolerance: float32 outputs equal eager's within a largest difference of
RELATIVE_TOLERANCE times the largest magnitude of eager's output (the
kernels sum in another order than PyTorch's).
"""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import exaforge  # noqa: E402
import exaforge.torch_backend as torch_backend  # noqa: E402

RELATIVE_TOLERANCE = 1e-4


@pytest.fixture(autouse=True)
def fresh_dynamo():
    """Each test starts without TorchDynamo's compiled graphs of another."""
    torch._dynamo.reset()
    torch.manual_seed(0)
    yield
    torch._dynamo.reset()


def assert_close(actual, expected):
    """`actual` equals `expected` within RELATIVE_TOLERANCE (see above)."""
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    scale = max(expected.abs().max().item(), 1e-6)
    difference = (actual - expected).abs().max().item()
    assert difference <= RELATIVE_TOLERANCE * scale, \
        f"largest difference {difference:.3g} over largest magnitude {scale:.3g}"


def mlp():
    return torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.GELU(),
                               torch.nn.Linear(32, 4)).eval()


def test_mlp_equals_eager_through_the_registered_name():
    model = mlp()
    compiled = torch.compile(model, backend="exaforge")
    x = torch.randn(3, 16)
    with torch.no_grad():
        assert_close(compiled(x), model(x))


def test_compile_options_reach_exaforge_compile():
    model = mlp()
    x = torch.randn(3, 16)
    compiled = torch.compile(model, backend="exaforge",
                             options={"opt_level": 1})
    with torch.no_grad():
        assert_close(compiled(x), model(x))
    torch._dynamo.reset()
    bad = torch.compile(model, backend="exaforge", options={"no_such": 1})
    with pytest.raises(Exception, match="unknown compile option 'no_such'"):
        bad(x)


def test_backend_is_listed_by_dynamo():
    assert "exaforge" in torch._dynamo.list_backends(exclude_tags=())


def test_same_signature_is_compiled_once_and_a_new_batch_again():
    model = mlp()
    compiled = torch.compile(model, backend="exaforge")
    start = torch_backend.compile_count
    with torch.no_grad():
        for batch, compilations in ((3, 1), (3, 1), (5, 2), (7, 3), (5, 3)):
            x = torch.randn(batch, 16)
            assert_close(compiled(x), model(x))
            assert torch_backend.compile_count - start == compilations, batch


class Folding(torch.nn.Module):
    """F.fold exports as ONNX Col2Im, which exaforge does not compile."""

    def forward(self, x):
        return torch.nn.functional.fold(x * 2.0, (4, 4), (2, 2)) + 1.0


def test_rejected_graph_warns_once_and_runs_eager(monkeypatch):
    monkeypatch.setattr(torch_backend, "_warned", set())
    model = Folding()
    compiled = torch.compile(model, backend="exaforge")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for batch in (1, 1, 2, 3):
            x = torch.randn(batch, 4, 9)
            assert torch.equal(compiled(x), model(x))
    fallbacks = [w for w in caught
                 if issubclass(w.category, torch_backend.ExaforgeFallbackWarning)]
    assert len(fallbacks) == 1, [str(w.message) for w in fallbacks]
    message = str(fallbacks[0].message)
    assert "Col2Im" in message and "runs in eager PyTorch" in message


def test_compile_of_a_torch_module():
    model = mlp()
    x = torch.randn(2, 16)
    artifact = exaforge.compile(model, (x,))
    assert [i.name for i in artifact.inputs] == ["input0"]
    assert tuple(artifact.inputs[0].shape) == (2, 16)
    result = artifact.session().run([x])["output0"]
    with torch.no_grad():
        assert_close(torch.from_numpy(result), model(x))


def test_compile_of_a_torch_module_needs_example_inputs():
    with pytest.raises(TypeError, match="example_inputs"):
        exaforge.compile(mlp())


def test_compile_of_an_onnx_model_takes_no_example_inputs(add_model):
    with pytest.raises(TypeError, match="input_shapes"):
        exaforge.compile(add_model, (np.zeros((2, 3), np.float32),))


@pytest.mark.parametrize("name", ["resnet18", "resnet50"])
def test_torchvision_resnet_equals_eager(name):
    torchvision = pytest.importorskip("torchvision")
    model = torchvision.models.__dict__[name](weights=None).eval()
    compiled = torch.compile(model, backend="exaforge")
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert_close(compiled(x), model(x))


def text_inputs(vocab, batch=2, seq=16):
    """Token ids and a mask whose second sequence has padding."""
    ids = torch.randint(0, vocab, (batch, seq))
    mask = torch.ones(batch, seq, dtype=torch.int64)
    mask[1, seq * 3 // 4:] = 0
    return ids, mask


def test_gpt2_equals_eager():
    transformers = pytest.importorskip("transformers")
    config = transformers.GPT2Config(n_layer=2, n_embd=128, n_head=4,
                                     vocab_size=1000, n_positions=64,
                                     use_cache=False)
    model = transformers.GPT2LMHeadModel(config).eval()
    compiled = torch.compile(model, backend="exaforge")
    ids, mask = text_inputs(config.vocab_size)
    with torch.no_grad():
        assert_close(compiled(input_ids=ids, attention_mask=mask).logits,
                     model(input_ids=ids, attention_mask=mask).logits)


def test_bert_equals_eager():
    transformers = pytest.importorskip("transformers")
    config = transformers.BertConfig(num_hidden_layers=2, hidden_size=128,
                                     num_attention_heads=4,
                                     intermediate_size=512, vocab_size=1000,
                                     max_position_embeddings=64)
    model = transformers.BertModel(config).eval()
    compiled = torch.compile(model, backend="exaforge")
    ids, mask = text_inputs(config.vocab_size)
    with torch.no_grad():
        actual = compiled(input_ids=ids, attention_mask=mask)
        expected = model(input_ids=ids, attention_mask=mask)
    assert_close(actual.last_hidden_state, expected.last_hidden_state)
    assert_close(actual.pooler_output, expected.pooler_output)
