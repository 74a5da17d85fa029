//===- DistDialect.td - Exaforge distribution dialect ------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The `dist` dialect describes how a model is spread over ranks: the device
// mesh, how each tensor is split over it, and the communication between
// ranks (collectives and point-to-point transfers).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_DIST_DISTDIALECT_TD
#define EXAFORGE_DIALECTS_DIST_DISTDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Dist_Dialect : Dialect {
  let name = "dist";
  let cppNamespace = "::exaforge::dist";
  let summary = "Device meshes, tensor shardings and communication between ranks";
  let description = [{
    A model compiled for N ranks runs as N processes, each identified by its
    coordinates on a *mesh*: a named grid of ranks such as `dp x tp x pp`
    (`dist.mesh`), whose row-major linearization is the MPI rank.

    Before partitioning, values of the global program carry *shardings*
    (`#dist.sharding`): for each tensor dimension, the mesh axes it is split
    over (evenly, in axis order), the other axes holding replicas; a sharding
    may also mark the value as a *partial* result along some axes (each rank
    holds a summand of the value, as after a row-parallel MatMul).

    After partitioning, every rank runs the same program on its own shard
    (SPMD), and the communication is explicit: the collectives
    (`dist.all_reduce`, `dist.all_gather`, `dist.reduce_scatter`,
    `dist.all_to_all`, `dist.broadcast`) run among the ranks that differ
    only in the coordinates of the listed mesh axes (the *group*), and
    `dist.send`/`dist.recv` move a tensor to the rank at another coordinate
    of one mesh axis (from one pipeline stage to another). All tensors are local shards; verifiers
    check that the mesh and its axes exist, that group sizes divide the
    split dimensions and that each collective's result type is what it
    computes.
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    /// Adds the dialect's attributes (DistAttrs.cpp).
    void registerAttributes();
  }];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Dist_ReductionKind : I32EnumAttr<"ReductionKind",
    "how a collective combines the tensors of a group", [
      I32EnumAttrCase<"Sum", 0, "sum">,
      I32EnumAttrCase<"Product", 1, "product">,
      I32EnumAttrCase<"Max", 2, "max">,
      I32EnumAttrCase<"Min", 3, "min">,
    ]> {
  let cppNamespace = "::exaforge::dist";
  let genSpecializedAttr = 0;
}

def Dist_ReductionKindAttr
    : EnumAttr<Dist_Dialect, Dist_ReductionKind, "reduction"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def Dist_ShardingAttr : AttrDef<Dist_Dialect, "Sharding"> {
  let mnemonic = "sharding";
  let summary = "How a tensor is split over the axes of a mesh";
  let description = [{
    `dims` has one entry per tensor dimension: the list of mesh axes that
    split it, outermost first (an empty list: the dimension is whole on
    every rank). A mesh axis splits at most one dimension; the axes that
    split none hold replicas. `partial` lists the mesh axes along which the
    value is a partial sum still to be reduced.

    Example: a `[batch, hidden]` activation split by batch over `dp` and by
    hidden over `tp`, and a MatMul result pending an all-reduce over `tp`:
    ```mlir
    #dist.sharding<@mesh, [["dp"], ["tp"]]>
    #dist.sharding<@mesh, [["dp"], []], partial = ["tp"]>
    ```
  }];
  let parameters = (ins
    "::mlir::FlatSymbolRefAttr":$mesh,
    "::mlir::ArrayAttr":$dims,
    DefaultValuedParameter<"::mlir::ArrayAttr",
                           "::mlir::ArrayAttr::get($_ctxt, {})">:$partial);
  let assemblyFormat = [{
    `<` $mesh `,` $dims (`,` `partial` `=` $partial^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The mesh axes splitting tensor dimension `dim`.
    ::llvm::SmallVector<::llvm::StringRef> getDimAxes(unsigned dim) const;
    /// The names of the mesh axes of `partial`.
    ::llvm::SmallVector<::llvm::StringRef> getPartialAxes() const;
  }];
}

#endif // EXAFORGE_DIALECTS_DIST_DISTDIALECT_TD
