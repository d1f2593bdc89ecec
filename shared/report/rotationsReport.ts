import { kubeconfigRefreshCommand } from '../domain/rotationGuards.js';
import type { RotationRecord } from '../rotation/rotationRecord.js';
import { csvDocument } from './csv.js';
import type { OutputFormat, TableLayout } from './formatReport.js';
import { plural } from './plural.js';
import { textTable } from './textTable.js';

/** A rotation as `akscert rotations` and `GET /api/rotations` show it: the record without the poller's saved state (operation URLs, no use to a reader). */
export type RotationView = Omit<RotationRecord, 'resumeFrom' | 'etag' | 'trailed'> & { refreshCommand: string };

export function rotationView(record: RotationRecord): RotationView {
  const { resumeFrom: _resumeFrom, etag: _etag, trailed: _trailed, ...view } = record;
  return { ...view, refreshCommand: kubeconfigRefreshCommand(record) };
}

const CSV_COLUMNS = ['clusterId', 'name', 'state', 'attempt', 'trigger', 'reasons', 'actor', 'requestedAt', 'startedAt', 'finishedAt', 'operationId', 'errorCode', 'verified'] as const;

export function formatRotations(records: readonly RotationRecord[], format: OutputFormat, layout: TableLayout = {}): string {
  const views = records.map(rotationView);
  if (format === 'json') return `${JSON.stringify({ rotations: views }, null, 2)}\n`;
  const cell = (view: RotationView, column: (typeof CSV_COLUMNS)[number]) => {
    const value = view[column];
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.join(' ');
    return value === undefined ? '' : String(value);
  };
  if (format === 'csv') return csvDocument([...CSV_COLUMNS], views.map((v) => CSV_COLUMNS.map((c) => cell(v, c))));
  if (views.length === 0) return 'No rotations recorded.\n';
  const columns = [{ header: 'CLUSTER' }, { header: 'STATE' }, { header: 'ATTEMPT', keep: 2 }, { header: 'REQUESTED' }, { header: 'FINISHED', keep: 1 }, { header: 'BY', keep: 3 }, { header: 'REASON', keep: 4 }];
  const rows = views.map((v) => [v.name, v.state.toUpperCase(), String(v.attempt), cell(v, 'requestedAt'), cell(v, 'finishedAt') || '-', v.actor, v.errorCode ?? (v.reasons.join(' ') || '-')]);
  return [`${plural(views.length, 'rotation')}`, '', ...textTable(columns, rows, layout.width)].join('\n') + '\n';
}
