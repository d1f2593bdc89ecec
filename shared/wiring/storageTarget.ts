import type { TokenCredential } from '@azure/core-auth';
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';

/** Where the audit trail lives: a connection string (Azurite, keys) or an account URL reached with a credential. */
export type StorageTarget =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'accountUrl'; tableUrl: string; queueUrl: string; credential: TokenCredential };

const ACCOUNT_URL = /^https:\/\/([a-z0-9]{3,24})\.(?:table|queue|blob)\.([^/]+)\/?$/i;

export class StorageSettingError extends Error {
  override name = 'StorageSettingError';
}

/** Reads COMPLIANCE_STORAGE: `UseDevelopmentStorage=true`, an account connection string, or `https://<account>.table.<suffix>`. */
export function storageTarget(setting: string, credential: () => TokenCredential): StorageTarget {
  const value = setting.trim();
  const url = ACCOUNT_URL.exec(value);
  if (url) {
    const [, account, suffix] = url;
    return { kind: 'accountUrl', tableUrl: `https://${account}.table.${suffix}`, queueUrl: `https://${account}.queue.${suffix}`, credential: credential() };
  }
  if (/UseDevelopmentStorage=true|AccountName=|TableEndpoint=/i.test(value)) return { kind: 'connectionString', connectionString: value };
  throw new StorageSettingError(
    'COMPLIANCE_STORAGE must be a storage connection string or an account URL such as https://<account>.table.core.windows.net',
  );
}

const TABLE_RETRY: TableServiceClientOptions['retryOptions'] = { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000 };

export function tableClient(target: StorageTarget, tableName: string): TableClient {
  if (target.kind === 'accountUrl') return new TableClient(target.tableUrl, tableName, target.credential, { retryOptions: TABLE_RETRY });
  const allowInsecureConnection = /UseDevelopmentStorage=true|http:\/\//i.test(target.connectionString);
  return TableClient.fromConnectionString(target.connectionString, tableName, { allowInsecureConnection, retryOptions: TABLE_RETRY });
}
