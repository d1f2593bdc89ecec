import type { ListTableEntitiesOptions } from '@azure/data-tables';
import { isMissingTable, type ReadOnlyTable } from './auditTables.js';
import { clientPageToken, sdkPageToken } from './pageToken.js';
import type { TableRow } from './tableRows.js';

export interface Page<T> {
  items: T[];
  /** Present when more results may follow: pass it back to get them. */
  continuationToken?: string;
}

export interface PageRequest {
  pageSize: number;
  /** A token from a previous page (validated: PageTokenError when it is not ours). */
  continuationToken?: string;
}

/**
 * Some filters cannot be expressed in OData against Table Storage (a finding code inside a list), so
 * rows are also filtered here. To avoid handing clients a run of empty pages, more service pages are
 * read until something matches, up to this many per request; a page may still be short or empty, and
 * only a missing continuation token means the end.
 */
const MAX_SERVICE_PAGES = 10;

/** One page of rows that match the OData filter (and `keep`, when given), mapped by `toItem`. */
export async function readPage<T>(
  table: ReadOnlyTable,
  queryOptions: ListTableEntitiesOptions['queryOptions'],
  page: PageRequest,
  toItem: (row: TableRow) => T | undefined,
): Promise<Page<T>> {
  let sdkToken = page.continuationToken === undefined ? undefined : sdkPageToken(page.continuationToken);
  const items: T[] = [];
  try {
    for (let read = 0; read < MAX_SERVICE_PAGES && items.length === 0; read++) {
      const pages = table.listEntities<Record<string, unknown>>({ queryOptions }).byPage({ maxPageSize: page.pageSize, continuationToken: sdkToken });
      const next = await pages.next();
      if (next.done) return { items };
      for (const row of next.value) {
        const item = toItem(row);
        if (item !== undefined) items.push(item);
      }
      sdkToken = next.value.continuationToken;
      if (!sdkToken) return { items };
    }
  } catch (error) {
    if (isMissingTable(error)) return { items: [] };
    throw error;
  }
  const continuationToken = clientPageToken(sdkToken);
  return continuationToken ? { items, continuationToken } : { items };
}
