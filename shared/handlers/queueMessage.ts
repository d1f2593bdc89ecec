import type { InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { MAX_DEQUEUE_COUNT, type PoisonedMessage, type QueueName } from '../queue/messages.js';

export interface PoisonQueue {
  sendToPoison(poisoned: PoisonedMessage): Promise<void>;
}

/**
 * A queue handler with the delivery rules of the README (Event flow): the message is validated against its schema
 * on receipt; an invalid message, or one failing for the last allowed time, goes to the poison queue
 * with the reason (the runtime's own poison move would lose it); other failures are thrown, so the
 * runtime makes the message visible again and retries it.
 */
export function withPoisonQueue<S extends z.ZodType>(
  queue: QueueName,
  schema: S,
  poison: () => Promise<PoisonQueue>,
  handle: (message: z.output<S>, context: InvocationContext) => Promise<void>,
) {
  return async (raw: unknown, context: InvocationContext): Promise<void> => {
    const dequeueCount = Number(context.triggerMetadata?.['dequeueCount'] ?? 1);
    const toPoison = async (reason: string) => {
      await (await poison()).sendToPoison({ queue, message: raw, reason, dequeueCount, failedAt: new Date().toISOString() });
      context.error(`${queue}: message moved to ${queue}-poison: ${reason}`);
    };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return toPoison(`invalid message: "${issue?.path.join('.') || '(message)'}" ${issue?.message}`);
    }
    try {
      await handle(parsed.data, context);
    } catch (error) {
      if (dequeueCount < MAX_DEQUEUE_COUNT) throw error;
      await toPoison(`failed ${dequeueCount} times, last: ${(error as Error).message}`);
    }
  };
}
