import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { poisonQueueOf, QUEUES, type PoisonedMessage, type QueueName, type ScanClusterMessage, type ScanSubscriptionMessage } from './messages.js';

/**
 * The scan queues in Storage (Azurite locally). Messages are base64 JSON, the Functions queue
 * trigger's default encoding (host.json `messageEncoding: base64`).
 */
export class ScanQueues {
  private constructor(private readonly service: QueueServiceClient) {}

  /** The queues (and their poison queues) of the account the client reaches, created when missing. */
  static async open(service: QueueServiceClient): Promise<ScanQueues> {
    const queues = new ScanQueues(service);
    await Promise.all(
      Object.values(QUEUES).flatMap((name) => [queues.client(name).createIfNotExists(), queues.client(poisonQueueOf(name)).createIfNotExists()]),
    );
    return queues;
  }

  client(name: string): QueueClient {
    return this.service.getQueueClient(name);
  }

  async sendScanSubscription(message: ScanSubscriptionMessage): Promise<void> {
    await this.send(QUEUES.scanSubscription, message);
  }

  /** `delaySeconds` keeps the message invisible until then (the trailing scan of a debounce window). */
  async sendScanCluster(message: ScanClusterMessage, delaySeconds = 0): Promise<void> {
    await this.send(QUEUES.scanCluster, message, delaySeconds);
  }

  async sendToPoison(poisoned: PoisonedMessage): Promise<void> {
    await this.send(poisonQueueOf(poisoned.queue), poisoned);
  }

  private async send(queue: QueueName | string, message: unknown, delaySeconds = 0): Promise<void> {
    const body = Buffer.from(JSON.stringify(message)).toString('base64');
    await this.client(queue).sendMessage(body, delaySeconds > 0 ? { visibilityTimeout: Math.ceil(delaySeconds) } : {});
  }
}

/** Decodes a queue message body as the Functions runtime does: base64, then JSON when it parses. */
export function decodeQueueMessage(text: string): unknown {
  const decoded = /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? Buffer.from(text, 'base64').toString('utf8') : text;
  try {
    return JSON.parse(decoded);
  } catch {
    return decoded;
  }
}
