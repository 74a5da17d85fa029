//===- DistContext.h - The ranks a session runs among -----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// A session of a multi-rank artifact holds a DistContext: its communicator,
// the artifact's mesh, this rank's coordinates, and the groups made so far.
// The collectives that compiled code calls (collectives.h) find it in the
// run's execution context (ExecContext.h). Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_DISTCONTEXT_H
#define EXAFORGE_RUNTIME_DISTCONTEXT_H

#include "exaforge/runtime/communicator.h"

#include "runtime/support/Error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace exaforge::runtime {

/// The mesh of an artifact: named axes and their sizes; the rank of the
/// coordinates (c0, c1, ...) is their row-major linearization.
struct MeshSpec {
  std::vector<std::string> axes;
  std::vector<int64_t> shape;

  /// The number of ranks.
  int64_t getNumRanks() const;
  /// The coordinates of `rank`.
  std::vector<int64_t> getCoordinates(int64_t rank) const;
  /// The rank at `coordinates`.
  int64_t getRank(const std::vector<int64_t> &coordinates) const;
};

/// The ranks that a collective runs among, as the calling rank sees them.
struct Group {
  /// The communicator's handle; null for a group of one rank.
  void *handle = nullptr;
  int32_t size = 1;
  /// The caller's position in the group.
  int32_t position = 0;
};

/// Bytes and calls of the collectives of one run.
struct CommunicationStats {
  uint64_t calls = 0;
  uint64_t bytes = 0;
};

/// The communicator and mesh of a session (see the file comment).
class DistContext {
public:
  /// Checks that `communicator` has as many ranks as `mesh` and that its
  /// functions are set.
  static support::Expected<std::unique_ptr<DistContext>>
  create(const xf_communicator_t &communicator, MeshSpec mesh);
  ~DistContext();
  DistContext(const DistContext &) = delete;
  DistContext &operator=(const DistContext &) = delete;

  const xf_communicator_t &getCommunicator() const { return communicator; }
  const MeshSpec &getMesh() const { return mesh; }
  int32_t getRank() const { return communicator.rank; }

  /// The group of packed `axes` (collectives.h), made on first use.
  support::Expected<Group> getGroup(int64_t axes);
  /// The rank with the caller's coordinates except `coordinate` on `axis`.
  support::Expected<int32_t> getPeer(int64_t axis, int64_t coordinate) const;
  /// The caller's coordinate on mesh axis `axis`.
  support::Expected<int64_t> getCoordinate(int64_t axis) const;

  /// Statistics of the current run.
  CommunicationStats &getStats() { return stats; }

  /// The error of a failed communicator call, naming the operation and the
  /// communicator's reason ("all_reduce failed: ...").
  support::Error callFailed(const char *operation) const;

private:
  DistContext(const xf_communicator_t &communicator, MeshSpec mesh);

  xf_communicator_t communicator;
  MeshSpec mesh;
  std::vector<int64_t> coordinates;
  std::map<int64_t, Group> groups;
  CommunicationStats stats;
};

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_DISTCONTEXT_H
