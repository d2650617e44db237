import type { FlowDefinition } from '@flowpath/engine';
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, ReactFlowProvider, type Edge, type Node, type NodeProps, type ReactFlowInstance } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { Problem } from '../api/types';
import { ProblemView } from '../app/ProblemView';
import { localName } from './dashboard-model';
import { formatDuration, formatRate } from './format';
import { HEAT_METRICS, heatScale, heatValue, inkOn, NO_DATA_COLOUR, type HeatMetric, type HeatScale } from './heat-scale';
import { useHealthT } from './i18n';
import type { HealthQuery, NodeFigure, NodeFigures } from './types';

interface HeatNodeData extends Record<string, unknown> {
  name: string;
  colour: string;
  ink: string;
  value: string;
  details: string;
}

type HeatNode = Node<HeatNodeData, 'heat'>;

function HeatNodeView({ id, data }: NodeProps<HeatNode>) {
  return (
    <div className="heat-node" data-testid={`heat-node-${id}`} style={{ background: data.colour, color: data.ink }} title={data.details} aria-label={data.details} tabIndex={0}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="heat-node-name">{data.name}</div>
      <div className="heat-node-value">{data.value}</div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const NODE_TYPES = { heat: HeatNodeView };
const PRO_OPTIONS = { hideAttribution: true };
// A whole flow on screen, however wide: React Flow's default minimum zoom (0.5) would cut off its ends.
const FIT_VIEW = { padding: 0.04, minZoom: 0.1 };

/** One figure of a node for people to read, in the metric's unit. */
export function heatText(metric: HeatMetric, value: number | null, lang: 'zh-CN' | 'en'): string {
  if (value === null) return '–';
  return metric === 'waiting' ? formatDuration(value, lang, 'working') : formatRate(value);
}

/**
 * The flow's canvas, read-only, each node coloured by the chosen figure from /health/nodes, with
 * a legend and every figure of a node on hover or focus.
 */
export function HeatmapView({ flowKey, query, version }: { flowKey: string; query: HealthQuery; version: number }) {
  const { tr, lang } = useHealthT();
  const api = useApi();
  const [metric, setMetric] = useState<HeatMetric>('waiting');
  const [figures, setFigures] = useState<NodeFigures | null>(null);
  const [definition, setDefinition] = useState<FlowDefinition | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const queryKey = JSON.stringify(query);
  const canvasRef = useRef<HTMLDivElement>(null);
  const flowRef = useRef<ReactFlowInstance<HeatNode, Edge> | null>(null);

  // The whole flow stays in view when the canvas changes size (the page lays out around it after
  // the figures arrive, and on window resizes).
  useEffect(() => {
    const el = canvasRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => void flowRef.current?.fitView(FIT_VIEW));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    let live = true;
    setProblem(null);
    void (async () => {
      try {
        const q = JSON.parse(queryKey) as HealthQuery;
        const [f, v] = await Promise.all([api.getNodeHealth(flowKey, q), api.getVersion(flowKey, version)]);
        if (!live) return;
        setFigures(f);
        setDefinition(v.definition);
      } catch (err) {
        if (live) setProblem(toProblem(err));
      }
    })();
    return () => {
      live = false;
    };
  }, [api, flowKey, queryKey, version]);

  const byId = useMemo(() => new Map((figures?.nodes ?? []).map((n) => [n.nodeId, n])), [figures]);
  const scale = useMemo(() => heatScale(metric, (definition?.nodes ?? []).map((n) => { const f = byId.get(n.id); return f ? heatValue(f, metric) : null; })), [definition, byId, metric]);

  const describe = (name: string, f: NodeFigure | undefined): string => {
    if (!f) return `${name}: ${tr('heat.noData')}`;
    return [
      name,
      `${tr('heat.metric.waiting')}: ${heatText('waiting', heatValue(f, 'waiting'), lang)}`,
      `${tr('figures.handlingP50')}: ${formatDuration(f.handling.working.n > 0 ? f.handling.working.p50 : null, lang, 'working')}`,
      `${tr('heat.metric.breach')}: ${formatRate(f.breachRate)}`,
      `${tr('heat.metric.hits')}: ${formatRate(f.hitRate)}`,
      `${tr('figures.visits')}: ${f.visits}`,
      `${tr('figures.rework')}: ${f.rework}`,
    ].join(' · ');
  };

  // Kept identical while only the hover changes: new node objects make React Flow measure and fit
  // again, which moves the node from under the pointer.
  const nodes: HeatNode[] = useMemo(
    () =>
      (definition?.nodes ?? []).map((n) => {
        const f = byId.get(n.id);
        const value = f ? heatValue(f, metric) : null;
        const colour = scale.colour(value);
        const name = localName(n.name, n.id, lang);
        return {
          id: n.id,
          type: 'heat' as const,
          position: n.position ?? { x: 0, y: 0 },
          data: { name, colour, ink: inkOn(colour), value: heatText(metric, value, lang), details: describe(name, f) },
          draggable: false,
          connectable: false,
          selectable: false,
          deletable: false,
        };
      }),
    // `describe` reads only `tr`, which changes with `lang`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [definition, byId, metric, scale, lang],
  );
  const edges: Edge[] = useMemo(
    () => (definition?.edges ?? []).map((e) => ({ id: e.id, source: e.source, target: e.target, markerEnd: { type: MarkerType.ArrowClosed }, deletable: false, selectable: false, focusable: false })),
    [definition],
  );
  const hoveredFigure = hovered ? byId.get(hovered) : undefined;
  const hoveredName = hovered ? localName(definition?.nodes.find((n) => n.id === hovered)?.name, hovered, lang) : '';

  return (
    <section className="heatmap" aria-label={tr('heat.title')}>
      <div className="heatmap-controls">
        <fieldset className="heat-switch">
          <legend>{tr('heat.colourBy')}</legend>
          {HEAT_METRICS.map((m) => (
            <label key={m} className="inline">
              <input type="radio" name="heat-metric" value={m} checked={metric === m} onChange={() => setMetric(m)} />
              {tr(`heat.metric.${m}`)}
            </label>
          ))}
        </fieldset>
        <HeatLegend scale={scale} metric={metric} />
        <p className="hint">
          {tr('heat.readOnly')}
          {figures && ` · ${tr('heat.scope', { version: figures.version, measured: figures.measured })}`}
        </p>
      </div>
      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}
      <div className="heatmap-body">
        <div className="heatmap-canvas" data-testid="heatmap-canvas" ref={canvasRef}>
          {definition && figures && (
            <ReactFlowProvider>
              <ReactFlow
                nodes={nodes}
                edges={edges}
                nodeTypes={NODE_TYPES}
                nodesDraggable={false}
                nodesConnectable={false}
                elementsSelectable={false}
                edgesFocusable={false}
                deleteKeyCode={null}
                fitView
                fitViewOptions={FIT_VIEW}
                minZoom={0.1}
                proOptions={PRO_OPTIONS}
                onInit={(instance) => {
                  flowRef.current = instance;
                  void instance.fitView(FIT_VIEW);
                }}
                onNodeMouseEnter={(_, n) => setHovered(n.id)}
                onNodeMouseLeave={() => setHovered(null)}
                onNodeClick={(_, n) => setHovered(n.id)}
              >
                <Background />
                <Controls showInteractive={false} />
              </ReactFlow>
            </ReactFlowProvider>
          )}
        </div>
        <aside className="heatmap-details" aria-live="polite" data-testid="heat-details">
          {hovered ? (
            <>
              <h3>{hoveredName}</h3>
              {hoveredFigure ? <NodeDetails figure={hoveredFigure} /> : <p>{tr('heat.noData')}</p>}
            </>
          ) : (
            <p className="hint">{tr('heat.hoverHint')}</p>
          )}
        </aside>
      </div>
    </section>
  );
}

