/**
 * Runs the curl examples of a Markdown guide. An example is a ```bash block with one curl
 * command, preceded by `<!-- run: status=201 capture=NAME:path.to.value -->`; the first ```json
 * block after it (before the next example) is the answer the guide shows, which the real answer
 * must contain. Blocks without a run marker (setup, exports) are prose.
 */

export interface CurlExample {
  /** 1-based line of the command in the guide, for failure messages. */
  line: number;
  status: number;
  captures: { name: string; path: string }[];
  command: string;
  /** The answer shown in the guide, parsed. */
  shown?: unknown;
}

const RUN = /<!--\s*run:\s*([^>]*?)\s*-->\s*\n```bash\n([\s\S]*?)\n```/g;

/** Every runnable example of a guide, in order. */
export function parseExamples(markdown: string): CurlExample[] {
  const out: CurlExample[] = [];
  const matches = [...markdown.matchAll(RUN)];
  matches.forEach((m, i) => {
    const attrs = Object.fromEntries((m[1] as string).split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    const end = (m.index as number) + m[0].length;
    const next = matches[i + 1]?.index ?? markdown.length;
    const json = /```json\n([\s\S]*?)\n```/.exec(markdown.slice(end, next));
    out.push({
      line: markdown.slice(0, m.index).split('\n').length + 2,
      status: Number(attrs.status),
      captures: (attrs.capture ?? '')
        .split(',')
        .filter(Boolean)
        .map((c) => {
          const [name, path] = c.split(':') as [string, string];
          return { name, path };
        }),
      command: m[2] as string,
      ...(json ? { shown: JSON.parse(json[1] as string) } : {}),
    });
  });
  return out;
}

/** Splits a shell command into words: single quotes literal, double quotes and bare words expand $VAR and ${VAR}. */
export function shellWords(command: string, env: Record<string, string>): string[] {
  const text = command.replace(/\\\n/g, ' ');
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const expand = (s: string): string =>
    s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
      const name = (a ?? b) as string;
      if (!(name in env)) throw new Error(`the guide uses $${name}, which is not set`);
      return env[name] as string;
    });
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new Error('unclosed single quote');
      word += text.slice(i + 1, close);
      i = close;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      let chunk = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          chunk += text[j + 1];
          j += 2;
        } else {
          chunk += text[j];
          j += 1;
        }
      }
      if (j >= text.length) throw new Error('unclosed double quote');
      word += expand(chunk);
      i = j;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      let j = i;
      while (j < text.length && !/[\s'"]/.test(text[j] as string)) j++;
      word += expand(text.slice(i, j));
      i = j - 1;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The request a curl command line makes (the options the guide uses: -s -X -H -d). */
export function curlRequest(words: string[]): CurlRequest {
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${words.join(' ')}`);
  let method: string | undefined;
  let url: string | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-s' || w === '--silent') continue;
    if (w === '-X' || w === '--request') method = words[++i];
    else if (w === '-H' || w === '--header') {
      const h = words[++i] as string;
      const colon = h.indexOf(':');
      headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
    } else if (w === '-d' || w === '--data' || w === '--data-raw') body = words[++i];
    else if (w.startsWith('-')) throw new Error(`curl option ${w} is not supported by the guide runner`);
    else url = w;
  }
  if (!url) throw new Error('curl command without URL');
  return { method: method ?? (body !== undefined ? 'POST' : 'GET'), url, headers, ...(body !== undefined ? { body } : {}) };
}

/** Reads `a.b.0.c` from a value. */
export function pick(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, seg) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined), value);
}

const DYNAMIC = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, // ids
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, // times
  /…/, // shortened hashes and texts
  /^case:[0-9a-f-]{36}$/,
];

/**
 * Where the real answer does not contain what the guide shows: every key the guide shows must
 * exist with the value shown (ids, times and values shortened with … only need to exist), and
 * every array element shown must match some element of the real array.
 */
export function mismatches(shown: unknown, actual: unknown, at = ''): string[] {
  if (typeof shown === 'string' && DYNAMIC.some((r) => r.test(shown))) {
    return actual === undefined ? [`${at || '/'}: missing`] : [];
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${at || '/'}: expected an array, got ${JSON.stringify(actual)}`];
    const out: string[] = [];
    shown.forEach((item, i) => {
      if (!actual.some((a) => mismatches(item, a).length === 0)) out.push(`${at}/${i}: no element matches ${JSON.stringify(item)} (got ${JSON.stringify(actual).slice(0, 300)})`);
    });
    if (shown.length === 0 && actual.length !== 0) out.push(`${at || '/'}: expected [], got ${JSON.stringify(actual).slice(0, 200)}`);
    return out;
  }
  if (shown !== null && typeof shown === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at || '/'}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(shown).flatMap(([k, v]) => {
      const a = (actual as Record<string, unknown>)[k];
      if (!(k in (actual as object))) return [`${at}/${k}: missing`];
      // An empty object shown means "there is an object here", not "it is empty".
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return a !== null && typeof a === 'object' ? [] : [`${at}/${k}: expected an object`];
      return mismatches(v, a, `${at}/${k}`);
    });
  }
  return shown === actual ? [] : [`${at || '/'}: guide shows ${JSON.stringify(shown)}, server answers ${JSON.stringify(actual)}`];
}
