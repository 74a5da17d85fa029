//===- BufferPool.cpp - Buffers of compiled code, reused by size ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Every buffer carries a 64-byte header in front of it that records its
// capacity and owning pool, so xf_free needs nothing but the pointer.
// Implements exaforge/abi/allocation.h: an allocation the system refuses
// never returns NULL to compiled code; it stops the run (EarlyExit.h).
//
//===----------------------------------------------------------------------===//

#include "BufferPool.h"
#include "EarlyExit.h"
#include "ExecContext.h"
#include "HostBlockCache.h"

#include "exaforge/abi/allocation.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace exaforge::runtime {

/// Lies in front of the data of every host buffer, so that a detached one
/// (a model output) can be freed from its data address alone.
struct alignas(64) DetachedHeader {
  /// The start of the system allocation.
  void *base;
  /// Its size in bytes.
  size_t bytes;
};
static_assert(sizeof(DetachedHeader) == 64,
              "the header keeps 64-byte alignment");

namespace {
/// Alignment every buffer gets (a cache line, and what AVX-512 wants).
constexpr size_t kAlignment = 64;
/// The largest buffer asked of the system: more than any machine has, and
/// small enough that rounding it up and adding the header cannot wrap.
constexpr size_t kLargestBuffer = size_t(1) << 62;

DetachedHeader *headerOf(void *ptr) {
  return reinterpret_cast<DetachedHeader *>(static_cast<char *>(ptr) -
                                            sizeof(DetachedHeader));
}

/// Allocates `capacity` usable bytes whose data is aligned to `alignment`
/// (a power of two) from `source`, with room for a header in front of the
/// data (written for host memory only); returns the data, and the
/// allocation's start in `base`, or null.
void *allocateData(const MemorySource &source, size_t capacity,
                   size_t alignment, void *&base) {
  alignment = std::max(alignment, kAlignment);
  if (capacity > kLargestBuffer || alignment > kLargestBuffer ||
      alignment > source.maxAlignment)
    return nullptr;
  size_t total = alignment + capacity;
  total = (total + alignment - 1) / alignment * alignment;
  base = source.allocate(total, alignment);
  if (!base)
    return nullptr;
  auto *data = static_cast<char *>(base) + alignment;
  if (source.isHost)
    *headerOf(data) = DetachedHeader{base, total};
  return data;
}

/// Rounds a request up to the size class it is pooled under: multiples of
/// 64 bytes below 4 KiB, then of 4 KiB.
size_t roundCapacity(size_t size) {
  if (size > kLargestBuffer)
    return size; // refused by allocateBlock
  size_t granule = size < 4096 ? 64 : 4096;
  return std::max<size_t>((size + granule - 1) / granule * granule, granule);
}

/// MemorySource::allocate of host memory: a block that a dropped output
/// was in when one of exactly this size is kept (HostBlockCache.h), else
/// the C library's, after emptying the cache when the library refuses.
void *allocateHost(size_t bytes, size_t alignment) {
  HostBlockCache &cache = HostBlockCache::get();
  if (void *kept = cache.take(bytes, alignment))
    return kept;
  void *base = std::aligned_alloc(alignment, bytes);
  if (!base && cache.clear())
    base = std::aligned_alloc(alignment, bytes);
  return base;
}
} // namespace

const MemorySource &getHostMemory() {
  static const MemorySource host{allocateHost, std::free, kLargestBuffer, true};
  return host;
}

BufferPool::~BufferPool() {
  for (auto &[capacity, block] : freeBlocks)
    source->release(block.second.base);
  for (auto &[data, block] : live)
    source->release(block.base);
}

void *BufferPool::allocate(size_t size, size_t alignment) {
  std::lock_guard<std::mutex> lock(mutex);
  size_t capacity = roundCapacity(size);
  void *data = nullptr;
  Block block{};
  // Best fit among free blocks of up to twice the size needed.
  auto it = alignment <= kAlignment ? freeBlocks.lower_bound(capacity)
                                    : freeBlocks.end();
  if (it != freeBlocks.end() && it->first <= 2 * capacity) {
    data = it->second.first;
    block = it->second.second;
    freeBlocks.erase(it);
  } else {
    data = allocateData(*source, capacity, alignment, block.base);
    if (!data)
      return nullptr;
    block.capacity = capacity;
    reservedBytes += capacity;
  }
  live.emplace(data, block);
  liveBytes += block.capacity;
  allocatedBytes += capacity;
  peakLiveBytes = std::max(peakLiveBytes, liveBytes);
  return data;
}

