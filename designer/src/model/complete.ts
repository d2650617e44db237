import type { FlowDefinition, LocalizedText } from '@flowpath/engine';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, fallback: string): LocalizedText {
  const r = isRecord(v) ? v : {};
  const zh = typeof r['zh-CN'] === 'string' ? r['zh-CN'] : '';
  const en = typeof r.en === 'string' ? r.en : '';
  return { 'zh-CN': zh || en || fallback, en: en || zh || fallback };
}

/**
 * A draft as the editor can open it. The server keeps drafts that are unfinished (a draft
 * posted through the API may lack nodes, names or a case schema); the missing containers
 * are filled in so the canvas can draw it. Everything else is kept as it is, and the
 * validator reports what is still wrong.
 */
export function completeDefinition(input: unknown, key: string): FlowDefinition {
  const d = isRecord(input) ? input : {};
  const nodes = (Array.isArray(d.nodes) ? d.nodes : []).filter(isRecord).map((n, i) => {
    const id = typeof n.id === 'string' && n.id ? n.id : `node-${i + 1}`;
    return { ...n, id, name: text(n.name, id) };
  });
  const edges = (Array.isArray(d.edges) ? d.edges : []).filter(isRecord);
  const schema = isRecord(d.caseSchema) ? d.caseSchema : {};
  const caseSchema = { ...schema, type: 'object', properties: isRecord(schema.properties) ? schema.properties : {} };
  return { ...d, key: typeof d.key === 'string' ? d.key : key, name: text(d.name, key), caseSchema, nodes, edges } as unknown as FlowDefinition;
}
