import { describe, expect, it } from 'vitest';

const sources = import.meta.glob<string>(['./**/*.ts', './**/*.tsx', '!./**/*.test.ts', '!./**/*.test.tsx'], { query: '?raw', import: 'default', eager: true });

function importsOf(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

describe('designer boundaries', () => {
  it('reaches the server only over HTTP through the one API client', () => {
    // given every source file of the designer
    // then none imports the runtime, a database or Node built-ins
    const bad = Object.entries(sources).flatMap(([file, text]) =>
      importsOf(text)
        .filter((m) => m.startsWith('@flowpath/runtime-api') || m.startsWith('node:') || m === 'better-sqlite3' || m === 'pg' || m === 'express')
        .map((m) => `${file}: ${m}`),
    );
    expect(bad).toEqual([]);
  });

  it('calls fetch only in src/api/client.ts', () => {
    // given every source file
    // then only the client calls fetch
    const callers = Object.entries(sources)
      .filter(([, text]) => /\bfetch\(/.test(text))
      .map(([file]) => file);
    expect(callers).toEqual(['./api/client.ts']);
  });

  it('lets components reach commands only through the editor facade', () => {
    // given the component files (.tsx)
    // then none imports a command module except for its types
    const bad = Object.entries(sources).flatMap(([file, text]) =>
      file.endsWith('.tsx')
        ? [...text.matchAll(/^import\s+(type\s+)?\{[^}]*\}\s+from\s+'([^']*\/commands(?:\/[^']*)?)'/gm)].filter((m) => !m[1]).map((m) => `${file}: ${m[2]}`)
        : [],
    );
    expect(bad).toEqual([]);
  });
});
