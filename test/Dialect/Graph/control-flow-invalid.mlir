// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Tests that a branch yielding a value that contradicts the result type is
// refused.
func.func @if_contradicting_yield(%c: tensor<i1>, %a: tensor<5xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.if' op then branch yields 'tensor<5xf32>' as value #0, which is not a refinement of 'tensor<3xf32>'}}
  %0 = graph.if %c : tensor<i1> -> (tensor<3xf32>) {
    graph.yield %a : tensor<5xf32>
  } else {
    graph.yield %a : tensor<5xf32>
  }
  return %0 : tensor<3xf32>
}

// -----

// Tests that a branch yielding the wrong number of values is refused.
func.func @if_count(%c: tensor<i1>, %a: tensor<5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'graph.if' op else branch yields 0 values, expected 1}}
  %0 = graph.if %c : tensor<i1> -> (tensor<5xf32>) {
    graph.yield %a : tensor<5xf32>
  } else {
    graph.yield
  }
  return %0 : tensor<5xf32>
}

// -----

// Tests that a condition of several elements is refused.
func.func @if_condition(%c: tensor<2xi1>, %a: tensor<5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'graph.if' op condition of type 'tensor<2xi1>' does not hold one element}}
  %0 = graph.if %c : tensor<2xi1> -> (tensor<5xf32>) {
    graph.yield %a : tensor<5xf32>
  } else {
    graph.yield %a : tensor<5xf32>
  }
  return %0 : tensor<5xf32>
}

// -----

// Tests that a loop without trip count and condition is refused.
func.func @loop_endless(%x: tensor<2xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'graph.loop' op has neither a max_trip_count nor a condition and would never end}}
  %0 = graph.loop -> (tensor<?x2xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>):
    graph.yield %cond, %x : tensor<i1>, tensor<2xf32>
  }
  return %0 : tensor<?x2xf32>
}

// -----

// Tests that a carried block argument must have its result's type.
func.func @loop_carried_type(%n: tensor<i64>, %y0: tensor<1xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'graph.loop' op body argument #2 of type 'tensor<1xf32>' does not have the type 'tensor<?xf32>' of result #0}}
  %0 = graph.loop max_trip_count %n : tensor<i64> iter_args(%y0 : tensor<1xf32>) -> (tensor<?xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %y: tensor<1xf32>):
    graph.yield %cond, %y : tensor<i1>, tensor<1xf32>
  }
  return %0 : tensor<?xf32>
}

// -----

// Tests that a scan output must stack the yielded elements.
func.func @loop_scan_rank(%n: tensor<i64>, %x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.loop' op scan output #0 of type 'tensor<2xf32>' is not a stack of the yielded elements of type 'tensor<2xf32>'}}
  %0 = graph.loop max_trip_count %n : tensor<i64> -> (tensor<2xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>):
    graph.yield %cond, %x : tensor<i1>, tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

// Tests that the body must yield the condition first.
func.func @loop_yield_count(%n: tensor<i64>, %x: tensor<2xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'graph.loop' op body yields 1 values, expected 2 (condition, loop-carried values and scan elements)}}
  %0 = graph.loop max_trip_count %n : tensor<i64> -> (tensor<?x2xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>):
    graph.yield %x : tensor<2xf32>
  }
  return %0 : tensor<?x2xf32>
}

// -----

// Tests that graph.yield only ends the regions of graph.if and graph.loop.
func.func @yield_outside(%x: tensor<2xf32>) {
  // expected-error @+1 {{'graph.yield' op expects parent op to be one of 'graph.if, graph.loop'}}
  graph.yield %x : tensor<2xf32>
}
