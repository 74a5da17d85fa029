//===- BufferPool.h - Buffers of compiled code, reused by size --*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Every buffer compiled code allocates comes from the runtime (xf_alloc,
// exaforge/abi/allocation.h). During a run they come from the run's
// BufferPool, which the run's execution context holds: a freed buffer goes to
// the pool's free list and is handed to the next allocation it fits, so the
// bytes a run holds follow the set of buffers live at once (the compiler frees
// each buffer after its last use), not the sum of all intermediate tensors.
// Pools are kept by the session between runs, so a steady-state run allocates
// nothing from the system.
//
// A buffer that leaves the run (a model output) is detached from its pool
// and freed with releaseDetachedBuffer.
//
// A pool takes its blocks from a MemorySource: host memory for CPU
// artifacts, managed memory of the GPU for CUDA artifacts
// (cuda/CudaDevice.h). Only host blocks can be detached. The pool's
// records of its blocks are host memory of their own: it never writes into
// a block, which GPU work may be using while the host allocates (a host
// block also carries a header in front of its data, which a detached
// buffer is freed by).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_BUFFERPOOL_H
#define EXAFORGE_RUNTIME_BUFFERPOOL_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace exaforge::runtime {

/// Where a pool's blocks come from: `allocate` returns `bytes` aligned to
/// `alignment` (a power of two, at most `maxAlignment`), or null when the
/// memory is refused; `release` frees what it returned.
struct MemorySource {
  void *(*allocate)(size_t bytes, size_t alignment);
  void (*release)(void *base);
  size_t maxAlignment;
  /// Whether the blocks are ordinary host memory, which a caller may keep
  /// and free with releaseDetachedBuffer.
  bool isHost;
};

/// Host memory (std::aligned_alloc and std::free).
const MemorySource &getHostMemory();

/// The buffers of one run at a time. Thread-safe: the threads of the run's
/// parallel loops allocate from it too.
class BufferPool {
public:
  /// A pool of host memory.
  BufferPool() : source(&getHostMemory()) {}
  /// A pool whose blocks come from `source`, which must outlive it.
  explicit BufferPool(const MemorySource &source) : source(&source) {}
  ~BufferPool();
  BufferPool(const BufferPool &) = delete;
  BufferPool &operator=(const BufferPool &) = delete;

  /// Returns `size` bytes aligned to `alignment` (at most 64 is pooled;
  /// larger alignments are served directly), or null when out of memory.
  void *allocate(size_t size, size_t alignment);
  /// Returns the buffer at `ptr` (from allocate) to the free list; false
  /// when it is not a live buffer of this pool.
  bool release(void *ptr);
  /// Whether `ptr` is a live buffer of this pool.
  bool owns(void *ptr) const;
  /// Whether detach may be used: the blocks are host memory.
  bool canDetach() const { return source->isHost; }
  /// Removes the live buffer `ptr` from the pool: it now belongs to the
  /// caller, who frees it with releaseDetachedBuffer.
  void detach(void *ptr);

  /// Starts a run: resets the per-run counters.
  void beginRun();
  /// Ends a run: buffers the compiled code did not free and that were not
  /// detached go back to the free list.
  void endRun();
  /// Gives the free buffers back to the system (after a run that ran out of
  /// memory, so that the session does not keep what it could get).
  void releaseFreeBuffers();

  /// The bytes of the buffers live now.
  uint64_t getLiveBytes() const;
  /// The most bytes live at once since beginRun.
  uint64_t getPeakLiveBytes() const;
  /// The bytes allocated since beginRun, as if nothing were reused.
  uint64_t getAllocatedBytes() const;
  /// The bytes held from the system, live or free.
  uint64_t getReservedBytes() const;

private:
  /// A block from the source: where the source's allocation starts, and
  /// the usable bytes at its data.
  struct Block {
    void *base;
    size_t capacity;
  };

  const MemorySource *source;
  /// Guards every member below.
  mutable std::mutex mutex;
  /// The free blocks by capacity, each with its data address.
  std::multimap<size_t, std::pair<void *, Block>> freeBlocks;
  /// The live blocks by data address.
  std::unordered_map<void *, Block> live;
  uint64_t liveBytes = 0, peakLiveBytes = 0, allocatedBytes = 0,
           reservedBytes = 0;
};

/// Allocates a buffer that belongs to no pool.
void *allocateDetachedBuffer(size_t size, size_t alignment);
/// Frees a buffer that belongs to no pool (allocated or detached).
void releaseDetachedBuffer(void *ptr);

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_BUFFERPOOL_H
