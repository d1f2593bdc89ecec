import type { TokenCredential } from '@azure/core-auth';
import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import { messageOf, StoreError } from '../domain/errors.js';
import { QueueServiceClient } from '@azure/storage-queue';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import type { StorageSetting } from '../config.js';

/** The SDK clients of the storage account COMPLIANCE_STORAGE names: the one place tables and queues are opened. */
export interface StorageClients {
  table(name: string): TableClient;
  queueService(): QueueServiceClient;
  /**
   * A blob container: by name, in this account (its blob endpoint), or by its https:// URL, in any
   * account (then reached with the managed identity even when the tables are reached with a key).
   */
  blobContainer(nameOrUrl: string): ContainerClient;
  /** Where the tables are, for messages: an endpoint, never a key. */
  readonly where: string;
  /** Fails at once, saying what to do, when nothing answers there (one request, no retries). */
  checkReachable(): Promise<void>;
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
      checkReachable: () => checkReachable(new TableServiceClient(setting.tableEndpoint, id(), { retryOptions: { maxRetries: 0 } }), where),
      table: (name) => new TableClient(setting.tableEndpoint, name, id(), { retryOptions: TABLE_RETRY }),
      queueService: () => new QueueServiceClient(setting.queueEndpoint, id()),
      blobContainer: (nameOrUrl) =>
        isUrl(nameOrUrl) ? new ContainerClient(nameOrUrl, id()) : new BlobServiceClient(setting.tableEndpoint.replace('.table.', '.blob.'), id()).getContainerClient(nameOrUrl),
    };
  }
  const allowInsecureConnection = setting.tableEndpoint.startsWith('http://');
  return {
    where,
    checkReachable: () =>
      checkReachable(TableServiceClient.fromConnectionString(setting.connectionString, { allowInsecureConnection, retryOptions: { maxRetries: 0 } }), where),
    table: (name) => TableClient.fromConnectionString(setting.connectionString, name, { allowInsecureConnection, retryOptions: TABLE_RETRY }),
    queueService: () => QueueServiceClient.fromConnectionString(setting.connectionString),
    blobContainer: (nameOrUrl) =>
      isUrl(nameOrUrl) ? new ContainerClient(nameOrUrl, credential()) : BlobServiceClient.fromConnectionString(setting.connectionString).getContainerClient(nameOrUrl),
  };
}

const isUrl = (value: string) => /^https:\/\//i.test(value);

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

async function checkReachable(service: TableServiceClient, where: string): Promise<void> {
  try {
    await service.listTables().byPage({ maxPageSize: 1 }).next();
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (UNREACHABLE.has(code)) {
      throw new StoreError(
        `nothing answers at ${where}, where COMPLIANCE_STORAGE points (${code}). Start Azurite there (\`npm start\`, or \`npx azurite --silent --location .dev/azurite\`), or set COMPLIANCE_STORAGE to your storage account`,
        { cause: error },
      );
    }
    throw new StoreError(`the storage account at ${where} (COMPLIANCE_STORAGE) refused the request: ${messageOf(error)}`, { cause: error });
  }
}
