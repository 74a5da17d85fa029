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


@pytest.fixture
def exported(monkeypatch):
    """The ONNX models the backend compiles, in order."""
    models = []
    compile_model = torch_backend.compile_model

    def recording(model, **options):
        models.append(model)
        return compile_model(model, **options)

    monkeypatch.setattr(torch_backend, "compile_model", recording)
    return models


@pytest.fixture
def graphs(monkeypatch):
    """The ExaforgeGraphs the backend makes, in order."""
    made = []

    class Recorded(torch_backend.ExaforgeGraph):
        def __init__(self, *arguments):
            super().__init__(*arguments)
            made.append(self)

    monkeypatch.setattr(torch_backend, "ExaforgeGraph", Recorded)
    return made


def input_shapes(model):
    """{input name: [size or symbol name]} of an ONNX model."""
    return {i.name: [d.dim_param or d.dim_value
                     for d in i.type.tensor_type.shape.dim]
            for i in model.graph.input}


def test_same_signature_is_compiled_once_and_a_second_batch_is_symbolic(exported):
    # TorchDynamo's automatic dynamic shapes: the first batch size is
    # static; a second one recaptures the graph with a dynamic batch, which
    # one symbolic artifact serves for every later size.
    model = mlp()
    compiled = torch.compile(model, backend="exaforge")
    start = torch_backend.compile_count
    with torch.no_grad():
        for batch, compilations in ((3, 1), (3, 1), (5, 2), (7, 2), (5, 2)):
            x = torch.randn(batch, 16)
            assert_close(compiled(x), model(x))
            assert torch_backend.compile_count - start == compilations, batch
    first, second = (input_shapes(m)["input0"] for m in exported)
    assert first == [3, 16]
    assert isinstance(second[0], str) and second[1] == 16


def test_static_shapes_compile_once_per_batch():
    model = mlp()
    compiled = torch.compile(model, backend="exaforge", dynamic=False)
    start = torch_backend.compile_count
    with torch.no_grad():
        for batch, compilations in ((3, 1), (3, 1), (5, 2), (7, 3), (5, 3)):
            x = torch.randn(batch, 16)
            assert_close(compiled(x), model(x))
            assert torch_backend.compile_count - start == compilations, batch


class Flattening(torch.nn.Module):
    """Uses its batch size as a number (a SymInt argument of the graph when
    the batch is dynamic) and a buffer."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(12, 5)
        self.register_buffer("shift", torch.randn(5))

    def forward(self, x, y):
        h = self.linear(x) + self.shift
        return h.reshape(x.shape[0], 5, 1) * y.unsqueeze(1)


def test_dynamic_batch_is_one_symbolic_artifact(exported):
    model = Flattening().eval()
    compiled = torch.compile(model, backend="exaforge", dynamic=True)
    start = torch_backend.compile_count
    with torch.no_grad():
        for batch in (2, 3, 5, 3):
            x, y = torch.randn(batch, 12), torch.randn(batch, 7)
            assert_close(compiled(x, y), model(x, y))
    assert torch_backend.compile_count - start == 1
    shapes = input_shapes(exported[0])
    # The batch of x and y is one symbol; the size the weight fixes is
    # static; y's second dimension stays dynamic.
    assert list(shapes) == ["input0", "input1"]
    assert isinstance(shapes["input0"][0], str)
    assert shapes["input0"][1] == 12
    assert shapes["input1"][0] == shapes["input0"][0]
    assert isinstance(shapes["input1"][1], str)


class Pooling(torch.nn.Module):
    """A convolution and a MaxPool, which exaforge compiles with static
    spatial sizes only; `channels_last`: of an image [height, width,
    channels] instead of a batch [batch, channels, height, width]."""

    def __init__(self, channels_last=False):
        super().__init__()
        # 4 channels: a batch of the channels' size would be the same
        # symbol, which the weight makes static.
        self.conv = torch.nn.Conv2d(4, 4, 3, padding=1)
        self.channels_last = channels_last

    def forward(self, x):
        if self.channels_last:
            x = x.permute(2, 0, 1).unsqueeze(0)
        return torch.nn.functional.max_pool2d(self.conv(x), 2)


def test_symbolic_spatial_sizes_fall_back_to_a_symbolic_batch(graphs):
    # dynamic=True makes the spatial sizes symbolic too: the compiler
    # rejects that convolution, and the batch alone is symbolic.
    model = Pooling().eval()
    compiled = torch.compile(model, backend="exaforge", dynamic=True)
    start = torch_backend.compile_count
    with torch.no_grad():
        for batch in (2, 3, 5):
            x = torch.randn(batch, 4, 6, 6)
            assert_close(compiled(x), model(x))
    # The artifact all symbolic is rejected, the one of the batch is not.
    assert torch_backend.compile_count - start == 2
    (graph,) = graphs
    (failure,) = graph.symbolic_failures
    assert "Conv" in failure and "spatial input dimensions must be static" in failure
    assert len(graph.symbolic_names) == 1


def test_graph_rejected_with_symbolic_sizes_compiles_each_size(monkeypatch, graphs):
    # An image [height, width, channels]: its first dimension is spatial as
    # well, so each size is compiled on its own, without running in eager
    # PyTorch.
    monkeypatch.setattr(torch_backend, "_warned", set())
    model = Pooling(channels_last=True).eval()
    compiled = torch.compile(model, backend="exaforge", dynamic=True)
    start = torch_backend.compile_count
    with warnings.catch_warnings():
        warnings.simplefilter("error", torch_backend.ExaforgeFallbackWarning)
        with torch.no_grad():
            # 6 x 7: all symbolic, then the height, then static are compiled.
            for height, width, compilations in ((6, 7, 3), (8, 9, 4), (6, 7, 4),
                                                (10, 11, 5)):
                x = torch.randn(height, width, 4)
                assert_close(compiled(x), model(x))
                assert torch_backend.compile_count - start == compilations, height
    (graph,) = graphs
    assert graph.symbolic_names == frozenset()
    assert len(graph.symbolic_failures) == 2


def test_weights_are_constants_of_the_artifact(exported):
    model = torch.nn.Sequential(torch.nn.Linear(16, 8),
                                torch.nn.BatchNorm1d(8)).eval()
    compiled = torch.compile(model, backend="exaforge")
    x = torch.randn(3, 16)
    with torch.no_grad():
        assert_close(compiled(x), model(x))
    (onnx_model,) = exported
    assert [i.name for i in onnx_model.graph.input] == ["input0"]
    assert len(onnx_model.graph.initializer) > 0


def test_weights_over_the_limit_stay_inputs(exported, monkeypatch):
    monkeypatch.setattr(torch_backend, "MAX_CONSTANT_BYTES", 0)
    model = mlp()
    compiled = torch.compile(model, backend="exaforge")
    x = torch.randn(3, 16)
    with torch.no_grad():
        assert_close(compiled(x), model(x))
    (onnx_model,) = exported
    assert len(onnx_model.graph.input) == 5  # x, 2 weights, 2 biases
    assert len(onnx_model.graph.initializer) == 0


def test_changed_weights_are_compiled_again():
    model = torch.nn.Sequential(torch.nn.Linear(16, 8),
                                torch.nn.BatchNorm1d(8)).eval()
    compiled = torch.compile(model, backend="exaforge")
    x = torch.randn(3, 16)
    start = torch_backend.compile_count
    with torch.no_grad():
        assert_close(compiled(x), model(x))
        # In place, as optimizer.step() does.
        model[0].weight.mul_(-2.0)
        assert_close(compiled(x), model(x))
        # A buffer, through load_state_dict (copy_).
        state = model.state_dict()
        state["1.running_mean"] = torch.randn(8)
        model.load_state_dict(state)
        assert_close(compiled(x), model(x))
        # The data replaced (no version change).
        model[0].bias.data = torch.randn(8)
        assert_close(compiled(x), model(x))
        assert torch_backend.compile_count - start == 4
        # Unchanged: no compile.
        assert_close(compiled(x), model(x))
        assert torch_backend.compile_count - start == 4


class Slicing(torch.nn.Module):
    """Takes an integer argument, which is not a size of the tensors."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(16, 4)

    def forward(self, x, count):
        return self.linear(x) * count + x[:, :count].sum(1, keepdim=True)


