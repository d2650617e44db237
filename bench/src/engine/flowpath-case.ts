/**
 * One SME loan case driven to its end by the Flowpath engine, in memory, through the simulator:
 * the OCR connector is answered at once and every task that opens is completed with the data in
 * `TASK_DATA`, until the case ends.
 */
import { createSimulator, type FlowDefinition } from '@flowpath/engine';
// The fixture is the engine's own realistic flow; it is not part of the package's public index.
import { loanFlow } from '../../../engine/src/fixtures/loan-flow';
import { LARGE_LOAN, LISTS, OCR_RESULT, TASK_DATA } from './loan-data';

/** Monday 2026-03-02 09:30 in Shanghai: inside working hours, so SLA clocks start at once. */
const START_AT = '2026-03-02T01:30:00.000Z';

/** How a case ended and which nodes it entered, in order. */
export interface CaseTrace {
  outcome: string | undefined;
  tasksDone: number;
  path: string[];
}

export interface FlowpathCase {
  flow: FlowDefinition;
  /** Runs the measured large-loan case; true when it completed approved after exactly three tasks. */
  run: () => boolean;
  /** Runs a case with `data` and reports its path and outcome. */
  trace: (data: Record<string, unknown>) => CaseTrace;
}

/** Builds the runner. The definition is built once and shared by every case. */
export function flowpathCase(): FlowpathCase {
  const flow = loanFlow();
  const options = { services: { ocr: OCR_RESULT }, lists: LISTS };
  const drive = (data: Record<string, unknown>) => {
    const sim = createSimulator(flow, options);
    let tasksDone = 0;
    if (!sim.start({ ...data }, START_AT).ok) return { sim, tasksDone };
    // Complete open tasks one at a time, the first opened first, until none is left.
    for (let task = sim.tasks.values().next().value; task && sim.state?.status === 'waiting'; task = sim.tasks.values().next().value) {
      const input = TASK_DATA[task.nodeId];
      if (!input || !sim.completeTask(task.taskId, input).ok) break;
      tasksDone++;
    }
    return { sim, tasksDone };
  };
  return {
    flow,
    run: () => {
      const { sim, tasksDone } = drive(LARGE_LOAN);
      return tasksDone === 3 && sim.state?.status === 'completed' && sim.state.outcome === 'approved';
    },
    trace: (data) => {
      const { sim, tasksDone } = drive(data);
      return { outcome: sim.state?.status === 'waiting' ? undefined : sim.state?.outcome, tasksDone, path: sim.path };
    },
  };
}
