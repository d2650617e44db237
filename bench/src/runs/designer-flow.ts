/**
 * Generated flows for run 5: start, a chain of set-data steps and decisions (each decision's
 * other branch ends at once) and a final end, on a grid — valid flows of any size the
 * designer has to lay out, draw and validate like a hand-made one.
 */

/** A valid flow of exactly `count` nodes (count ≥ 3). */
export function generatedFlow(key: string, count: number): Record<string, unknown> {
  if (count < 3) throw new Error(`a generated flow needs at least 3 nodes, got ${count}`);
  const nodes: Record<string, unknown>[] = [{ id: 'start', kind: 'start', name: { 'zh-CN': '开始', en: 'Start' } }];
  const edges: Record<string, unknown>[] = [];
  let previous = 'start';
  const link = (target: string) => edges.push({ id: `${previous}--${target}`, source: previous, target, ...(previous.startsWith('d') ? { default: true } : {}) });
  for (let i = 1; nodes.length < count - 1; i++) {
    if (i % 3 === 0 && nodes.length < count - 2) {
      const id = `d${i}`;
      const end = `e${i}`;
      nodes.push({ id, kind: 'decision', name: { 'zh-CN': `判断 ${i}`, en: `Decision ${i}` } });
      nodes.push({ id: end, kind: 'end', outcome: 'rejected', name: { 'zh-CN': `拒绝 ${i}`, en: `Rejected ${i}` } });
      link(id);
      edges.push({ id: `${id}--${end}`, source: id, target: end, condition: { '>': [{ var: 'amount' }, i * 1000] } });
      previous = id;
    } else {
      const id = `s${i}`;
      nodes.push({ id, kind: 'set-data', name: { 'zh-CN': `计算 ${i}`, en: `Compute ${i}` }, assignments: [{ field: 'score', value: i }] });
      link(id);
      previous = id;
    }
  }
  nodes.push({ id: 'done', kind: 'end', outcome: 'approved', name: { 'zh-CN': '通过', en: 'Approved' } });
  link('done');
  const columns = Math.ceil(Math.sqrt(count * 2));
  nodes.forEach((n, i) => (n.position = { x: (i % columns) * 240, y: Math.floor(i / columns) * 120 }));
  return {
    key,
    name: { 'zh-CN': `大型流程（${count} 个节点）`, en: `Large flow (${count} nodes)` },
    caseSchema: { type: 'object', properties: { amount: { type: 'number' }, score: { type: 'number' } }, required: ['amount'] },
    nodes,
    edges,
  };
}