def test_integer_arguments_are_compiled_per_value():
    model = Slicing().eval()
    compiled = torch.compile(model, backend="exaforge", dynamic=True)
    start = torch_backend.compile_count
    with torch.no_grad():
        for count, compilations in ((5, 1), (6, 2), (5, 2)):
            x = torch.randn(3, 16)
            assert_close(compiled(x, count), model(x, count))
            assert torch_backend.compile_count - start == compilations, count


def leaky(x, slope):
    return x * slope + torch.nn.functional.leaky_relu(x, slope)


def test_float_arguments_read_as_numbers_are_in_the_signature():
    # TorchDynamo passes a float that changed as a 0-d tensor, which the
    # graph reads with .item(): the exporter fixes that number.
    compiled = torch.compile(leaky, backend="exaforge")
    x = torch.randn(3, 4)
    with torch.no_grad():
        for slope in (0.5, 0.25, 2.0, 0.25, 0.5):
            assert_close(compiled(x, slope), leaky(x, slope))


def test_gradients_run_eagerly_and_inference_compiled():
    model = mlp()
    compiled = torch.compile(model, backend="exaforge")
    start = torch_backend.compile_count
    # An input that needs its gradient: eager, no compile.
    x = torch.randn(3, 16, requires_grad=True)
    compiled(x).sum().backward()
    expected = x.grad.clone()
    x.grad = None
    model(x).sum().backward()
    assert torch.allclose(expected, x.grad)
    assert model[0].weight.grad is not None
    assert torch_backend.compile_count == start
    # Only the parameters need theirs (inference without no_grad):
    # compiled, with the parameters as constants.
    x = torch.randn(3, 16)
    with torch.no_grad():
        expected = model(x)
    assert_close(compiled(x), expected)
    assert torch_backend.compile_count - start == 1


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


def small_gpt2():
    transformers = pytest.importorskip("transformers")
    config = transformers.GPT2Config(n_layer=2, n_embd=128, n_head=4,
                                     vocab_size=1000, n_positions=64,
                                     use_cache=False)
    return transformers.GPT2LMHeadModel(config).eval()


def test_gpt2_equals_eager():
    model = small_gpt2()
    compiled = torch.compile(model, backend="exaforge")
    ids, mask = text_inputs(model.config.vocab_size)
    with torch.no_grad():
        assert_close(compiled(input_ids=ids, attention_mask=mask).logits,
                     model(input_ids=ids, attention_mask=mask).logits)


def test_gpt2_of_dynamic_batch_and_length_is_compiled_once():
    model = small_gpt2()
    compiled = torch.compile(model, backend="exaforge", dynamic=True)
    start = torch_backend.compile_count
    with torch.no_grad():
        for batch, seq in ((2, 16), (3, 24)):
            ids, mask = text_inputs(model.config.vocab_size, batch, seq)
            assert_close(compiled(input_ids=ids, attention_mask=mask).logits,
                         model(input_ids=ids, attention_mask=mask).logits)
    assert torch_backend.compile_count - start == 1


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
