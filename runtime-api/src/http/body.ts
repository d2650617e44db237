/**
 * Request bodies: read as bytes (with a size limit), then decoded strictly, so each kind of bad
 * input gets its own precise problem: too large 413, not JSON 415, invalid UTF-8 or malformed
 * JSON 400, forbidden keys or nesting beyond the limit 400.
 */
import type { NextFunction, Request, Response } from 'express';
import { HttpProblem } from './problem';

/** Deepest nesting of arrays and objects accepted in a body; deeper structures are refused. */
export const MAX_BODY_DEPTH = 64;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** True when the request carries a non-empty body. */
function hasContent(req: Request): boolean {
  return Buffer.isBuffer(req.body) && req.body.length > 0;
}

/** Parses the raw body that express.raw() left in `req.body` into JSON, or leaves `undefined` when empty. */
export function parseJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (!hasContent(req)) {
    req.body = undefined;
    next();
    return;
  }
  const type = req.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) {
    next(new HttpProblem(415, 'request.content-type.unsupported', `Send the body as application/json (got ${type ? JSON.stringify(type) : 'no Content-Type'}).`));
    return;
  }
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(type)?.[2];
  if (charset && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
    next(new HttpProblem(415, 'request.charset.unsupported', `Send the body as UTF-8 (got charset ${charset}).`));
    return;
  }
  let text: string;
  try {
    text = decoder.decode(req.body as Buffer);
  } catch {
    next(new HttpProblem(400, 'request.body.encoding', 'The body is not valid UTF-8.'));
    return;
  }
  let value: unknown;
  try {
    // A reviver makes JSON.parse several times slower. Without a `\u` escape, "__proto__" and
    // U+0000 can only appear literally (a raw U+0000 is not valid JSON anyway), so a text that
    // contains neither cannot hold what the reviver refuses.
    value = text.includes('\\u') || text.includes('__proto__') ? JSON.parse(text, refuseForbidden) : JSON.parse(text);
  } catch (e) {
    if (e instanceof NulCharacter) {
      next(new HttpProblem(400, 'request.body.nul-character', `The body contains the character U+0000${e.message ? ` (in or at "${e.message.split('\u0000').join('\\u0000')}")` : ''}, which is not accepted in any text.`));
      return;
    }
    if (e instanceof ForbiddenKey) {
      next(new HttpProblem(400, 'request.body.key.forbidden', 'The body contains a "__proto__" key, which is not accepted anywhere.'));
      return;
    }
    const reason = e instanceof Error ? e.message : 'malformed';
    next(new HttpProblem(400, 'request.body.malformed', `The body is not valid JSON: ${reason}`));
    return;
  }
  if (depthExceeds(value, MAX_BODY_DEPTH)) {
    next(new HttpProblem(400, 'request.body.too-deep', `The body nests arrays or objects deeper than ${MAX_BODY_DEPTH} levels.`));
    return;
  }
  req.body = value;
  next();
}

class ForbiddenKey extends Error {}

function refuseForbidden(key: string, v: unknown): unknown {
  if (key === '__proto__') throw new ForbiddenKey(key);
  // U+0000 cannot be stored in PostgreSQL text and has no business in a banking form.
  if (key.includes('\u0000') || (typeof v === 'string' && v.includes('\u0000'))) throw new NulCharacter(key);
  return v;
}
class NulCharacter extends Error {}

/** Iterative depth check, so a hostile body cannot overflow the stack. */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
    }
  }
  return false;
}
