"""The device check of the CUDA target (`utils/gpu-check.sh`).

`prepare` (run where Exaforge is built) fills a folder with artifacts,
runtime libraries, reference outputs and this package; `run` (run on the
machine with the GPU, or here for a `--target cpu` folder) runs the
artifacts through the runtime's C API (`xf_runtime`), compares them with
the references and times them against PyTorch (`onnx_torch`). See
docs/design/cuda-target.md, "The device check".

The device-side modules (`xf_runtime`, `onnx_torch`, `inputs`, `weights`,
`timing`, `run`) need only the Python standard library, numpy, onnx and
torch: the device has no Exaforge Python bindings.
"""
