import { describe, expect, it } from 'vitest';
import { textTable } from '../../../shared/report/textTable.js';

const columns = [{ header: 'NAME' }, { header: 'GROUP', keep: 1 }, { header: 'NOTE' }];
const rows = [['aks-a', 'rg-production', 'a long note about the cluster']];

describe('textTable', () => {
  it('pads every column to its widest cell, two spaces apart, the last unpadded', () => {
    expect(textTable(columns, rows)).toEqual(['NAME   GROUP          NOTE', 'aks-a  rg-production  a long note about the cluster']);
  });

  it('leaves out the columns it may drop, least kept first, until the table fits', () => {
    expect(textTable(columns, rows, 40)).toEqual(['NAME   NOTE', 'aks-a  a long note about the cluster']);
  });

  it('cuts the lines that still do not fit with an ellipsis', () => {
    const lines = textTable(columns, rows, 20);
    expect(lines[1]).toBe('aks-a  a long note…');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
  });
});
