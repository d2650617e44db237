/**
 * Schema of the PostgreSQL store, one entry per version, applied in order by `openPgStore` under
 * an advisory lock (see pg-store.ts). The table `schema_migrations` records what has been applied;
 * a new version is appended here and never edits an old one, because databases in the field
 * already ran the old text.
 *
 * Every migration runs with `search_path` set to the store's schema, so names are unqualified.
 *
 * The tables mirror the SQLite store's column for column, so both stores answer alike:
 * - Text columns use the "C" collation: byte order, as SQLite compares, whatever collation the
 *   database was created with. Work lists, keyset paging and audit order depend on it.
 * - Times are the same ISO 8601 UTC text with milliseconds (`Date#toISOString`), whose text order
 *   is time order; values come back byte for byte as written.
 * - Documents are `json`, not `jsonb`: PostgreSQL still checks they are JSON and can query them,
 *   but keeps the text as written (key order of drafts and case data, and strings with U+0000 or
 *   unpaired surrogates, which `jsonb` refuses but SQLite and the API accept).
 */
export const pgMigrations: readonly string[] = [
  `
  CREATE TABLE meta (
    name TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
  );

  CREATE TABLE flows (
    key TEXT COLLATE "C" PRIMARY KEY,
    draft JSON NOT NULL,
    draft_revision INTEGER NOT NULL,
    owner TEXT COLLATE "C",
    created_by TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_by TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
  );

  CREATE TABLE flow_versions (
    flow_key TEXT COLLATE "C" NOT NULL REFERENCES flows(key),
    version INTEGER NOT NULL,
    definition JSON NOT NULL,
    hash TEXT COLLATE "C" NOT NULL,
    author TEXT COLLATE "C",
    published_by TEXT COLLATE "C",
    published_at TEXT COLLATE "C" NOT NULL,
    note TEXT COLLATE "C",
    PRIMARY KEY (flow_key, version)
  );

  CREATE TABLE release_policies (
    flow_key TEXT COLLATE "C" PRIMARY KEY REFERENCES flows(key),
    default_version INTEGER NOT NULL,
    pilots JSON NOT NULL,
    split JSON,
    revision INTEGER NOT NULL,
    updated_by TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
  );

  CREATE TABLE cases (
    id TEXT COLLATE "C" PRIMARY KEY,
    flow_key TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    state JSON NOT NULL,
    customer_ref TEXT COLLATE "C",
    branch TEXT COLLATE "C",
    priority INTEGER NOT NULL,
    breached BOOLEAN NOT NULL,
    open_incidents INTEGER NOT NULL,
    created_by TEXT COLLATE "C" NOT NULL,
    parent_case_id TEXT COLLATE "C",
    parent_request_id TEXT COLLATE "C",
    row_version INTEGER NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX cases_newest ON cases (created_at DESC, id DESC);
  CREATE INDEX cases_flow ON cases (flow_key, status, created_at DESC);
  CREATE INDEX cases_customer_ref ON cases (customer_ref);
  CREATE INDEX cases_creator ON cases (created_by, created_at DESC);
  CREATE INDEX cases_parent ON cases (parent_case_id, parent_request_id);

  CREATE TABLE case_waits (
    case_id TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
    node_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (case_id, node_id)
  );
  CREATE INDEX case_waits_node ON case_waits (node_id, case_id);

  CREATE TABLE tasks (
    id TEXT COLLATE "C" PRIMARY KEY,
    case_id TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
    engine_task_id TEXT COLLATE "C" NOT NULL,
    token_id TEXT COLLATE "C" NOT NULL,
    node_id TEXT COLLATE "C" NOT NULL,
    flow_key TEXT COLLATE "C" NOT NULL,
    name JSON NOT NULL,
    queue TEXT COLLATE "C" NOT NULL,
    roles JSON NOT NULL,
    priority INTEGER NOT NULL,
    form JSON NOT NULL,
    due_at TEXT COLLATE "C",
    warn_at TEXT COLLATE "C",
    sort_due TEXT COLLATE "C" NOT NULL,
    excluded_actors JSON NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    assignee TEXT COLLATE "C",
    completed_by TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    closed_at TEXT COLLATE "C",
    row_version INTEGER NOT NULL,
    UNIQUE (case_id, engine_task_id)
  );
  CREATE INDEX tasks_work_list ON tasks (status, queue, priority DESC, sort_due, created_at, id);
  CREATE INDEX tasks_case ON tasks (case_id);

  CREATE TABLE timers (
    case_id TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
    timer_id TEXT COLLATE "C" NOT NULL,
    due_at TEXT COLLATE "C" NOT NULL,
    run_at TEXT COLLATE "C" NOT NULL,
    purpose TEXT COLLATE "C" NOT NULL,
    node_id TEXT COLLATE "C",
    status TEXT COLLATE "C" NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    fired_at TEXT COLLATE "C",
    PRIMARY KEY (case_id, timer_id)
  );
  -- Only scheduled timers are ever looked for by time; the partial index stays small.
  CREATE INDEX timers_due ON timers (run_at, case_id, timer_id) WHERE status = 'scheduled';

  CREATE TABLE audit (
    stream TEXT COLLATE "C" NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    actor TEXT COLLATE "C",
    entry JSON NOT NULL,
    prev_hash TEXT COLLATE "C" NOT NULL,
    hash TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (stream, seq)
  );

  CREATE TABLE audit_heads (
    stream TEXT COLLATE "C" PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash TEXT COLLATE "C" NOT NULL
  );

  CREATE TABLE outbox (
    id TEXT COLLATE "C" PRIMARY KEY,
    case_id TEXT COLLATE "C",
    kind TEXT COLLATE "C" NOT NULL,
    payload JSON NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    attempts INTEGER NOT NULL,
    run_at TEXT COLLATE "C" NOT NULL,
    lease_owner TEXT COLLATE "C",
    lease_until TEXT COLLATE "C",
    last_error TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    done_at TEXT COLLATE "C"
  );
  CREATE INDEX outbox_pending ON outbox (run_at, created_at, id) WHERE status = 'pending';
  CREATE INDEX outbox_case ON outbox (case_id, created_at);

  CREATE TABLE idempotency (
    caller TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    request_hash TEXT COLLATE "C" NOT NULL,
    status INTEGER NOT NULL,
    body JSON NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (caller, key)
  );
  CREATE INDEX idempotency_age ON idempotency (created_at);

  CREATE TABLE lists (
    name TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C",
    revision INTEGER NOT NULL,
    updated_by TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
  );

  CREATE TABLE list_entries (
    list_name TEXT COLLATE "C" NOT NULL REFERENCES lists(name),
    value TEXT COLLATE "C" NOT NULL,
    note TEXT COLLATE "C",
    added_by TEXT COLLATE "C" NOT NULL,
    added_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (list_name, value)
  );

  CREATE TABLE calendars (
    id TEXT COLLATE "C" PRIMARY KEY,
    calendar JSON NOT NULL,
    revision INTEGER NOT NULL,
    updated_by TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
  );
  `,
  // 2: tasks and outbox rows of the same moment keep the order they were written in (SQLite's
  // rowid order), e.g. a connector call before the event its result caused.
  `
  ALTER TABLE tasks ADD COLUMN ins BIGINT GENERATED ALWAYS AS IDENTITY;
  ALTER TABLE outbox ADD COLUMN ins BIGINT GENERATED ALWAYS AS IDENTITY;
  DROP INDEX outbox_pending;
  CREATE INDEX outbox_pending ON outbox (run_at, created_at, ins) WHERE status = 'pending';
  DROP INDEX outbox_case;
  CREATE INDEX outbox_case ON outbox (case_id, created_at, ins);
  `,
  // 3: the process-health projection, one row per case, written in the transaction of each step
  // (the same table as SQLite's migration 2).
  `
  CREATE TABLE case_facts (
    case_id TEXT COLLATE "C" PRIMARY KEY REFERENCES cases(id),
    flow_key TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    outcome TEXT COLLATE "C",
    started_at TEXT COLLATE "C" NOT NULL,
    ended_at TEXT COLLATE "C",
    cycle_ms BIGINT,
    cycle_working_ms BIGINT,
    stp BOOLEAN,
    rework INTEGER NOT NULL,
    incidents INTEGER NOT NULL,
    case_sla TEXT COLLATE "C",
    dims JSON NOT NULL,
    facts JSON NOT NULL,
    seq INTEGER NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX case_facts_started ON case_facts (flow_key, started_at);
  CREATE INDEX case_facts_ended ON case_facts (flow_key, ended_at);
  `,
  // 4: daily process-health digests of ended cases (the same as SQLite's migration 3).
  `
  ALTER TABLE case_facts ADD COLUMN digested BOOLEAN NOT NULL DEFAULT false;
  CREATE INDEX case_facts_undigested ON case_facts (case_id) WHERE NOT digested AND ended_at IS NOT NULL;

  CREATE TABLE health_digests (
    flow_key TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    dim TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    day TEXT COLLATE "C" NOT NULL,
    cases INTEGER NOT NULL,
    digest JSON NOT NULL,
    PRIMARY KEY (flow_key, version, dim, value, day)
  );
  `,
  // 5: work-list rows carry the customer reference, branch, channel and flow version, and a change
  // counter per queue answers conditional work-list requests (the same as SQLite's migration 4).
  `
  ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN customer_ref TEXT COLLATE "C";
  ALTER TABLE tasks ADD COLUMN branch TEXT COLLATE "C";
  ALTER TABLE tasks ADD COLUMN channel TEXT COLLATE "C";
  UPDATE tasks t SET version = c.version, customer_ref = c.customer_ref, branch = c.branch,
    -- JSON operators refuse a document holding a \\u0000 escape; such a case's channel stays empty.
    channel = CASE WHEN strpos(c.state::text, '\\u0000') > 0 THEN NULL
      WHEN json_typeof(c.state -> 'data' -> 'channel') IN ('string', 'number') THEN c.state -> 'data' ->> 'channel' END
  FROM cases c WHERE c.id = t.case_id;
  CREATE INDEX tasks_work_list_branch ON tasks (status, queue, branch, priority DESC, sort_due, created_at, id);
  CREATE INDEX tasks_work_list_due ON tasks (status, queue, sort_due);

  CREATE TABLE task_queue_changes (
    queue TEXT COLLATE "C" PRIMARY KEY,
    changes BIGINT NOT NULL
  );
  INSERT INTO task_queue_changes (queue, changes) SELECT queue, COUNT(*) FROM tasks GROUP BY queue;

  CREATE INDEX cases_branch ON cases (branch, created_at DESC);
  `,
  // 6: the open-work column of case facts, with an index of the open cases that carries it, the
  // caught-up mark of the projection, and digests by start day too (as SQLite's migration 5).
  `
  ALTER TABLE case_facts ADD COLUMN open_work TEXT COLLATE "C";
  CREATE INDEX case_facts_open ON case_facts (flow_key, started_at) INCLUDE (version, open_work) WHERE ended_at IS NULL;
  CREATE TABLE health_caught_up (
    flow_key TEXT COLLATE "C" PRIMARY KEY,
    at TEXT COLLATE "C" NOT NULL
  );

  CREATE TABLE health_start_digests (
    flow_key TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    dim TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    day TEXT COLLATE "C" NOT NULL,
    cases INTEGER NOT NULL,
    digest JSON NOT NULL,
    PRIMARY KEY (flow_key, version, dim, value, day)
  );
  ALTER TABLE case_facts ADD COLUMN start_digested BOOLEAN NOT NULL DEFAULT false;
  CREATE INDEX case_facts_undigested_any ON case_facts (case_id) WHERE ended_at IS NOT NULL AND (NOT digested OR NOT start_digested);
  DROP INDEX case_facts_undigested;
  DROP INDEX case_facts_started;
  `,
];
