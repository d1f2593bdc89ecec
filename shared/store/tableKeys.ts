import { clusterIdentity } from '../domain/clusterId.js';

/**
 * Table keys may not contain `/ \ # ?` or control characters (Table Storage's key rules), and ARM ids are
 * case-insensitive (`resourceGroups` and `resourcegroups` name the same cluster), so a key is the
 * lower-cased id, percent-encoded.
 */
export function clusterKey(clusterId: string): string {
  return encodeURIComponent(clusterIdentity(clusterId));
}

export function subscriptionKey(subscriptionId: string): string {
  return encodeURIComponent(subscriptionId.trim().toLowerCase());
}

/** Splits a long string over several properties: a string property holds at most 64 KiB (32K UTF-16 chars). */
const CHUNK_CHARS = 30_000;

export function chunkedProperty(name: string, value: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (let i = 0, part = 0; i < value.length || part === 0; i += CHUNK_CHARS, part++) {
    properties[part === 0 ? name : `${name}_${part}`] = value.slice(i, i + CHUNK_CHARS);
  }
  return properties;
}

export function readChunkedProperty(entity: Record<string, unknown>, name: string): string | undefined {
  if (typeof entity[name] !== 'string') return undefined;
  let value = entity[name] as string;
  for (let part = 1; typeof entity[`${name}_${part}`] === 'string'; part++) value += entity[`${name}_${part}`] as string;
  return value;
}
