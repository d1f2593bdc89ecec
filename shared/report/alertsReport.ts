import type { AlertListing } from '../alerts/alertListing.js';
import { csvDocument } from './csv.js';
import type { OutputFormat, TableLayout } from './formatReport.js';
import { textTable, type TextColumn } from './textTable.js';

/** `akscert alerts` in each output format: the alerts, or the parked notifications. */
export function formatAlerts(listing: AlertListing, format: OutputFormat, layout: TableLayout = {}): string {
  if (format === 'json') return `${JSON.stringify({ items: listing.items }, null, 2)}\n`;
  const { columns, rows } = listing.kind === 'alerts'
    ? {
        columns: [
          { header: 'state' }, { header: 'level' }, { header: 'cluster' }, { header: 'resourceGroup', keep: 3 }, { header: 'subscriptionId', keep: 1 },
          { header: 'openedAt', keep: 4 }, { header: 'lastNotifiedAt', keep: 2 }, { header: 'resolvedAt', keep: 5 }, { header: 'episode', keep: 0 },
        ] satisfies TextColumn[],
        rows: listing.items.map((i) => [i.state, i.level ?? '', i.name, i.resourceGroup, i.subscriptionId, i.openedAt ?? '', i.lastNotifiedAt ?? '', i.resolvedAt ?? '', String(i.episode)]),
      }
    : {
        columns: [
          { header: 'notificationId', keep: 1 }, { header: 'channel' }, { header: 'event' }, { header: 'level', keep: 3 }, { header: 'cluster' },
          { header: 'attempts', keep: 2 }, { header: 'lastError', keep: 4 }, { header: 'createdAt', keep: 0 },
        ] satisfies TextColumn[],
        rows: listing.items.map((i) => [i.notificationId, i.channel, i.event ?? '', i.level, i.name ?? '', String(i.attempts), i.lastError ?? '', i.createdAt]),
      };
  if (format === 'csv') return csvDocument(columns.map((c) => c.header), rows);
  if (rows.length === 0) return listing.kind === 'alerts' ? 'no alerts\n' : 'no parked notifications\n';
  return `${textTable(columns, rows, layout.width).join('\n')}\n`;
}
