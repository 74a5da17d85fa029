//===- DistContext.cpp - The ranks a session runs among -------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "DistContext.h"

#include "exaforge/abi/Contract.h"

#include <algorithm>

using namespace exaforge::runtime;
using exaforge::support::Error;
using exaforge::support::Expected;
using exaforge::support::makeError;

namespace {
/// The most axes a packed axis list holds (one byte each).
constexpr int kMaxPackedAxes = 8;
} // namespace

int64_t MeshSpec::getNumRanks() const {
  int64_t ranks = 1;
  for (int64_t size : shape)
    ranks *= size;
  return ranks;
}

std::vector<int64_t> MeshSpec::getCoordinates(int64_t rank) const {
  std::vector<int64_t> coordinates(shape.size());
  exaforge::abi::getMeshCoordinates(shape.data(), shape.size(), rank,
                                    coordinates.data());
  return coordinates;
}

int64_t MeshSpec::getRank(const std::vector<int64_t> &coordinates) const {
  int64_t rank = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    rank = rank * shape[i] + coordinates[i];
  return rank;
}

Expected<std::unique_ptr<DistContext>>
DistContext::create(const xf_communicator_t &communicator, MeshSpec mesh) {
  if (!communicator.create_group || !communicator.free_group ||
      !communicator.all_reduce || !communicator.all_gather ||
      !communicator.reduce_scatter || !communicator.all_to_all ||
      !communicator.broadcast || !communicator.send || !communicator.recv ||
      !communicator.error_message)
    return makeError("the communicator lacks some of its functions");
  if (communicator.size != mesh.getNumRanks())
    return makeError("the artifact was compiled for ", mesh.getNumRanks(),
                     " ranks, but the communicator has ", communicator.size);
  if (communicator.rank < 0 || communicator.rank >= communicator.size)
    return makeError("the communicator's rank ", communicator.rank,
                     " is not in 0..", communicator.size - 1);
  return std::unique_ptr<DistContext>(
      new DistContext(communicator, std::move(mesh)));
}

DistContext::DistContext(const xf_communicator_t &communicator, MeshSpec mesh)
    : communicator(communicator), mesh(std::move(mesh)) {
  coordinates = this->mesh.getCoordinates(communicator.rank);
}

DistContext::~DistContext() {
  for (auto &[axes, group] : groups)
    if (group.handle)
      communicator.free_group(communicator.context, group.handle);
}

Expected<Group> DistContext::getGroup(int64_t axes) {
  if (auto it = groups.find(axes); it != groups.end())
    return it->second;
  std::vector<size_t> groupAxes;
  for (int i = 0; i < kMaxPackedAxes; ++i) {
    int64_t code = (axes >> (8 * i)) & 0xff;
    if (code == 0)
      break;
    size_t axis = static_cast<size_t>(code - 1);
    if (axis >= mesh.shape.size() ||
        std::find(groupAxes.begin(), groupAxes.end(), axis) != groupAxes.end())
      return makeError("invalid collective group ", axes, " for a mesh of ",
                       mesh.shape.size(), " axes");
    groupAxes.push_back(axis);
  }
  // Enumerate the members in group order: the caller's coordinates, with
  // those on the group's axes counting up, the last axis fastest.
  std::vector<int32_t> members;
  Group group;
  std::vector<int64_t> member = coordinates;
  for (size_t axis : groupAxes)
    member[axis] = 0;
  while (true) {
    if (member == coordinates)
      group.position = static_cast<int32_t>(members.size());
    members.push_back(static_cast<int32_t>(mesh.getRank(member)));
    size_t i = groupAxes.size();
    while (i > 0 && ++member[groupAxes[i - 1]] == mesh.shape[groupAxes[i - 1]])
      member[groupAxes[--i]] = 0;
    if (i == 0)
      break;
  }
  group.size = static_cast<int32_t>(members.size());
  if (group.size > 1 &&
      communicator.create_group(communicator.context, members.data(),
                                group.size, &group.handle) != 0)
    return callFailed("creating a group");
  groups[axes] = group;
  return group;
}

Expected<int32_t> DistContext::getPeer(int64_t axis, int64_t coordinate) const {
  if (axis < 0 || axis >= static_cast<int64_t>(mesh.shape.size()) ||
      coordinate < 0 || coordinate >= mesh.shape[axis])
    return makeError("no rank at coordinate ", coordinate, " of mesh axis ",
                     axis);
  std::vector<int64_t> peer = coordinates;
  peer[axis] = coordinate;
  return static_cast<int32_t>(mesh.getRank(peer));
}

Expected<int64_t> DistContext::getCoordinate(int64_t axis) const {
  if (axis < 0 || axis >= static_cast<int64_t>(mesh.shape.size()))
    return makeError("the mesh has no axis ", axis);
  return coordinates[axis];
}

Error DistContext::callFailed(const char *operation) const {
  const char *reason = communicator.error_message(communicator.context);
  // The caller names the rank (a session is one rank's).
  return makeError(operation, " failed: ", reason ? reason : "unknown error");
}
