/**
 * The Express application: routes from the route list, ajv validation, API keys, problem+json
 * errors, and the designer's static files. `createApp` does not listen; `main.ts` does, and
 * tests call `app.listen(0)`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Clock } from './clock';
import type { Connector } from './connectors/connector';
import { KeyRing, type ApiKey, type Principal } from './http/auth';
import { parseJsonBody } from './http/body';
import { buildOpenApi } from './http/openapi';
import { HttpProblem, PROBLEM_CONTENT_TYPE, badRequest, type ProblemError } from './http/problem';
import { expressPath, pathPattern, type RouteSpec } from './http/route';
import { components } from './http/schemas';
import { createValidators, schemaErrors } from './http/validator';
import { caseRoutes } from './routes/cases';
import type { Deps } from './routes/common';
import { flowRoutes } from './routes/flows';
import { healthRoutes, withCsvResponses } from './routes/health';
import { listRoutes } from './routes/lists';
import { queueRoutes } from './routes/queues';
import { systemRoutes } from './routes/system';
import { taskRoutes } from './routes/tasks';
import { FlowpathRuntime, type RuntimeOptions } from './runtime/runtime';
import { StoreConflictError, type Store } from './store/store';

/** Default largest request body: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  /** A runtime built by the caller (to share with a scheduler); otherwise one is made from the options below. */
  runtime?: FlowpathRuntime;
  store?: Store;
  clock?: Clock;
  connectors?: readonly Connector[];
  logger?: Logger;
  eventSink?: RuntimeOptions['eventSink'];
  apiKeys: readonly ApiKey[];
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Folder of the built designer (index.html); served at `/` when it exists. */
  designerDist?: string;
}

export type FlowpathApp = Express & {
  readonly runtime: FlowpathRuntime;
  readonly routes: readonly RouteSpec[];
  readonly openapi: Record<string, unknown>;
};

/** Per-request facts the logger and error handler need, kept in `res.locals`. */
interface RequestFacts {
  requestId: string;
  principal?: Principal;
}

const facts = (res: Response): RequestFacts => res.locals as RequestFacts;

/** Builds the app (routes, validation, auth, errors, designer). */
export function createApp(opts: AppOptions): FlowpathApp {
  const logger = opts.logger ?? opts.runtime?.logger ?? pino({ level: 'silent' });
  const rt =
    opts.runtime ??
    new FlowpathRuntime({
      store: requireStore(opts.store),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.connectors ? { connectors: opts.connectors } : {}),
      ...(opts.eventSink ? { eventSink: opts.eventSink } : {}),
      logger,
    });
  const keys = new KeyRing(opts.apiKeys);
  const deps: Deps = { rt, keys, limits: { bodyBytes: opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT } };

  let openapi: Record<string, unknown> = {};
  const health = healthRoutes(deps);
  const routes: RouteSpec[] = [...flowRoutes(deps), ...caseRoutes(deps), ...taskRoutes(deps), ...queueRoutes(deps), ...listRoutes(deps), ...health, ...systemRoutes(deps, () => openapi)];
  openapi = withCsvResponses(buildOpenApi(routes), health);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    facts(res).requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    // A logger that drops request lines (level above info) costs nothing per request.
    if (!logger.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Only the path: query strings may carry customer references (personal data).
      logger.info(
        { requestId, method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, actor: facts(res).principal?.name },
        'request',
      );
    });
    next();
  });

  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  // Only a known caller gets its body read: no key, no parsing of up to a megabyte of JSON.
  app.use('/api', (req, res, next) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (req.headers['transfer-encoding'] === undefined && !(length > 0)) {
      next();
      return;
    }
    try {
      facts(res).principal = keys.authenticate(req.headers.authorization);
      next();
    } catch (e) {
      next(e);
    }
  });
  app.use('/api', express.raw({ type: () => true, limit: deps.limits.bodyBytes }), parseJsonBody);

  const validators = createValidators(components);
  for (const r of routes) mount(app, r, keys, validators);

  // Unknown API paths: 405 when the path exists with other methods, else 404.
  app.use('/api', (req, _res, next) => {
    const full = `/api${req.path}`;
    const methods = routes.filter((r) => pathPattern(r.path).test(full)).map((r) => r.method.toUpperCase());
    if (methods.length > 0) {
      next(new HttpProblem(405, 'route.method.not-allowed', `${req.method} is not supported here; use ${[...new Set(methods)].join(', ')}.`, {}, { Allow: [...new Set(methods)].join(', ') }));
      return;
    }
    next(new HttpProblem(404, 'route.not-found', `There is no API route ${req.method} ${full}; see /api/openapi.json.`));
  });

  serveDesigner(app, opts.designerDist);
  app.use((req, _res, next) => next(new HttpProblem(404, 'route.not-found', `Nothing is served at ${req.path}.`)));
  app.use(errorHandler(logger, deps.limits.bodyBytes));

  return Object.assign(app, { runtime: rt, routes, openapi }) as FlowpathApp;
}

function requireStore(store: Store | undefined): Store {
  if (!store) throw new Error('createApp needs a store or a runtime');
  return store;
}

