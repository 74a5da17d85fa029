//===- MpiSessionModule.cpp - exaforge._mpi: one rank of an MPI job -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The native module `exaforge._mpi`: `NativeMpiSession` opens an artifact
// compiled for several ranks in one process of an MPI job (started by
// `mpirun -n N python ...`, `srun` or `exaforge-run`), over the runtime's
// MPI transport (exaforge/runtime/mpi.h), or for a CUDA artifact over NCCL
// (exaforge/runtime/nccl.h) bootstrapped over MPI. It is a module of its
// own so that `import exaforge` needs no MPI library: Python imports it when
// the first multi-rank session opens.
//
// MPI: initialized here (MPI_THREAD_MULTIPLE asked for) unless the program
// already did (mpi4py does); `finalize()` closes the sessions still open and
// finalizes MPI when this module initialized it (Python calls it at exit).
// Every call of a session is collective over MPI_COMM_WORLD, whose ranks are
// the artifact's: every process makes the same calls in the same order. The
// calls of all sessions are serialized by one lock, so that sessions used
// from several threads reach MPI in one order on every rank.
//
//===----------------------------------------------------------------------===//

#include "SessionArrays.h"

#include "exaforge/runtime/mpi.h"
#include "exaforge/runtime/nccl.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <climits>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace nb = nanobind;
using namespace exaforge::python;

namespace {
class NativeMpiSession;

/// The state of MPI in this process, shared by every session.
struct MpiState {
  /// Serializes the sessions' collective calls (see the file comment).
  std::mutex lock;
  /// Whether this module called MPI_Init_thread (then it finalizes MPI).
  bool initializedHere = false;
  /// The sessions open now; `finalize` closes them.
  std::set<NativeMpiSession *> open;
};

MpiState &getMpiState() {
  static MpiState *state = new MpiState(); // Never destroyed: used at exit.
  return *state;
}

/// Raises exaforge.errors.RunError with `message`.
[[noreturn]] void raiseRunError(const std::string &message) {
  nb::object type = nb::module_::import_("exaforge.errors").attr("RunError");
  PyErr_SetString(type.ptr(), message.c_str());
  throw nb::python_error();
}

/// Initializes MPI unless it is already; raises when it was finalized.
void ensureMpiInitialized(MpiState &state) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (finalized)
    raiseRunError("MPI was finalized in this process: no multi-rank session "
                  "can open any more");
  if (initialized)
    return;
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided) !=
      MPI_SUCCESS)
    raiseRunError("MPI_Init_thread failed");
  state.initializedHere = true;
}

