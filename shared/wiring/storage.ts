import type { TokenCredential } from '@azure/core-auth';
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import type { StorageSetting } from '../config.js';

/** The SDK clients of the storage account COMPLIANCE_STORAGE names: the one place tables and queues are opened. */
export interface StorageClients {
  table(name: string): TableClient;
  queueService(): QueueServiceClient;
  /** Where the tables are, for messages: an endpoint, never a key. */
  readonly where: string;
}

const TABLE_RETRY: TableServiceClientOptions['retryOptions'] = { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000 };

/** `credential` is asked for only when the setting is an account URL (the managed identity; never the static ARM token). */
export function storageClients(setting: StorageSetting, credential: () => TokenCredential): StorageClients {
  const where = setting.tableEndpoint;
  if (setting.kind === 'accountUrl') {
    let identity: TokenCredential | undefined;
    const id = () => (identity ??= credential());
    return {
      where,
      table: (name) => new TableClient(setting.tableEndpoint, name, id(), { retryOptions: TABLE_RETRY }),
      queueService: () => new QueueServiceClient(setting.queueEndpoint, id()),
    };
  }
  const allowInsecureConnection = setting.tableEndpoint.startsWith('http://');
  return {
    where,
    table: (name) => TableClient.fromConnectionString(setting.connectionString, name, { allowInsecureConnection, retryOptions: TABLE_RETRY }),
    queueService: () => QueueServiceClient.fromConnectionString(setting.connectionString),
  };
}