function mount(app: Express, r: RouteSpec, keys: KeyRing, validators: ReturnType<typeof createValidators>): void {
  const paramNames = Object.keys(r.params ?? {});
  const checkParams = paramNames.length
    ? validators.compileCoercing({ type: 'object', properties: Object.fromEntries(Object.entries(r.params ?? {}).map(([k, p]) => [k, p.schema])), required: paramNames })
    : undefined;
  const queryEntries = Object.entries(r.query ?? {});
  const checkQuery = validators.compileCoercing({
    type: 'object',
    properties: Object.fromEntries(queryEntries.map(([k, p]) => [k, p.schema])),
    required: queryEntries.filter(([, p]) => p.required).map(([k]) => k),
    additionalProperties: false,
  });
  const checkBody = r.body ? validators.compile(r.body.schema) : undefined;
  const headerNames = Object.keys(r.headers ?? {});

  app[r.method](expressPath(r.path), async (req: Request, res: Response) => {
    let principal: Principal | undefined;
    if (r.roles !== 'public') {
      // Already known when the body was read (the key is checked before a body is parsed).
      principal = facts(res).principal ?? keys.authenticate(req.headers.authorization);
      facts(res).principal = principal;
      if (!principal.roles.has('admin') && !r.roles.some((role) => principal?.roles.has(role))) {
        throw new HttpProblem(403, 'auth.role.missing', `${r.method.toUpperCase()} ${r.path} needs one of the roles ${r.roles.join(', ')}; the key ${principal.name} has ${[...principal.roles].join(', ')}.`);
      }
    }

    const params: Record<string, unknown> = { ...req.params };
    if (checkParams && !checkParams(params)) {
      throw badRequest('request.params.invalid', 'A path parameter is not valid.', tagged(schemaErrors(checkParams.errors), 'path'));
    }

    const query: Record<string, unknown> = {};
    const repeated: ProblemError[] = [];
    for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
      if (Array.isArray(v)) repeated.push({ path: `/${k}`, code: 'query.repeated', message: 'give this parameter once' });
      else query[k] = v;
    }
    if (repeated.length) throw badRequest('request.query.invalid', 'A query parameter is given more than once.', tagged(repeated, 'query'));
    if (!checkQuery(query)) throw badRequest('request.query.invalid', 'A query parameter is not valid.', tagged(schemaErrors(checkQuery.errors), 'query'));

    let body: unknown = req.body;
    if (checkBody && r.body) {
      if (body === undefined) {
        if (r.body.required) throw badRequest('request.body.missing', 'This request needs a JSON body.', [{ path: '', code: 'body.missing', message: 'a JSON body is required' }]);
      } else if (!checkBody(body)) {
        throw badRequest('request.body.invalid', 'The body does not match the request schema.', schemaErrors(checkBody.errors));
      }
    } else {
      body = undefined;
    }
    for (const h of headerNames) {
      const v = req.headers[h.toLowerCase()];
      if (Array.isArray(v)) throw badRequest('request.header.invalid', `Give the ${h} header once.`, [{ path: `/${h}`, code: 'header.repeated', message: 'repeated header' }]);
    }

    const reply = await r.handler({
      req,
      principal: principal as Principal,
      params: params as Record<string, string>,
      query,
      body,
      header: (name) => {
        const v = req.headers[name.toLowerCase()];
        return typeof v === 'string' ? v : undefined;
      },
    });
    res.status(reply.status);
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    if (reply.body === undefined) res.end();
    // A text body with its own Content-Type (CSV) goes out as it is; everything else is JSON.
    else if (typeof reply.body === 'string' && reply.headers?.['Content-Type'] !== undefined) res.send(reply.body);
    else {
      // What res.send() would send for this text, without its content-type parsing and ETag checks;
      // encoded once (a length count and then an encoding on write walk a 40 KB work list twice).
      const bytes = Buffer.from(JSON.stringify(reply.body), 'utf8');
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', bytes.length);
      res.end(bytes);
    }
  });
}

function tagged(errors: ProblemError[], where: 'path' | 'query' | 'header'): ProblemError[] {
  return errors.map((e) => ({ ...e, in: where }) as ProblemError);
}

function serveDesigner(app: Express, dist: string | undefined): void {
  if (!dist || !existsSync(join(dist, 'index.html'))) {
    app.get('/', (_req, res) => {
      res.type('application/json').send(JSON.stringify({ name: 'Flowpath', api: '/api/openapi.json', designer: 'not built (pnpm start builds it)' }));
    });
    return;
  }
  app.use(express.static(dist, { index: 'index.html', fallthrough: true }));
  app.get('/{*splat}', (req, res, next) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      next();
      return;
    }
    res.sendFile(join(dist, 'index.html'));
  });
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

function errorHandler(logger: Logger, bodyLimit: number) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const problem = toProblem(err, req, facts(res).requestId, logger, bodyLimit);
    res.status(problem.status);
    for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
    res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    res.send(JSON.stringify(problem.body(req.originalUrl.split('?')[0], facts(res).requestId)));
  };
}

function toProblem(err: unknown, req: Request, requestId: string, logger: Logger, bodyLimit: number): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e = err as BodyParserError;
  if (e && typeof e === 'object' && typeof e.type === 'string' && typeof e.status === 'number' && e.status < 500) {
    switch (e.type) {
      case 'entity.too.large':
        return new HttpProblem(413, 'request.body.too-large', `The body is larger than the ${bodyLimit} bytes this server accepts.`, { limit: bodyLimit });
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new HttpProblem(415, 'request.encoding.unsupported', e.message ?? 'Unsupported content encoding.');
      default:
        return new HttpProblem(400, 'request.unreadable', e.message ?? 'The request could not be read.');
    }
  }
  if (err instanceof StoreConflictError) {
    return new HttpProblem(409, 'conflict.concurrent', 'Someone changed this at the same moment; reload and try again.');
  }
  logger.error({ requestId, method: req.method, path: req.path, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'internal error');
  return new HttpProblem(500, 'internal', `Something went wrong on our side; quote request id ${requestId} when reporting it.`);
}
