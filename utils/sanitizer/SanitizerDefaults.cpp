//===- SanitizerDefaults.cpp - Sanitizer options of the sanitized tools ---===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Linked into every executable of a sanitized build (EXAFORGE_SANITIZE; see
// docs/sanitizers-and-fuzzing.md): the defaults the ASan runtime reads at
// start-up, before $ASAN_OPTIONS / $LSAN_OPTIONS (which still override them).
//
// allow_user_poisoning=0: under -fsanitize=address, llvm/Support/Compiler.h
// turns on the ASan annotations of LLVM's inline BumpPtrAllocator code: our
// instrumented copy of it poisons each new slab and unpoisons what it hands
// out. Debian's libLLVM and libMLIR are not instrumented, and their copies
// of that code allocate from the same allocators (an MLIRContext's attribute
// storage) without unpoisoning, so ASan reported a use-after-poison in
// libMLIR's memcpy of a storage our code had allocated the slab for. The
// option makes such manual annotations no-ops; no Exaforge code makes any.
//
// allocator_may_return_null=1: an allocation the system cannot serve (a
// buffer of 4 TiB) returns null, as without ASan, instead of ending the
// process with ASan's report; the runtime turns it into its clean error
// (docs/design/out-of-memory.md).
//
// Leak suppressions: Open MPI keeps allocations of MPI_Init (and of the
// components it loads and unloads, and of its libevent progress thread)
// until exit; they are reported from the ranks of exaforge-run and of
// exaforge-nccl-communicator-test otherwise. Only stacks through Open MPI's
// libraries are suppressed: a leak of our own code is still a failure. Open
// MPI's components have no frame pointers, so these MPI programs (built
// with EXAFORGE_SANITIZER_MPI_TOOL) record allocation stacks with the
// slower DWARF unwinder (fast_unwind_on_malloc=0), which reaches libmpi's
// frames.
//
//===----------------------------------------------------------------------===//

extern "C" const char *__asan_default_options() {
#ifdef EXAFORGE_SANITIZER_MPI_TOOL
  return "allow_user_poisoning=0:allocator_may_return_null=1:"
         "fast_unwind_on_malloc=0";
#else
  return "allow_user_poisoning=0:allocator_may_return_null=1";
#endif
}

extern "C" const char *__lsan_default_suppressions() {
  return "leak:libmpi.so\n"
         "leak:libopen-pal.so\n"
         "leak:libopen-rte.so\n"
         "leak:libevent_core\n";
}

/// Suppressed leaks are not listed: the tools' stderr is what tests check.
extern "C" const char *__lsan_default_options() {
  return "print_suppressions=0";
}
