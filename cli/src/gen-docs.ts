/**
 * Writes the generated parts of the engine docs: the flow JSON Schema and the table of issue
 * codes with their messages. `gen-docs.test.ts` fails when they are stale.
 * Run: pnpm docs:gen
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flowSchema, issueCatalogue } from '@flowpath/engine';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The generated documents, by path relative to the repo root. */
export function engineDocs(): Record<string, string> {
  const rows = Object.entries(issueCatalogue)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, m]) => `| \`${code}\` | ${m.en.replace(/\|/g, '\\|')} | ${m['zh-CN'].replace(/\|/g, '\\|')} |`);
  const codes = [
    '# Issue codes',
    '',
    'Generated from the engine\'s message catalogue by `pnpm docs:gen`; do not edit by hand.',
    'Every validation problem, refused input and rule error carries one of these stable codes, a JSON',
    'Pointer `path` to the fault and `params` that fill the message. `{{name}}` marks a parameter.',
    'Codes starting `schema.` or `data.` that are not listed come from JSON Schema keywords and are',
    'shown with the generic `schema.other` / `data.other` message.',
    '',
    '| code | English | 中文 |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  return {
    'docs/flow-schema.json': `${JSON.stringify(flowSchema, null, 2)}\n`,
    'docs/issue-codes.md': codes,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of Object.entries(engineDocs())) {
    writeFileSync(join(root, path), text);
    console.log(`wrote ${path}`);
  }
}
