/**
 * Schema of the embedded store, one entry per version. `PRAGMA user_version` records how many
 * have been applied; a new version is appended here and never edits an old one.
 */
export const sqliteMigrations: readonly string[] = [
  `
  CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE flows (
    key TEXT PRIMARY KEY,
    draft TEXT NOT NULL,
    draft_revision INTEGER NOT NULL,
    owner TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE flow_versions (
    flow_key TEXT NOT NULL REFERENCES flows(key),
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    hash TEXT NOT NULL,
    author TEXT,
    published_by TEXT,
    published_at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (flow_key, version)
  );

  CREATE TABLE release_policies (
    flow_key TEXT PRIMARY KEY REFERENCES flows(key),
    default_version INTEGER NOT NULL,
    pilots TEXT NOT NULL,
    split TEXT,
    revision INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    flow_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    state TEXT NOT NULL,
    customer_ref TEXT,
    branch TEXT,
    priority INTEGER NOT NULL,
    breached INTEGER NOT NULL,
    open_incidents INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    parent_case_id TEXT,
    parent_request_id TEXT,
    row_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX cases_newest ON cases (created_at DESC, id DESC);
  CREATE INDEX cases_flow ON cases (flow_key, status, created_at DESC);
  CREATE INDEX cases_customer_ref ON cases (customer_ref);
  CREATE INDEX cases_creator ON cases (created_by, created_at DESC);
  CREATE INDEX cases_parent ON cases (parent_case_id, parent_request_id);

  CREATE TABLE case_waits (
    case_id TEXT NOT NULL REFERENCES cases(id),
    node_id TEXT NOT NULL,
    PRIMARY KEY (case_id, node_id)
  );
  CREATE INDEX case_waits_node ON case_waits (node_id, case_id);

  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    engine_task_id TEXT NOT NULL,
    token_id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    flow_key TEXT NOT NULL,
    name TEXT NOT NULL,
    queue TEXT NOT NULL,
    roles TEXT NOT NULL,
    priority INTEGER NOT NULL,
    form TEXT NOT NULL,
    due_at TEXT,
    warn_at TEXT,
    sort_due TEXT NOT NULL,
    excluded_actors TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee TEXT,
    completed_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    row_version INTEGER NOT NULL,
    UNIQUE (case_id, engine_task_id)
  );
  CREATE INDEX tasks_work_list ON tasks (status, queue, priority DESC, sort_due, created_at, id);
  CREATE INDEX tasks_case ON tasks (case_id);

  CREATE TABLE timers (
    case_id TEXT NOT NULL REFERENCES cases(id),
    timer_id TEXT NOT NULL,
    due_at TEXT NOT NULL,
    run_at TEXT NOT NULL,
    purpose TEXT NOT NULL,
    node_id TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    fired_at TEXT,
    PRIMARY KEY (case_id, timer_id)
  );
  CREATE INDEX timers_due ON timers (status, run_at);

  CREATE TABLE audit (
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT,
    entry TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (stream, seq)
  );

  CREATE TABLE audit_heads (
    stream TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
  );

  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    case_id TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    run_at TEXT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    done_at TEXT
  );
  CREATE INDEX outbox_pending ON outbox (status, run_at);
  CREATE INDEX outbox_case ON outbox (case_id, created_at);

  CREATE TABLE idempotency (
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (caller, key)
  );
  CREATE INDEX idempotency_age ON idempotency (created_at);

  CREATE TABLE lists (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    description TEXT,
    revision INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE list_entries (
    list_name TEXT NOT NULL REFERENCES lists(name),
    value TEXT NOT NULL,
    note TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (list_name, value)
  );

  CREATE TABLE calendars (
    id TEXT PRIMARY KEY,
    calendar TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 2: the process-health projection, one row per case, written in the transaction of each step.
  `
  CREATE TABLE case_facts (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    flow_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    cycle_ms INTEGER,
    cycle_working_ms INTEGER,
    stp INTEGER,
    rework INTEGER NOT NULL,
    incidents INTEGER NOT NULL,
    case_sla TEXT,
    dims TEXT NOT NULL,
    facts TEXT NOT NULL,
    seq INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX case_facts_started ON case_facts (flow_key, started_at);
  CREATE INDEX case_facts_ended ON case_facts (flow_key, ended_at);
  `,
  // 3: daily process-health digests of ended cases, filled by a checkpointed projector: a case's
  // facts row is digested once (digested = 1), in the transaction that adds it to the digests.
  `
  ALTER TABLE case_facts ADD COLUMN digested INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX case_facts_undigested ON case_facts (case_id) WHERE digested = 0 AND ended_at IS NOT NULL;

  CREATE TABLE health_digests (
    flow_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    dim TEXT NOT NULL,
    value TEXT NOT NULL,
    day TEXT NOT NULL,
    cases INTEGER NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (flow_key, version, dim, value, day)
  );
  `,
  // 4: work-list rows carry what an operator sees (customer reference, branch, channel, flow
  // version), copied from the case when the task opens, so a work list reads no case; tasks open
  // before this take them from their case. A change counter per queue lets GET /api/tasks answer
  // 304 cheaply; the indexes keep the branch and due-time filters and case date ranges fast.
  `
  ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN customer_ref TEXT;
  ALTER TABLE tasks ADD COLUMN branch TEXT;
  ALTER TABLE tasks ADD COLUMN channel TEXT;
  UPDATE tasks SET
    version = (SELECT c.version FROM cases c WHERE c.id = tasks.case_id),
    customer_ref = (SELECT c.customer_ref FROM cases c WHERE c.id = tasks.case_id),
    branch = (SELECT c.branch FROM cases c WHERE c.id = tasks.case_id),
    channel = (SELECT CASE WHEN json_type(c.state, '$.data.channel') IN ('text', 'integer', 'real') THEN CAST(json_extract(c.state, '$.data.channel') AS TEXT) END
               FROM cases c WHERE c.id = tasks.case_id);
  CREATE INDEX tasks_work_list_branch ON tasks (status, queue, branch, priority DESC, sort_due, created_at, id);
  CREATE INDEX tasks_work_list_due ON tasks (status, queue, sort_due);

  CREATE TABLE task_queue_changes (
    queue TEXT PRIMARY KEY,
    changes INTEGER NOT NULL
  );
  INSERT INTO task_queue_changes (queue, changes) SELECT queue, COUNT(*) FROM tasks GROUP BY queue;

  CREATE INDEX cases_branch ON cases (branch, created_at DESC);
  `,
  // 5: process-health reports over a million cases: each open case's row carries what work in
  // progress and queues need (open tasks, completed work) as a narrow column, in an index of the
  // open cases only, so a report reads neither their facts nor their rows (rows from before keep
  // the column empty and are read from their facts); the index of ended cases carries start and
  // version for the cases that ended after a period; a per-flow mark that every case was found
  // folded, so a process does not check every case against its journal before its first answer;
  // and daily digests by start day beside those by end day (filled by the next health query).
  // Processes of the previous version keep working: they know neither and leave them alone.
  `
  ALTER TABLE case_facts ADD COLUMN open_work TEXT;
  CREATE INDEX case_facts_open ON case_facts (flow_key, started_at, version, dims, open_work, case_id) WHERE ended_at IS NULL;
  DROP INDEX case_facts_ended;
  CREATE INDEX case_facts_ended ON case_facts (flow_key, ended_at, started_at, version);
  CREATE TABLE health_caught_up (
    flow_key TEXT PRIMARY KEY,
    at TEXT NOT NULL
  );

  -- Digests by the day cases started, beside those by the day they ended, with a checkpoint of
  -- their own: every ended case is added to them once, those from before this included.
  CREATE TABLE health_start_digests (
    flow_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    dim TEXT NOT NULL,
    value TEXT NOT NULL,
    day TEXT NOT NULL,
    cases INTEGER NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (flow_key, version, dim, value, day)
  );
  ALTER TABLE case_facts ADD COLUMN start_digested INTEGER NOT NULL DEFAULT 0;
  -- One index finds the ended cases missing from either kind of digests, instead of one per mark;
  -- the start-time index gives way to case_facts_open and case_facts_ended. Fewer index entries to
  -- write when a case starts and ends (what keeping the figures costs each step).
  CREATE INDEX case_facts_undigested_any ON case_facts (case_id) WHERE ended_at IS NOT NULL AND (digested = 0 OR start_digested = 0);
  DROP INDEX case_facts_undigested;
  DROP INDEX case_facts_started;
  `,
  // 6: process-health facts are folded from the journal in batches after the steps commit, no
  // longer inside each step's transaction (docs/decisions/0073): the position up to which they
  // are, in the journal's commit order (its rowid). Every entry so far was folded by its step.
  // And the index of ended cases holds ended cases only: every query that reads it bounds
  // ended_at, and open cases are found through case_facts_open.
  `
  INSERT INTO meta (name, value) SELECT 'facts.position', CAST(COALESCE(MAX(rowid), 0) AS TEXT) FROM audit;
  DROP INDEX case_facts_ended;
  CREATE INDEX case_facts_ended ON case_facts (flow_key, ended_at, started_at, version) WHERE ended_at IS NOT NULL;
  `,
];
