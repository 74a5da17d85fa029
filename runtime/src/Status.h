//===- Status.h - Errors of the runtime C API -------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_STATUS_H
#define EXAFORGE_RUNTIME_STATUS_H

#include "exaforge/runtime/api.h"

#include <string>

/// An error of the C API (api.h).
struct xf_status {
  xf_status_code_t code;
  std::string message;
  /// Set by the MPI transport on a failure every rank of a run returned
  /// (they agreed on it): it does not end the job (xf_mpi_status_
  /// stopped_alone, mpi.h).
  bool agreed = false;
};

namespace exaforge::runtime {

/// "node 'name': ", which starts a message about the ONNX node `node`, or
/// "" when the node is unknown (null or empty).
inline std::string formatNodePrefix(const char *node) {
  return node && *node ? "node '" + std::string(node) + "': " : std::string();
}

/// Creates an error status the caller of the C API frees.
inline xf_status_t *makeStatus(xf_status_code_t code,
                               const std::string &message) {
  return new xf_status{code, message};
}

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_STATUS_H
