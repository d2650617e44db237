/** Queues: who works a queue, so a task can be given to a colleague by choice rather than by a typed name. */
import { looksAfterQueue } from '../http/auth';
import { forbidden } from '../http/problem';
import { route, type RouteSpec } from '../http/route';
import { ref } from '../http/schemas';
import type { Deps } from './common';

export function queueRoutes({ keys }: Deps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/queues/{queue}/operators',
      operationId: 'listQueueOperators',
      summary: 'The operators who work a queue (the colleagues a task of it may be given to), from the configured keys',
      description:
        'For those who work or supervise the queue, and admin. Names and roles only — never a key. ' +
        'An operator whose key names `*` works every queue and is listed for each. POST /api/tasks/{id}/reassign accepts exactly these names as `assignee`.',
      tag: 'tasks',
      roles: ['operator', 'supervisor'],
      params: { queue: { schema: { type: 'string', minLength: 1, maxLength: 100 }, description: 'Queue name.' } },
      responses: { 200: { description: 'The queue\'s operators by name.', schema: ref('QueueOperators') } },
      errors: [],
      handler: async ({ params, principal }) => {
        const queue = params.queue as string;
        if (!looksAfterQueue(principal, queue)) throw forbidden('queue.forbidden', `The key ${principal.name} neither works nor supervises queue ${queue}.`);
        return { status: 200, body: { queue, items: keys.operatorsOf(queue).map((p) => ({ name: p.name, roles: [...p.roles].sort() })) } };
      },
    }),
  ];
}
