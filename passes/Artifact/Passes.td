//===- Passes.td - Passes that prepare a compiled artifact -*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Passes between the lowering to linalg and the lowering to LLVM that make
// the model function the entry point of a compiled artifact. The files of
// the artifact are written by the driver, from what these passes leave in
// the IR (docs/design/compiled-artifact.md).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_ARTIFACT_PASSES_TD
#define EXAFORGE_PASSES_ARTIFACT_PASSES_TD

include "mlir/Pass/PassBase.td"

def ArtifactRequireWeightValues
    : Pass<"artifact-require-weight-values", "mlir::ModuleOp"> {
  let summary = "Check that every weight has its values";
  let description = [{
    Code generation needs the values of every weight. A model imported
    shapes only (`exaforge import --shapes-only`) has weights without values
    (`dense_resource` attributes whose resource has no data, see
    dialects/Graph/ElidedElements.h); the pass fails on the first one with
    an error that names it. Modules whose weights all have values are left
    unchanged.
  }];
}

def ArtifactRecordManifest
    : Pass<"artifact-record-manifest", "mlir::ModuleOp"> {
  let summary = "Record the interface of @main as the module attribute "
                "`artifact.manifest`";
  let description = [{
    Records what the artifact's manifest describes, read from `@main` and
    the `graph.weight` symbols after `graph-outline-weights`, in the module
    attribute `artifact.manifest`
    (passes/Artifact/Manifest.h): each input (name, element type, shape,
    dimension names, sharding), each output (name, element type, shape,
    sharding, the pipeline stage it is produced on), each weight (name,
    element type, shape of one rank, global value, sharding) and the mesh.
    Element types are recorded by their numpy names, as the runtime reads
    them, before `make-tensors-signless` makes the code's integers signless. The annotations it reads are then free to go
    (`artifact-prepare-entry-point`); the attribute survives the lowering to
    the LLVM dialect, and the driver writes `manifest.json` and the weight
    files from it. Example:
    ```mlir
    module attributes {artifact.manifest = {
      inputs = [
        {dtype = "float32", name = "x", shape = array<i64: -1, 4>}
      ],
      outputs = [
        {dtype = "float32", name = "y", shape = array<i64: -1, 2>}
      ],
      weights = [
        {dtype = "float32", name = "w", shape = array<i64: 4, 2>,
         value = dense_resource<w> : tensor<4x2xf32>}
      ]}} {
    ```
    A module without `@main`, or an input, output or weight of a type the
    runtime does not know (not a ranked tensor of bool, 8- to 64-bit
    integers, f16, bf16, f32 or f64), is an error.
  }];
}

def ArtifactPrepareEntryPoint
    : Pass<"artifact-prepare-entry-point", "mlir::ModuleOp"> {
  let summary = "Make @main the C entry point of the compiled library";
  let description = [{
    Prepares `@main` for the lowering to a C entry point:
    - it is renamed `@xf_model_main` (a name no host program uses) and gets
      a C interface wrapper (`llvm.emit_c_interface`);
    - each `graph.weight` of the module becomes a trailing argument, in
      the order of the weights, which its `graph.weight_ref`s read; weight
      arguments are marked `exaforge.constant_buffer` (their memory is
      constant while the artifact is loaded, so kernels may pre-pack them);
    - every argument is marked `bufferization.writable = false`: inputs and
      weights belong to the caller (weights are mapped read-only), so
      bufferization copies instead of writing into them;
    - the annotations the LLVM translation does not know go: the `graph.*`
      argument, result and module attributes, the `dist.sharding` and
      `dist.produced_on` attributes, and the `dist.mesh` (the code of one
      rank does not need them; `artifact-record-manifest` has recorded
      them first).
    The runtime passes a pointer to each weight. A module without `@main`,
    or a `graph.weight_ref` outside `@main`, is an error.
  }];
}

#endif // EXAFORGE_PASSES_ARTIFACT_PASSES_TD
