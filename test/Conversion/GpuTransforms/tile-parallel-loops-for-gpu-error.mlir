// RUN: exaforge-opt %s --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(tile-parallel-loops-for-gpu{block-size=0}))'

// Tests that a non-positive block size is refused.

// expected-error @+1 {{block-size must be positive, not 0}}
func.func @bad_block_size() {
  return
}
