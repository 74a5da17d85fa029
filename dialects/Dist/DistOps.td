//===- DistOps.td - Exaforge distribution dialect operations -*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The mesh, the sharding annotation, the collectives and the point-to-point
// transfers. Verifiers that need the mesh (axis names and sizes) run as
// symbol-use verification (DistOps.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_DIST_DISTOPS_TD
#define EXAFORGE_DIALECTS_DIST_DISTOPS_TD

include "dialects/Dist/DistDialect.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Dist_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dist_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Mesh
//===----------------------------------------------------------------------===//

def Dist_MeshOp : Dist_Op<"mesh", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "A named grid of ranks";
  let description = [{
    Declares a mesh: one named axis per entry of `axes`, of the size at the
    same position of `shape`. The mesh has `product(shape)` ranks; the MPI
    rank of the rank at coordinates `(c0, c1, ...)` is their row-major
    linearization (the last axis varies fastest), so the ranks of one group
    along the last axis are neighbours, which launchers place on one node.

    Example: 8 ranks as 2 data-parallel replicas of a 2-stage pipeline
    whose stages are split over 2 ranks each:
    ```mlir
    dist.mesh @mesh axes = ["dp", "pp", "tp"] shape = [2, 2, 2]
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrArrayAttr:$axes,
                       DenseI64ArrayAttr:$shape);
  let assemblyFormat = [{
    $sym_name `axes` `=` $axes `shape` `=` $shape attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The position of the axis named `name`, if the mesh has one.
    std::optional<unsigned> getAxisIndex(::llvm::StringRef name);
    /// The number of ranks: the product of the axis sizes.
    int64_t getNumRanks();
  }];
}

//===----------------------------------------------------------------------===//
// This rank's coordinate
//===----------------------------------------------------------------------===//

def Dist_AxisIndexOp : Dist_Op<"axis_index", [
    Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "This rank's coordinate along one axis of a mesh";
  let description = [{
    The position of the running rank on `axis`, from 0 to the axis size
    minus 1. A program whose ranks do different work switches on it, as a
    pipeline's ranks pick their stage:
    ```mlir
    %stage = dist.axis_index on @mesh axis = "pp"
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$mesh, StrAttr:$axis);
  let results = (outs Index:$result);
  let assemblyFormat = [{
    `on` $mesh `axis` `=` $axis attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// Sharding annotation
//===----------------------------------------------------------------------===//

def Dist_ShardOp : Dist_Op<"shard", [
    Pure, AllTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Annotates a value of the global program with its sharding";
  let description = [{
    The result is the operand, to be laid out over the mesh as `sharding`
    says. Partitioning passes read these annotations (and propagate them to
    the values without one), then replace each by the local shard and the
    communication its users need. The verifier checks that the sharding has
    one entry per dimension, names axes of the mesh, and that each static
    dimension is divisible by the product of the sizes of its axes.

    Example:
    ```mlir
    %1 = dist.shard %0 : tensor<8x16xf32> as #dist.sharding<@mesh, [["dp"], []]>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, Dist_ShardingAttr:$sharding);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `:` type($input) `as` qualified($sharding) attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// Collectives
//===----------------------------------------------------------------------===//

/// A collective among the ranks that differ only in their coordinates on
/// `axes` (the group; in the order of `axes`, the last varying fastest).
/// The C++ class defines `verifyWithGroupSize(groupSize)`, which checks the
/// types once the symbol-use verifier knows the group's size.
class Dist_CollectiveOp<string mnemonic, list<Trait> traits = []>
    : Dist_Op<mnemonic, !listconcat(traits, [
        DeclareOpInterfaceMethods<SymbolUserOpInterface>])> {
  let extraClassDeclaration = [{
    /// Checks the operand and result types for a group of `groupSize` ranks.
    ::mlir::LogicalResult verifyWithGroupSize(int64_t groupSize);
  }];
}

def Dist_AllReduceOp : Dist_CollectiveOp<"all_reduce",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "Combines the tensors of a group; every rank gets the result";
  let description = [{
    Example: the all-reduce closing a Megatron MLP pair:
    ```mlir
    %2 = dist.all_reduce %1 on @mesh axes = ["tp"] reduction = <sum> : tensor<4x768xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnyInteger]>:$input,
                       FlatSymbolRefAttr:$mesh, StrArrayAttr:$axes,
                       Dist_ReductionKindAttr:$reduction);
  let results = (outs RankedTensorOf<[AnyFloat, AnyInteger]>:$result);
  let assemblyFormat = [{
    $input `on` $mesh `axes` `=` $axes `reduction` `=` $reduction attr-dict
    `:` type($input)
  }];
}

def Dist_AllGatherOp : Dist_CollectiveOp<"all_gather"> {
  let summary = "Concatenates the tensors of a group along a dimension";
  let description = [{
    Every rank gets the concatenation along `dim` of the group's tensors, in
    group order: the result's `dim` is the group size times the operand's.
    ```mlir
    %1 = dist.all_gather %0 on @mesh axes = ["tp"] dim = 1 : tensor<4x8xf32> -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, FlatSymbolRefAttr:$mesh,
                       StrArrayAttr:$axes, I64Attr:$dim);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `on` $mesh `axes` `=` $axes `dim` `=` $dim attr-dict
    `:` type($input) `->` type($result)
  }];
}

def Dist_ReduceScatterOp : Dist_CollectiveOp<"reduce_scatter"> {
  let summary = "Combines the tensors of a group and splits the result";
  let description = [{
    The combined tensor is split evenly along `dim`; the rank at position i
    of the group gets part i. The operand's `dim` must be divisible by the
    group size.
    ```mlir
    %1 = dist.reduce_scatter %0 on @mesh axes = ["tp"] dim = 0 reduction = <sum> : tensor<8x16xf32> -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnyInteger]>:$input,
                       FlatSymbolRefAttr:$mesh, StrArrayAttr:$axes,
                       I64Attr:$dim, Dist_ReductionKindAttr:$reduction);
  let results = (outs RankedTensorOf<[AnyFloat, AnyInteger]>:$result);
  let assemblyFormat = [{
    $input `on` $mesh `axes` `=` $axes `dim` `=` $dim `reduction` `=`
    $reduction attr-dict `:` type($input) `->` type($result)
  }];
}

def Dist_AllToAllOp : Dist_CollectiveOp<"all_to_all"> {
  let summary = "Splits each rank's tensor and exchanges the parts";
  let description = [{
    Each rank splits its tensor evenly along `split_dim` into one part per
    group member, sends part i to the member at position i, and concatenates
    the parts it receives along `concat_dim`, in group order (resharding a
    tensor from one dimension to another).
    ```mlir
    %1 = dist.all_to_all %0 on @mesh axes = ["tp"] split_dim = 1 concat_dim = 0 : tensor<4x8xf32> -> tensor<8x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, FlatSymbolRefAttr:$mesh,
                       StrArrayAttr:$axes, I64Attr:$split_dim,
                       I64Attr:$concat_dim);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `on` $mesh `axes` `=` $axes `split_dim` `=` $split_dim
    `concat_dim` `=` $concat_dim attr-dict `:` type($input) `->` type($result)
  }];
}

def Dist_BroadcastOp : Dist_CollectiveOp<"broadcast",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "Copies the tensor of one group member to all of them";
  let description = [{
    `root` is the position of the source in the group. The operands of the
    other members only give the type.
    ```mlir
    %1 = dist.broadcast %0 on @mesh axes = ["dp"] root = 0 : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, FlatSymbolRefAttr:$mesh,
                       StrArrayAttr:$axes, I64Attr:$root);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `on` $mesh `axes` `=` $axes `root` `=` $root attr-dict
    `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// Point to point
//===----------------------------------------------------------------------===//

def Dist_SendOp : Dist_Op<"send", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Sends a tensor to the rank at another coordinate of an axis";
  let description = [{
    The destination has the sender's coordinates except on `axis`, where it
    has `to` (a pipeline stage hands its activations to the next stage).
    Transfers between two ranks are received in the order they are sent.
    ```mlir
    dist.send %0 on @mesh axis = "pp" to = 1 : tensor<4x768xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, FlatSymbolRefAttr:$mesh,
                       StrAttr:$axis, I64Attr:$to);
  let assemblyFormat = [{
    $input `on` $mesh `axis` `=` $axis `to` `=` $to attr-dict `:` type($input)
  }];
}

def Dist_RecvOp : Dist_Op<"recv", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Receives a tensor from the rank at another coordinate of an axis";
  let description = [{
    The source has the receiver's coordinates except on `axis`, where it has
    `from`. The result has the type of the tensor sent; a dynamic dimension
    takes its size from it.
    ```mlir
    %0 = dist.recv on @mesh axis = "pp" from = 0 : tensor<4x768xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$mesh, StrAttr:$axis, I64Attr:$from);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    `on` $mesh `axis` `=` $axis `from` `=` $from attr-dict `:` type($result)
  }];
}

#endif // EXAFORGE_DIALECTS_DIST_DISTOPS_TD
