//===- OnnxRelu.h - ONNX's Relu of one value --------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The ReLU the library kernels apply after their call (XF_KERNEL_RELU), as
// ONNX's Relu and linalg's `maximumf(x, 0)` compute it. oneDNN's ReLU
// post-op turns NaN into 0, so the kernels apply this one themselves.
// Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_ONNXRELU_H
#define EXAFORGE_RUNTIME_ONNXRELU_H

namespace exaforge::runtime {

/// ONNX's Relu of one value: 0 for a negative x and for -0, x otherwise;
/// NaN stays NaN.
inline float computeRelu(float x) { return x > 0.0f || x != x ? x : 0.0f; }

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_ONNXRELU_H
