import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../../dev/azurite.js';
import { QueueWorker } from '../../../../shared/host/local/queueWorker.js';
import { waitFor } from '../../../support/waitFor.js';

let azurite: RunningAzurite;
beforeAll(async () => (azurite = await startAzurite()));
afterAll(async () => azurite?.stop());

const send = (queue: string, body: unknown) =>
  QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(queue).sendMessage(Buffer.from(JSON.stringify(body)).toString('base64'));

describe('QueueWorker (the local host\'s queue trigger)', () => {
  it('hands the decoded JSON to the function with the dequeue count, and deletes the message when it succeeds', async () => {
    const seen: Array<{ message: unknown; dequeueCount: unknown }> = [];
    const worker = new QueueWorker(
      { kind: 'storageQueue', name: 'ok', options: { queueName: 'work-ok', connection: 'X', handler: async (message, context) => void seen.push({ message, dequeueCount: context.triggerMetadata?.['dequeueCount'] }) } },
      QueueServiceClient.fromConnectionString(azurite.connectionString), () => undefined, { maxPollingIntervalMs: 100 },
    );
    await worker.start();
    await send('work-ok', { hello: 'world' });
    await waitFor('the message handled', async () => seen.length > 0);
    await worker.stop();
    expect(seen).toEqual([{ message: { hello: 'world' }, dequeueCount: 1 }]);
    const left = await QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('work-ok').getProperties();
    expect(left.approximateMessagesCount).toBe(0);
  });

  it('retries a failing message and moves it to <queue>-poison after its 5th delivery', async () => {
    const deliveries: unknown[] = [];
    const worker = new QueueWorker(
      { kind: 'storageQueue', name: 'failing', options: { queueName: 'work-fail', connection: 'X', handler: async (_message, context) => {
        deliveries.push(context.triggerMetadata?.['dequeueCount']);
        throw new Error('always fails');
      } } },
      QueueServiceClient.fromConnectionString(azurite.connectionString), () => undefined, { maxPollingIntervalMs: 100, retryDelaySeconds: 0 },
    );
    await worker.start();
    await send('work-fail', { n: 1 });
    const poison = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('work-fail-poison');
    const poisoned = await waitFor('the poison message', async () => (await poison.receiveMessages()).receivedMessageItems[0], 20_000);
    await worker.stop();
    expect(deliveries).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.parse(Buffer.from(poisoned.messageText, 'base64').toString())).toEqual({ n: 1 });
  });
});
