import type { StorageQueueHandler } from '@azure/functions';
import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FunctionRegistration } from '../functionRegistry.js';
import { MAX_DEQUEUE_COUNT } from '../../queue/messages.js';
import { decodeQueueMessage } from '../../queue/scanQueues.js';
import { invocationContext, type HostLog } from './invocationContext.js';

type QueueRegistration = Extract<FunctionRegistration, { kind: 'storageQueue' }>;

export interface QueueWorkerOptions {
  /** Seconds a message stays invisible while a function works on it. */
  visibilityTimeoutSeconds?: number;
  /** Seconds before a failed message is tried again (host.json `visibilityTimeout`). */
  retryDelaySeconds?: number;
  batchSize?: number;
  maxPollingIntervalMs?: number;
}

/**
 * Polls one Storage queue for one function with the Functions queue trigger's semantics: messages
 * are taken invisible for a while, deleted when the function succeeds, made visible again when it
 * fails, and moved to `<queue>-poison` after the 5th failed delivery. Polling backs off while the
 * queue is empty and resumes at once when it is not.
 */
export class QueueWorker {
  private stopped = false;
  private loop?: Promise<void>;
  private readonly queue: QueueClient;
  private readonly poison: QueueClient;

  constructor(
    private readonly registration: QueueRegistration,
    service: QueueServiceClient,
    private readonly log: HostLog,
    private readonly options: QueueWorkerOptions = {},
  ) {
    this.queue = service.getQueueClient(registration.options.queueName);
    this.poison = service.getQueueClient(`${registration.options.queueName}-poison`);
  }

  async start(): Promise<void> {
    await Promise.all([this.queue.createIfNotExists(), this.poison.createIfNotExists()]);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    const maxInterval = this.options.maxPollingIntervalMs ?? 1_000;
    let interval = 50;
    while (!this.stopped) {
      let received;
      try {
        received = await this.queue.receiveMessages({
          numberOfMessages: this.options.batchSize ?? 16,
          visibilityTimeout: this.options.visibilityTimeoutSeconds ?? 60,
        });
      } catch (error) {
        this.log(`[${new Date().toISOString()}] ${this.registration.name} warning: polling ${this.registration.options.queueName} failed: ${(error as Error).message}`);
        await sleep(maxInterval);
        continue;
      }
      if (received.receivedMessageItems.length === 0) {
        await sleep(interval);
        interval = Math.min(interval * 2, maxInterval);
        continue;
      }
      interval = 50;
      await Promise.all(received.receivedMessageItems.map((message) => this.process(message)));
    }
  }

  private async process(message: { messageId: string; popReceipt: string; messageText: string; dequeueCount: number; insertedOn: Date; expiresOn: Date }) {
    const context = invocationContext(this.registration.name, this.log, {
      id: message.messageId, popReceipt: message.popReceipt, dequeueCount: message.dequeueCount,
      insertionTime: message.insertedOn.toISOString(), expirationTime: message.expiresOn.toISOString(),
    });
    try {
      await (this.registration.options.handler as StorageQueueHandler)(decodeQueueMessage(message.messageText), context);
      await this.queue.deleteMessage(message.messageId, message.popReceipt);
    } catch (error) {
      context.error(`delivery ${message.dequeueCount} failed: ${(error as Error).message}`);
      if (message.dequeueCount >= MAX_DEQUEUE_COUNT) {
        await this.poison.sendMessage(message.messageText);
        await this.queue.deleteMessage(message.messageId, message.popReceipt);
      } else {
        await this.queue.updateMessage(message.messageId, message.popReceipt, undefined, this.options.retryDelaySeconds ?? 1);
      }
    }
  }
}