bool BufferPool::release(void *ptr) {
  std::lock_guard<std::mutex> lock(mutex);
  auto it = live.find(ptr);
  if (it == live.end())
    return false;
  liveBytes -= it->second.capacity;
  freeBlocks.emplace(it->second.capacity, *it);
  live.erase(it);
  return true;
}

void BufferPool::detach(void *ptr) {
  std::lock_guard<std::mutex> lock(mutex);
  auto it = source->isHost ? live.find(ptr) : live.end();
  if (it == live.end())
    return;
  liveBytes -= it->second.capacity;
  reservedBytes -= it->second.capacity;
  live.erase(it);
}

void BufferPool::beginRun() {
  std::lock_guard<std::mutex> lock(mutex);
  liveBytes = peakLiveBytes = allocatedBytes = 0;
}

void BufferPool::endRun() {
  std::lock_guard<std::mutex> lock(mutex);
  for (auto &entry : live)
    freeBlocks.emplace(entry.second.capacity, entry);
  live.clear();
  liveBytes = 0;
}

void BufferPool::releaseFreeBuffers() {
  std::lock_guard<std::mutex> lock(mutex);
  for (auto &[capacity, block] : freeBlocks) {
    reservedBytes -= capacity;
    source->release(block.second.base);
  }
  freeBlocks.clear();
}

bool BufferPool::owns(void *ptr) const {
  std::lock_guard<std::mutex> lock(mutex);
  return live.count(ptr) != 0;
}

uint64_t BufferPool::getLiveBytes() const {
  std::lock_guard<std::mutex> lock(mutex);
  return liveBytes;
}

uint64_t BufferPool::getPeakLiveBytes() const {
  std::lock_guard<std::mutex> lock(mutex);
  return peakLiveBytes;
}

uint64_t BufferPool::getAllocatedBytes() const {
  std::lock_guard<std::mutex> lock(mutex);
  return allocatedBytes;
}

uint64_t BufferPool::getReservedBytes() const {
  std::lock_guard<std::mutex> lock(mutex);
  return reservedBytes;
}

void *allocateDetachedBuffer(size_t size, size_t alignment) {
  void *base = nullptr;
  return allocateData(getHostMemory(), roundCapacity(size), alignment, base);
}

void releaseDetachedBuffer(void *ptr) {
  if (!ptr)
    return;
  // A model output: the next run's may reuse its block.
  const DetachedHeader &header = *headerOf(ptr);
  HostBlockCache::get().give(header.base, header.bytes);
}

} // namespace exaforge::runtime

using namespace exaforge::runtime;

//===----------------------------------------------------------------------===//
// The allocation functions compiled code calls
//===----------------------------------------------------------------------===//

extern "C" void *xf_alloc(xf_exec_context *context, size_t size,
                          size_t alignment, const char *node) {
  alignment = std::max(alignment, kAlignment);
  BufferPool *pool = context->getPool();
  void *buffer = pool ? pool->allocate(size, alignment)
                      : allocateDetachedBuffer(size, alignment);
  if (buffer)
    return buffer;
  // Compiled code would write through NULL: record why and leave it.
  context->recordOutOfMemory(size, pool ? pool->getLiveBytes() : 0, node);
  if (canExitEarly())
    exitEarly();
  // No session called this code (a standalone context): nowhere to return
  // to, so the process ends with the reason.
  std::fprintf(stderr, "exaforge runtime: %s\n",
               context->getOutOfMemory()->c_str());
  std::abort();
}

extern "C" void xf_free(xf_exec_context *context, void *ptr) {
  if (!ptr)
    return;
  // A buffer of the run's pool, or (without a pool) a detached one.
  BufferPool *pool = context->getPool();
  if (!pool || !pool->release(ptr))
    releaseDetachedBuffer(ptr);
}