function NodeDetails({ figure: f }: { figure: NodeFigure }) {
  const { tr, lang } = useHealthT();
  const d = (ms: number | null, n: number) => formatDuration(n > 0 ? ms : null, lang, 'working');
  const rows: [string, string][] = [
    [tr('figures.visits'), String(f.visits)],
    [tr('figures.waitingP50'), d(f.queue.working.p50, f.queue.working.n)],
    [tr('figures.waitingP90'), d(f.queue.working.p90, f.queue.working.n)],
    [tr('figures.handlingP50'), d(f.handling.working.p50, f.handling.working.n)],
    [tr('figures.timeP50'), d(f.time.working.p50, f.time.working.n)],
    [tr('figures.breachRate'), `${formatRate(f.breachRate)} (${f.sla.breached}/${f.sla.decided})`],
    [tr('figures.escalations'), String(f.escalations)],
    [tr('figures.rework'), String(f.rework)],
    [tr('figures.incidentRate'), formatRate(f.incidentRate)],
    [tr('figures.hitRate'), `${formatRate(f.hitRate)} (${f.hits})`],
  ];
  return (
    <dl>
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
      {f.rules.length > 0 && (
        <div>
          <dt>{tr('compliance.rule')}</dt>
          <dd>
            <ul>
              {f.rules.map((r) => (
                <li key={r.rule}>
                  {r.rule}: {formatRate(r.fireRate)} ({tr(`actions.${r.action}`)})
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** The colour ramp with its values, and the swatch of nodes without a figure. */
export function HeatLegend({ scale, metric }: { scale: HeatScale; metric: HeatMetric }) {
  const { tr, lang } = useHealthT();
  return (
    <div className="heat-legend" role="group" aria-label={tr('heat.legend')} data-testid="heat-legend">
      <span className="heat-legend-title">{tr(`heat.metric.${metric}`)}</span>
      {scale.stops.map((s, i) => (
        <span key={i} className="heat-stop">
          <span className="swatch" style={{ background: s.colour }} />
          {heatText(metric, s.value, lang)}
        </span>
      ))}
      <span className="heat-stop">
        <span className="swatch" style={{ background: NO_DATA_COLOUR }} />
        {tr('heat.noData')}
      </span>
    </div>
  );
}
