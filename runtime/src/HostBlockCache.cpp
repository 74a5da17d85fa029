//===- HostBlockCache.cpp - Output blocks kept for the next run -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "HostBlockCache.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace exaforge::runtime {

HostBlockCache::~HostBlockCache() { clear(); }

HostBlockCache &HostBlockCache::get() {
  static auto *cache = new HostBlockCache;
  return *cache;
}

void *HostBlockCache::take(size_t bytes, size_t alignment) {
  if (bytes < kMinBytes)
    return nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  // The newest first: the block a loop of runs dropped last.
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
    if (it->bytes != bytes ||
        reinterpret_cast<uintptr_t>(it->base) % alignment != 0)
      continue;
    void *base = it->base;
    keptBytes -= it->bytes;
    blocks.erase(std::next(it).base());
    return base;
  }
  return nullptr;
}

void HostBlockCache::give(void *base, size_t bytes) {
  if (bytes < kMinBytes || bytes > kMaxBytes) {
    std::free(base);
    return;
  }
  std::vector<void *> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex);
    while (!blocks.empty() &&
           (blocks.size() >= kMaxBlocks || keptBytes + bytes > kMaxBytes)) {
      dropped.push_back(blocks.front().base);
      keptBytes -= blocks.front().bytes;
      blocks.pop_front();
    }
    blocks.push_back({base, bytes});
    keptBytes += bytes;
  }
  // Freed outside the lock: giving pages back to the system takes time.
  for (void *block : dropped)
    std::free(block);
}

bool HostBlockCache::clear() {
  std::deque<Block> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex);
    dropped.swap(blocks);
    keptBytes = 0;
  }
  for (const Block &block : dropped)
    std::free(block.base);
  return !dropped.empty();
}

size_t HostBlockCache::getKeptBytes() const {
  std::lock_guard<std::mutex> lock(mutex);
  return keptBytes;
}

} // namespace exaforge::runtime
