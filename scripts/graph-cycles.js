// The cycles of a dependency graph, for scripts/check-layers.js and scripts/check-native-layers.js: one
// depth-first search, each back edge closing one cycle.
//   graph: Map<node, Array<{ target, ...anything }>>
//   returns: cycles, each the steps [{ node, edge }] from the first node back to it (`edge` leaves `node`)
'use strict';

function findCycles(graph) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  function visit(node) {
    state.set(node, 'open');
    const step = { node, edge: undefined };
    stack.push(step);
    for (const edge of graph.get(node) ?? []) {
      step.edge = edge;
      if (state.get(edge.target) === 'open') {
        cycles.push(stack.slice(stack.findIndex((s) => s.node === edge.target)).map((s) => ({ ...s })));
      } else if (!state.has(edge.target)) visit(edge.target);
    }
    stack.pop();
    state.set(node, 'done');
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

module.exports = { findCycles };
