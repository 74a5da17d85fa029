//===- Runtime.hpp - C++ wrapper of the Exaforge runtime --------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// A thin, header-only C++ layer over api.h: RAII ownership of sessions,
// tensors and statuses, and std containers instead of pointer/count pairs.
// It does not throw (Exaforge builds without exceptions): calls that can
// fail return a Status.
//
//   exaforge::rt::Session session;
//   if (exaforge::rt::Status s = session.open("model.xf"); !s.ok())
//     std::cerr << s.message() << "\n";
//   std::vector<exaforge::rt::Tensor> outputs;
//   exaforge::rt::Status s = session.run(inputs, outputs);
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_RUNTIME_HPP
#define EXAFORGE_RUNTIME_RUNTIME_HPP

#include "exaforge/runtime/api.h"

#include <memory>
#include <string>
#include <vector>

namespace exaforge::rt {

/// The result of a call: success, or an error with a code and a message.
class Status {
public:
  Status() = default;
  /// Takes ownership of `status` (null means success).
  explicit Status(xf_status_t *status) : status(status) {}
  bool ok() const { return !status; }
  xf_status_code_t code() const { return xf_status_code(status.get()); }
  std::string message() const { return xf_status_message(status.get()); }

private:
  struct Free {
    void operator()(xf_status_t *s) const { xf_status_free(s); }
  };
  std::unique_ptr<xf_status_t, Free> status;
};

/// A tensor the runtime returned; owns its data.
class Tensor {
public:
  explicit Tensor(xf_tensor_t *tensor) : tensor(tensor) {}
  const void *data() const { return xf_tensor_data(tensor.get()); }
  /// The elements as `T` (which must match dtype()).
  template <typename T> const T *dataAs() const {
    return static_cast<const T *>(data());
  }
  size_t nbytes() const { return xf_tensor_nbytes(tensor.get()); }
  xf_dtype_t dtype() const { return xf_tensor_dtype(tensor.get()); }
  std::vector<int64_t> shape() const {
    const int64_t *sizes = xf_tensor_shape(tensor.get());
    return {sizes, sizes + xf_tensor_rank(tensor.get())};
  }

private:
  struct Free {
    void operator()(xf_tensor_t *t) const { xf_tensor_free(t); }
  };
  std::unique_ptr<xf_tensor_t, Free> tensor;
};

/// An opened artifact.
class Session {
public:
  /// Opens the artifact directory `path`; `numThreads` 0 means all cores.
  Status open(const std::string &path, int32_t numThreads = 0) {
    xf_session_options_t options{numThreads, /*rank=*/0};
    xf_session_t *opened = nullptr;
    Status status(xf_session_open(path.c_str(), &options, &opened));
    if (status.ok())
      session.reset(opened);
    return status;
  }

  /// The declared inputs and outputs (valid while the session is open).
  std::vector<xf_tensor_info_t> inputs() const {
    return describe(xf_session_num_inputs(session.get()),
                    xf_session_input_info);
  }
  std::vector<xf_tensor_info_t> outputs() const {
    return describe(xf_session_num_outputs(session.get()),
                    xf_session_output_info);
  }

  /// Runs the model; `outputs` receives one tensor per model output.
  Status run(const std::vector<xf_buffer_t> &inputs,
             std::vector<Tensor> &outputs) {
    std::vector<xf_tensor_t *> results(xf_session_num_outputs(session.get()));
    Status status(xf_session_run(session.get(), inputs.data(), inputs.size(),
                                 results.data(), results.size()));
    if (status.ok()) {
      outputs.clear();
      for (xf_tensor_t *result : results)
        outputs.emplace_back(result);
    }
    return status;
  }

  /// Memory statistics (api.h, xf_memory_stats_t).
  xf_memory_stats_t memoryStats() const {
    xf_memory_stats_t stats;
    xf_session_memory_stats(session.get(), &stats);
    return stats;
  }

  xf_session_t *get() const { return session.get(); }

private:
  using InfoFunction = xf_status_t *(*)(const xf_session_t *, size_t,
                                        xf_tensor_info_t *);
  std::vector<xf_tensor_info_t> describe(size_t count,
                                         InfoFunction info) const {
    std::vector<xf_tensor_info_t> infos(count);
    for (size_t i = 0; i < count; ++i)
      Status(info(session.get(), i, &infos[i]));
    return infos;
  }
  struct Close {
    void operator()(xf_session_t *s) const { xf_session_close(s); }
  };
  std::unique_ptr<xf_session_t, Close> session;
};

} // namespace exaforge::rt

#endif // EXAFORGE_RUNTIME_RUNTIME_HPP
