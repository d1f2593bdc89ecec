import type { ScanQueues } from '../../shared/queue/scanQueues.js';
import { decodeQueueMessage } from '../../shared/queue/scanQueues.js';

/** Every message of a queue, visible or not yet visible (delayed) ones included, decoded; the queue is emptied. */
export async function drain(queues: ScanQueues, name: string): Promise<unknown[]> {
  const client = queues.client(name);
  const messages: unknown[] = [];
  for (;;) {
    const { receivedMessageItems } = await client.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
    if (receivedMessageItems.length === 0) return messages;
    for (const item of receivedMessageItems) {
      messages.push(decodeQueueMessage(item.messageText));
      await client.deleteMessage(item.messageId, item.popReceipt);
    }
  }
}

/** How many messages a queue holds, delayed ones included (approximate count from the service). */
export async function queueLength(queues: ScanQueues, name: string): Promise<number> {
  return (await queues.client(name).getProperties()).approximateMessagesCount ?? 0;
}
