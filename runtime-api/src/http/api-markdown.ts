/** Renders the OpenAPI document as the Markdown reference in docs/api.md. */

type Json = Record<string, unknown>;

const refName = (schema: unknown): string | undefined => {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === 'string' ? ref.split('/').at(-1) : undefined;
};

function schemaLabel(schema: unknown): string {
  const name = refName(schema);
  if (name) return `\`${name}\``;
  const s = schema as Json | undefined;
  if (!s) return '';
  if (Array.isArray(s.anyOf)) return s.anyOf.map(schemaLabel).join(' or ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${String(v)}\``).join(', ');
  const type = typeof s.type === 'string' ? s.type : 'object';
  const bounds = [s.minimum !== undefined ? `≥ ${String(s.minimum)}` : '', s.maximum !== undefined ? `≤ ${String(s.maximum)}` : '', s.pattern ? `pattern \`${String(s.pattern)}\`` : '']
    .filter(Boolean)
    .join(', ');
  return bounds ? `${type} (${bounds})` : type;
}

const cell = (text: unknown): string => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The reference page: every operation by tag, with roles, parameters, body and responses. */
export function renderApiMarkdown(doc: Json): string {
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const byTag = new Map<string, { method: string; path: string; op: Json }[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0] as string;
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)?.push({ method, path, op });
    }
  }
  const lines: string[] = [
    `# ${String(info.title)} ${String(info.version)}`,
    '',
    '<!-- Generated from the OpenAPI document by `pnpm --filter @flowpath/runtime-api docs:api`; a test fails when it is stale. Do not edit by hand. -->',
    '',
    String(info.description),
    '',
    'The machine-readable document is served at `GET /api/openapi.json`; schema names below are its `components.schemas`. ' +
      'Every error is `application/problem+json` (`Problem`): `type`, `title`, `status`, `detail`, a stable dotted `code`, the `requestId`, and for validation errors `errors[]` with the JSON Pointer `path` of each bad field.',
    '',
  ];
  for (const [tag, ops] of byTag) {
    lines.push(`## ${tag}`, '');
    for (const { method, path, op } of ops) {
      lines.push(`### \`${method.toUpperCase()} ${path}\``, '', String(op.summary), '');
      if (op.description) lines.push(String(op.description), '');
      const roles = op['x-roles'] as string[] | undefined;
      lines.push(`- **Roles:** ${roles ? `${roles.map((r) => `\`${r}\``).join(', ')}${roles.includes('admin') ? '' : ' (and `admin`)'}` : 'none (public)'}`);
      const params = (op.parameters as Json[] | undefined) ?? [];
      if (params.length) {
        lines.push('- **Parameters:**', '', '  | name | in | required | schema | description |', '  |---|---|---|---|---|');
        for (const p of params) lines.push(`  | \`${String(p.name)}\` | ${String(p.in)} | ${p.required ? 'yes' : 'no'} | ${cell(schemaLabel(p.schema))} | ${cell(p.description)} |`);
        lines.push('');
      }
      const body = op.requestBody as Json | undefined;
      if (body) {
        const schema = ((body.content as Json)['application/json'] as Json).schema;
        lines.push(`- **Body** (${body.required ? 'required' : 'optional'}): ${schemaLabel(schema)}`);
      }
      const responses = op.responses as Record<string, Json>;
      // Successes and 304 Not Modified (conditional requests) are answers, not errors.
      const ok = Object.entries(responses).filter(([s]) => s.startsWith('2') || s === '304');
      for (const [status, r] of ok) {
        const schema = ((r.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
        lines.push(`- **${status}:** ${cell(r.description)}${schema ? ` ${schemaLabel(schema)}` : ''}`);
      }
      const errors = Object.keys(responses).filter((s) => !s.startsWith('2') && s !== '304');
      if (errors.length) lines.push(`- **Errors:** ${errors.join(', ')}`);
      lines.push('');
    }
  }
  lines.push('## Schemas', '', 'See `components.schemas` in `GET /api/openapi.json` for the full JSON Schemas:', '');
  lines.push(Object.keys((doc.components as Json).schemas as Json).filter((n) => !n.startsWith('Flow_')).map((n) => `\`${n}\``).join(', '), '');
  return `${lines.join('\n')}`;
}
