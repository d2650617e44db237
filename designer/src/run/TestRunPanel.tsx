import { createSimulator, formatIssue, type AuditRecord, type FlowDefinition, type ScenarioStep, type Simulator, type SimulatorResult } from '@flowpath/engine';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asLang } from '../i18n';
import { ruleText } from '../rules/rule-text';
import { useEditor, useEditorState } from '../store/context';
import { runOverlay, sampleData, toScenario, type RunRecord } from './scenario';
import { Labelled } from '../app/Labelled';

const DEFAULT_START = '2026-01-05T01:00:00.000Z';

/** Parses a JSON object typed by the user; null when it is not one. */
function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Runs the flow in the browser with the engine's simulator: start with sample data, complete
 * tasks by hand, send messages, move the clock, answer service calls. The path lights up on the
 * canvas and every decision and gate is explained. The run can be saved as a scenario file.
 */
export function TestRunPanel() {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const editor = useEditor();
  const doc = useEditorState((s) => s.doc);
  const [dataText, setDataText] = useState(() => JSON.stringify(sampleData(doc.caseSchema), null, 2));
  const [listsText, setListsText] = useState('{}');
  const [servicesText, setServicesText] = useState('{}');
  const [startAt, setStartAt] = useState(DEFAULT_START);
  const [actor, setActor] = useState('');
  const [error, setError] = useState<string | null>(null);
  const sim = useRef<Simulator | null>(null);
  const flowRef = useRef<FlowDefinition | null>(null);
  const record = useRef<RunRecord | null>(null);
  const [, setTick] = useState(0);
  const refresh = () => {
    setTick((n) => n + 1);
    if (sim.current) editor.store.getState().setOverlay(runOverlay(sim.current));
  };

  // The run's highlights belong to the run: leaving the tab clears them.
  useEffect(() => () => editor.store.getState().setOverlay(null), [editor]);

  const reject = (r: SimulatorResult): boolean => {
    if (r.ok) {
      setError(null);
      return false;
    }
    const issues = (r.rejected.params.issues as { code: string; params: Record<string, unknown>; path: string }[] | undefined) ?? [];
    const detail = issues.map((i) => `${formatIssue({ code: i.code, params: i.params ?? {} }, lang)} (${i.path})`).join('; ');
    setError(`${t('run.rejected', { code: r.rejected.code })}${detail ? `: ${detail}` : ''}`);
    return true;
  };

  const start = () => {
    const data = parseObject(dataText);
    const lists = parseObject(listsText);
    const services = parseObject(servicesText);
    if (!data) return setError(t('run.dataInvalid'));
    if (!lists || !Object.values(lists).every(Array.isArray)) return setError(t('run.listsInvalid'));
    if (!services || !Object.values(services).every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return setError(t('run.servicesInvalid'));
    if (Number.isNaN(Date.parse(startAt))) return setError(t('run.timeInvalid'));
    const flow = structuredClone(editor.store.getState().doc);
    const s = createSimulator(flow, { lists: lists as Record<string, unknown[]>, services: structuredClone(services) as Record<string, Record<string, unknown>> });
    const r = s.start(data, new Date(startAt).toISOString(), actor ? { id: actor } : undefined);
    sim.current = s;
    flowRef.current = flow;
    record.current = {
      name: t('run.defaultName', { flow: flow.name[lang] }),
      // process-templates keeps scenarios in <flow>/scenarios/ next to <flow>/flow.json.
      flowPath: '../flow.json',
      start: { data, at: new Date(startAt).toISOString(), ...(actor ? { actor } : {}) },
      lists: lists as Record<string, unknown[]>,
      services: services as Record<string, Record<string, unknown>>,
      steps: [],
    };
    reject(r);
    refresh();
  };

  const act = (step: ScenarioStep, run: (s: Simulator) => SimulatorResult) => {
    const s = sim.current;
    if (!s) return;
    if (!reject(run(s))) record.current?.steps.push(step);
    refresh();
  };

  const reset = () => {
    sim.current = null;
    record.current = null;
    setError(null);
    editor.store.getState().setOverlay(null);
    setTick((n) => n + 1);
  };

  const download = () => {
    const s = sim.current;
    const rec = record.current;
    const flow = flowRef.current;
    if (!s || !rec || !flow) return;
    const scenario = toScenario(rec, s, flow);
    const blob = new Blob([`${JSON.stringify(scenario, null, 2)}\n`], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${flow.key}-${rec.steps.length}-steps.scenario.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const s = sim.current;
  const state = s?.state ?? null;
  const name = (id: string | undefined) => (id ? (doc.nodes.find((n) => n.id === id)?.name[lang] ?? id) : '');

  return (
    <section className="props" aria-label={t('editor.tab.run')}>
      {!s ? (
        <>
          <p className="hint">{t('run.explain')}</p>
          <Labelled label={t('run.data')}>
            <textarea rows={8} value={dataText} onChange={(e) => setDataText(e.target.value)} spellCheck={false} />
          </Labelled>
          <div className="pair">
            <button type="button" className="small" onClick={() => setDataText(JSON.stringify(sampleData(doc.caseSchema), null, 2))}>
              {t('run.resetData')}
            </button>
            <Labelled label={t('run.fromScenario')}>
              <input
                type="file"
                accept="application/json,.json"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  void file.text().then((text) => {
                    const scenario = parseObject(text);
                    const start = scenario?.start as { data?: unknown; at?: unknown } | undefined;
                    if (!start || !start.data || typeof start.data !== 'object') return setError(t('run.scenarioInvalid'));
                    setError(null);
                    setDataText(JSON.stringify(start.data, null, 2));
                    if (typeof start.at === 'string') setStartAt(start.at);
                    if (scenario?.lists && typeof scenario.lists === 'object') setListsText(JSON.stringify(scenario.lists));
                    if (scenario?.services && typeof scenario.services === 'object') setServicesText(JSON.stringify(scenario.services, null, 2));
                  });
                }}
              />
            </Labelled>
          </div>
          <Labelled label={t('run.lists')}>
            <textarea rows={2} value={listsText} onChange={(e) => setListsText(e.target.value)} spellCheck={false} placeholder='{"blacklist": ["C001"]}' />
          </Labelled>
          <Labelled label={t('run.services')}>
            <textarea rows={2} value={servicesText} onChange={(e) => setServicesText(e.target.value)} spellCheck={false} placeholder='{"ocr": {"licenceNo": "91310000MA1K"}}' />
          </Labelled>
          <Labelled label={t('run.startAt')}>
            <input value={startAt} onChange={(e) => setStartAt(e.target.value)} />
          </Labelled>
          <Labelled label={t('run.actor')}>
            <input value={actor} onChange={(e) => setActor(e.target.value)} />
          </Labelled>
          <button type="button" className="primary" onClick={start}>
            {t('run.start')}
          </button>
        </>
      ) : (
        <>
          <p role="status">
            <strong>{t(`run.status.${state?.status ?? 'rejected'}`)}</strong>
            {state?.outcome && <> · {t('run.outcome', { outcome: state.outcome })}</>} · {t('run.clock', { now: s.now })}
          </p>
          {state && state.flags.length > 0 && (
            <p>
              {t('run.flags')}: {state.flags.map((f) => f.message?.[lang] ?? f.code).join('; ')}
            </p>
          )}
          {[...s.tasks.values()].map((task) => (
            <TaskForm key={task.taskId} title={`${t('run.task')}: ${task.name[lang]} (${task.queue})`} onSubmit={(data) => act({ complete: task.nodeId, data, ...(actor ? { actor } : {}) }, (x) => x.completeTask(task.taskId, data, actor ? { id: actor } : undefined))} buttonLabel={t('run.complete')} />
          ))}
          {[...s.calls.values()].map((call) => (
            <div key={call.requestId} className="subtle-box">
              <strong>
                {t('run.call')}: {name(call.nodeId)} · {call.connector}
              </strong>
              <code>{JSON.stringify(call.input)}</code>
              <TaskForm title={t('run.answer')} buttonLabel={t('run.answerOk')} onSubmit={(data) => act({ serviceResult: call.nodeId, data }, (x) => x.serviceResult(call.requestId, data))} />
              <button type="button" className="danger" onClick={() => act({ serviceError: call.nodeId }, (x) => x.serviceError(call.requestId, { code: 'connector.failed', message: 'failed in test run' }))}>
                {t('run.answerFail')}
              </button>
            </div>
          ))}
          {state?.incidents.map((inc) => (
            <div key={inc.id} className="subtle-box">
              {t('run.incident', { node: name(inc.nodeId), code: inc.code })}
              <button type="button" onClick={() => act({ retryIncident: inc.nodeId }, (x) => x.retryIncident(inc.id))}>
                {t('run.retry')}
              </button>
            </div>
          ))}
          {state?.status === 'waiting' && (
            <>
              <MessageForm onSend={(nameValue, data) => act({ message: nameValue, data }, (x) => x.message(nameValue, data))} />
              <AdvanceForm onAdvance={(d) => act({ advance: d }, (x) => x.advance(d))} />
            </>
          )}
          {error && (
            <p role="alert" className="field-error">
              {error}
            </p>
          )}
          <div className="pair">
            <button type="button" onClick={download}>
              {t('run.save')}
            </button>
            <button type="button" onClick={reset}>
              {t('run.reset')}
            </button>
          </div>
          <h3>{t('run.log')}</h3>
          <ol className="run-log" aria-label={t('run.log')}>
            {/* Leaving a node says nothing the next entry does not; skipped here, not rendered as an empty item. */}
            {s.audit.map((a, i) =>
              a.type === 'node.left' ? null : (
                <li key={i}>
                  <AuditLine record={a} name={name} flow={flowRef.current ?? doc} />
                </li>
              ),
            )}
          </ol>
        </>
      )}
      {!s && error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}

function TaskForm({ title, buttonLabel, onSubmit }: { title: string; buttonLabel: string; onSubmit: (data: Record<string, unknown>) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('{}');
  const [bad, setBad] = useState(false);
  return (
    <div className="subtle-box" role="group" aria-label={title}>
      <strong>{title}</strong>
      <Labelled label={t('run.taskData')}>
        <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-invalid={bad || undefined} aria-label={`${title}: ${t('run.taskData')}`} />
      </Labelled>
      <button
        type="button"
        onClick={() => {
          const data = parseObject(text);
          setBad(!data);
          if (data) onSubmit(data);
        }}
        aria-label={`${buttonLabel}: ${title}`}
      >
        {buttonLabel}
      </button>
      {bad && (
        <span role="alert" className="field-error">
          {t('run.dataInvalid')}
        </span>
      )}
    </div>
  );
}

function MessageForm({ onSend }: { onSend: (name: string, data: Record<string, unknown>) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [text, setText] = useState('{}');
  return (
    <fieldset className="subtle-box">
      <legend>{t('run.message')}</legend>
      <Labelled label={t('run.messageName')}>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </Labelled>
      <Labelled label={t('run.messageData')}>
        <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </Labelled>
      <button type="button" disabled={!name} onClick={() => onSend(name, parseObject(text) ?? {})}>
        {t('run.send')}
      </button>
    </fieldset>
  );
}

function AdvanceForm({ onAdvance }: { onAdvance: (duration: string) => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState('PT1H');
  return (
    <fieldset className="subtle-box">
      <legend>{t('run.advance')}</legend>
      <Labelled label={t('run.advanceBy')}>
        <input value={d} onChange={(e) => setD(e.target.value)} />
      </Labelled>
      <div className="pair">
        {['PT1H', 'PT4H', 'P1D', 'P3D'].map((x) => (
          <button key={x} type="button" className="small" onClick={() => onAdvance(x)}>
            +{x}
          </button>
        ))}
      </div>
      <button type="button" onClick={() => onAdvance(d)}>
        {t('run.advanceGo')}
      </button>
    </fieldset>
  );
}

/** One audit record in words; decisions and gate results say which rule read what. */
function AuditLine({ record, name, flow }: { record: AuditRecord; name: (id: string | undefined) => string; flow: FlowDefinition }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const d = record.details;
  const reads = (r: { reads: Record<string, unknown> }) =>
    Object.entries(r.reads)
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join(', ');
  if (record.type === 'decision.taken') {
    const target = name(typeof d.target === 'string' ? d.target : undefined);
    return (
      <div className="explain">
        <strong>{t('run.decision', { node: name(record.nodeId), target })}</strong>
        {d.default ? <div>{t('run.decisionDefault')}</div> : null}
        <ul>
          {(record.rules ?? []).map((r, i) => (
            <li key={i}>
              {ruleText(r.rule, flow.caseSchema, lang) ?? JSON.stringify(r.rule)} → <strong>{JSON.stringify(r.result)}</strong>
              {Object.keys(r.reads).length > 0 && <> ({t('run.read', { values: reads(r) })})</>}
              {r.error && <span className="field-error"> {r.error}</span>}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (record.type === 'gate.evaluated') {
    const node = flow.nodes.find((n) => n.id === record.nodeId);
    const ruleName = (id: string | undefined) => (node?.kind === 'compliance-gate' ? node.rules.find((r) => r.id === id)?.name[lang] : undefined) ?? id ?? '';
    return (
      <div className="explain">
        <strong>{t('run.gate', { node: name(record.nodeId), action: t(`gate.actions.${String(d.action) as 'pass'}`) })}</strong>
        <ul>
          {(record.rules ?? []).map((r, i) => (
            <li key={i}>
              {ruleName(r.ruleId)}: {r.result ? t('run.fired') : t('run.notFired')}
              {Object.keys(r.reads).length > 0 && <> ({t('run.read', { values: reads(r) })})</>}
              {r.error && <span className="field-error"> {r.error}</span>}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const text: Partial<Record<AuditRecord['type'], string>> = {
    'case.started': t('run.a.started'),
    'case.completed': t('run.a.completed', { outcome: String(d.outcome ?? '') }),
    'case.terminated': t('run.a.terminated', { outcome: String(d.outcome ?? '') }),
    'node.entered': t('run.a.entered', { node: name(record.nodeId) }),
    'task.opened': t('run.a.taskOpened', { node: name(record.nodeId), queue: String(d.queue ?? '') }),
    'task.completed': t('run.a.taskCompleted', { node: name(record.nodeId) }),
    'message.received': t('run.a.message', { name: String(d.name ?? '') }),
    'timer.fired': t('run.a.timer', { node: name(record.nodeId) }),
    'sla.warned': t('run.a.slaWarned', { node: name(record.nodeId) || t('run.case') }),
    'sla.breached': t('run.a.slaBreached', { node: name(record.nodeId) || t('run.case') }),
    escalation: t('run.a.escalation', { action: String(d.action ?? '') }),
    'service.called': t('run.a.serviceCalled', { node: name(record.nodeId) }),
    'service.succeeded': t('run.a.serviceOk', { node: name(record.nodeId) }),
    'service.failed': t('run.a.serviceFailed', { node: name(record.nodeId) }),
    'data.set': t('run.a.dataSet', { node: name(record.nodeId) }),
  };
  return (
    <span>
      <code>{record.at.slice(0, 16).replace('T', ' ')}</code> {text[record.type] ?? `${record.type} ${name(record.nodeId)}`}
    </span>
  );
}
