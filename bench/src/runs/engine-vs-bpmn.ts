/**
 * Run 1, engine vs peer: the realistic SME loan flow executed in memory to its end by the
 * Flowpath engine and by bpmn-engine on an equivalent BPMN file, instances per second.
 */
import { bpmnCase } from '../engine/bpmn-case';
import { flowpathCase, type CaseTrace } from '../engine/flowpath-case';
import { EQUIVALENCE_CASES } from '../engine/loan-data';
import { compare } from '../harness';
import { profileNote, profileWhile } from '../profile';
import type { BenchRun, RunContext, RunResult } from '../run-types';
import { fmtRate, fmtRatio, spread } from '../format';

/** The logical path: consecutive repeats folded (a join is entered once per branch), ends left to the outcome. */
function logical(t: CaseTrace): string {
  const ids = t.path.map((id) => (id === 'gate-exit' ? 'gate' : id)).filter((id) => !id.startsWith('end-'));
  return ids.filter((id, i) => id !== ids[i - 1]).join(' → ');
}

async function checkEquivalence(ctx: RunContext): Promise<string[]> {
  const fp = flowpathCase();
  const bp = await bpmnCase();
  const lines: string[] = [];
  for (const [name, data] of Object.entries(EQUIVALENCE_CASES)) {
    const a = fp.trace(data);
    const b = await bp.trace(data);
    const pa = logical(a);
    const pb = logical(b);
    if (pa !== pb || a.outcome !== b.outcome || a.tasksDone !== b.tasksDone) {
      throw new Error(`the two flows are not equivalent on "${name}": Flowpath ${pa} ⇒ ${a.outcome} (${a.tasksDone} tasks), bpmn-engine ${pb} ⇒ ${b.outcome} (${b.tasksDone} tasks)`);
    }
    lines.push(`${name}: ${pa} ⇒ ${a.outcome ?? 'waiting'}, ${a.tasksDone} task(s)`);
  }
  ctx.log(`engine: both engines take the same path on ${lines.length} cases`);
  return lines;
}

export const engineVsBpmn: BenchRun = {
  name: 'engine-vs-bpmn-engine',
  title: 'Engine vs peer (bpmn-engine)',
  unit: 'x',
  target: 100,
  async run(ctx): Promise<RunResult> {
    const paths = await checkEquivalence(ctx);
    const fp = flowpathCase();
    const bp = await bpmnCase();
    const settings = ctx.quick
      ? { rounds: 3, timeMs: 1000, warmupMs: 300, minIterations: 8 }
      : { rounds: 5, timeMs: 2000, warmupMs: 500, minIterations: 16 };
    const c = await compare({ label: 'Flowpath engine', run: fp.run, async: false }, { label: 'bpmn-engine 25.0.1', run: bp.run, async: true }, settings);
    const notes: string[] = [];
    if (c.ratio < this.target) {
      ctx.log('engine: target missed; profiling the Flowpath side');
      const summary = await profileWhile(async () => {
        const end = performance.now() + (ctx.quick ? 2000 : 4000);
        while (performance.now() < end) fp.run();
      });
      notes.push(profileNote('Flowpath cases run back to back', summary));
    }
    return {
      name: this.name,
      title: this.title,
      status: 'measured',
      ratio: c.ratio,
      unit: this.unit,
      target: this.target,
      figures: [
        { label: 'Flowpath, cases/s', value: fmtRate(c.subject.rate) },
        { label: 'bpmn-engine, cases/s', value: fmtRate(c.baseline.rate) },
        { label: 'ratio per round', value: spread(c.ratios, this.unit) },
        { label: 'cases run to the end (Flowpath + bpmn-engine)', value: `${c.subject.finished.toLocaleString('en-US')} + ${c.baseline.finished.toLocaleString('en-US')}` },
      ],
      notes: [
        `Each unit is one large-loan case from start to end: start, OCR service task (answered at once), the three-rule compliance gate, the three-way route, the parallel risk ‖ credit review (two tasks completed), the join, the final approval task (completed), the approved? decision and the approved end. Flowpath drives it through \`createSimulator\` with the definition built once; bpmn-engine gets a new \`Engine\` per case from the serialized context of the BPMN file, parsed once (XML parse and moddle serialization are not in the timed loop), with its services, a no-op logger and user tasks signalled from the \`wait\` event.`,
        `Before timing, both engines ran five cases that take every branch and had to take the same logical path with the same outcome:\n\n${paths.map((p) => `- ${p}`).join('\n')}`,
        `${settings.rounds} alternating rounds of ${settings.timeMs / 1000} s per side after ${settings.warmupMs / 1000} s warm-up; median ratio ${fmtRatio(c.ratio, this.unit)}.`,
        ...notes,
      ],
    };
  },
};
