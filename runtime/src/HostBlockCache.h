//===- HostBlockCache.h - Output blocks kept for the next run ---*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// A model output leaves its run's pool (BufferPool::detach) and is freed when
// the caller drops the tensor. A large block freed to the C library goes
// back to the system (glibc serves blocks above its mmap threshold, 32 MiB
// at most, with mmap and unmaps them on free), so the next run's output of
// the same size came from fresh pages: lraspp_mobilenet_v3_large at batch
// 8 writes a 34 MB segmentation map and took 8,200 page faults a run (about
// 4 ms of 52 on 2 threads). The cache keeps the large host blocks that
// dropped outputs were in, and hands one back to the next host allocation
// of exactly its size: a loop of runs that keeps one output at a time reuses
// two blocks and faults no page.
//
// It holds at most kMaxBlocks blocks and kMaxBytes bytes, dropping the
// oldest first, and only blocks of at least kMinBytes (smaller ones are
// reused by the C library itself). A host allocation that the system
// refuses empties it and tries again. Thread-safe; process-wide.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_HOSTBLOCKCACHE_H
#define EXAFORGE_RUNTIME_HOSTBLOCKCACHE_H

#include <cstddef>
#include <deque>
#include <mutex>

namespace exaforge::runtime {

/// Large host blocks kept after their last owner dropped them (see the file
/// comment).
class HostBlockCache {
public:
  /// The smallest block kept: 1 MiB.
  static constexpr size_t kMinBytes = size_t(1) << 20;
  /// The most blocks kept at once.
  static constexpr size_t kMaxBlocks = 8;
  /// The most bytes kept at once: 512 MiB.
  static constexpr size_t kMaxBytes = size_t(512) << 20;

  HostBlockCache() = default;
  ~HostBlockCache();
  HostBlockCache(const HostBlockCache &) = delete;
  HostBlockCache &operator=(const HostBlockCache &) = delete;

  /// The process's cache (never destroyed: tensors may be freed during
  /// the process's exit).
  static HostBlockCache &get();

  /// Returns a kept block of exactly `bytes` bytes whose start is aligned to
  /// `alignment`, no longer kept, or null when there is none.
  void *take(size_t bytes, size_t alignment);
  /// Keeps the block at `base` of `bytes` bytes (from std::aligned_alloc),
  /// dropping the oldest blocks to make room, or frees it when it is too
  /// small or larger than the cache.
  void give(void *base, size_t bytes);
  /// Frees every kept block; returns whether there was one.
  bool clear();

  /// The bytes kept now.
  size_t getKeptBytes() const;

private:
  /// A kept block.
  struct Block {
    void *base;
    size_t bytes;
  };

  /// Guards every member below.
  mutable std::mutex mutex;
  /// The kept blocks, oldest first.
  std::deque<Block> blocks;
  size_t keptBytes = 0;
};

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_HOSTBLOCKCACHE_H