/// One rank's session of a multi-rank artifact.
class NativeMpiSession {
public:
  /// Opens the artifact directory `path` on every rank of MPI_COMM_WORLD,
  /// with `threads` kernel threads per rank (0: all cores); with `nccl`, the
  /// compiled code's collectives run on NCCL (nccl.h), bootstrapped over
  /// MPI. Collective.
  NativeMpiSession(const std::string &path, int threads, bool nccl) {
    MpiState &state = getMpiState();
    std::lock_guard<std::mutex> guard(state.lock);
    ensureMpiInitialized(state);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &worldSize);
    if (xf_status_t *status =
            xf_mpi_communicator_create(MPI_COMM_WORLD, &communicator))
      raiseStatus(status);
    if (nccl)
      createNcclCommunicator();
    xf_session_options_t options{};
    options.num_threads = threads;
    options.rank = rank;
    options.communicator = ncclCommunicator ? ncclCommunicator : communicator;
    if (xf_status_t *status = xf_mpi_session_open(path.c_str(), &options,
                                                  MPI_COMM_WORLD, &session)) {
      close();
      raiseStatus(status);
    }
    if (xf_status_t *status = specs.read(session)) {
      close();
      raiseStatus(status);
    }
    state.open.insert(this);
  }
  NativeMpiSession(const NativeMpiSession &) = delete;
  NativeMpiSession &operator=(const NativeMpiSession &) = delete;
  ~NativeMpiSession() {
    MpiState &state = getMpiState();
    std::lock_guard<std::mutex> guard(state.lock);
    state.open.erase(this);
    close();
  }

  /// Closes the session and frees its communicators (once).
  void close() {
    xf_session_close(session);
    xf_nccl_communicator_free(ncclCommunicator);
    xf_mpi_communicator_free(communicator);
    session = nullptr;
    ncclCommunicator = nullptr;
    communicator = nullptr;
  }

  /// Makes the NCCL communicator over the MPI one. The ranks agree on
  /// failure (a rank without NCCL or a GPU), so that none goes on to open
  /// the session while another gave up: every rank raises.
  void createNcclCommunicator() {
    xf_status_t *status =
        xf_nccl_communicator_create(communicator, &ncclCommunicator);
    int mine = status ? rank : INT_MAX, failed = INT_MAX;
    MPI_Allreduce(&mine, &failed, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (failed == INT_MAX)
      return;
    close();
    if (status)
      raiseStatus(status);
    raiseRunError("rank " + std::to_string(failed) +
                  " could not create its NCCL communicator");
  }

  /// The inputs, as `SessionSpecs::describeInputs` gives them.
  nb::list getInputs() const { return specs.describeInputs(); }
  /// The outputs, as `SessionSpecs::describeOutputs` gives them.
  nb::list getOutputs() const { return specs.describeOutputs(); }

  /// Runs the model on every rank (collective). Rank 0 gives the inputs, as
  /// NativeSession.run takes them, and gets the whole outputs; the other
  /// ranks' `values` are not read, and they get an empty dict.
  nb::dict run(nb::handle values) {
    if (!session)
      raiseRunError("the session was closed when MPI was finalized");
    RunInputs given;
    std::vector<xf_tensor_t *> results;
    if (rank == 0) {
      results.assign(specs.outputs.size(), nullptr);
      try {
        given = readRunInputs(values, specs);
      } catch (...) {
        // The other ranks are entering the run: run with no inputs, which
        // the runtime refuses on every rank, so that none waits for this
        // one; then raise what was wrong with the inputs here.
        refuseRun(results);
        throw;
      }
      lastRunCopiedInputs = given.copied;
    }
    MpiState &state = getMpiState();
    xf_status_t *status;
    {
      nb::gil_scoped_release release;
      std::lock_guard<std::mutex> guard(state.lock);
      status = xf_mpi_session_run(session, MPI_COMM_WORLD, given.buffers.data(),
                                  given.buffers.size(), results.data(),
                                  results.size());
      if (status && xf_mpi_status_stopped_alone(status)) {
        // The other ranks may be waiting for this one inside a collective:
        // only ending the job frees them (mpi.h).
        std::fprintf(stderr, "exaforge: rank %d: %s; ending the MPI job\n",
                     rank, xf_status_message(status));
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, 1);
      }
    }
    if (status)
      raiseStatus(status);
    if (rank != 0)
      return nb::dict();
    return toOutputDict(results, specs);
  }

private:
  /// Runs with no inputs (rank 0 only): every rank fails, agreeing on it.
  void refuseRun(std::vector<xf_tensor_t *> &results) {
    MpiState &state = getMpiState();
    nb::gil_scoped_release release;
    std::lock_guard<std::mutex> guard(state.lock);
    xf_status_free(xf_mpi_session_run(session, MPI_COMM_WORLD, nullptr, 0,
                                      results.data(), results.size()));
  }

public:
  /// This process's rank and the job's number of ranks.
  int rank = 0;
  int worldSize = 1;
  /// How many inputs of the last run rank 0 copied or converted.
  size_t lastRunCopiedInputs = 0;

private:
  xf_communicator_t *communicator = nullptr;
  xf_communicator_t *ncclCommunicator = nullptr;
  xf_session_t *session = nullptr;
  SessionSpecs specs;
};

/// Closes the sessions still open and finalizes MPI if this module
/// initialized it. Python calls it at exit (exaforge/session.py).
void finalize() {
  MpiState &state = getMpiState();
  std::lock_guard<std::mutex> guard(state.lock);
  for (NativeMpiSession *session : state.open)
    session->close();
  state.open.clear();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (state.initializedHere && !finalized)
    MPI_Finalize();
}
} // namespace

NB_MODULE(_mpi, module) {
  module.doc() = "One rank of an MPI job running a multi-rank artifact.";
  nb::class_<NativeMpiSession>(module, "NativeMpiSession")
      .def(nb::init<const std::string &, int, bool>(), nb::arg("path"),
           nb::arg("threads"), nb::arg("nccl"))
      .def_prop_ro("inputs", &NativeMpiSession::getInputs)
      .def_prop_ro("outputs", &NativeMpiSession::getOutputs)
      .def_ro("rank", &NativeMpiSession::rank)
      .def_ro("world_size", &NativeMpiSession::worldSize)
      .def_ro("last_run_copied_inputs", &NativeMpiSession::lastRunCopiedInputs)
      .def("run", &NativeMpiSession::run, nb::arg("inputs").none());
  module.def("finalize", &finalize,
             "Closes the open sessions and finalizes MPI if this module "
             "initialized it.");
}
