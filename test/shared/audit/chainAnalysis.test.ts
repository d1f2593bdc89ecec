import { describe, expect, it } from 'vitest';
import { chainFindings, type ChainLink } from '../../../shared/audit/chainAnalysis.js';

const cluster = { partitionKey: 'sub', clusterId: '/subscriptions/sub/.../managedClusters/a' };

/** A chain a, b, c, ... where each row chains to the one before it. */
function chain(...names: string[]): ChainLink[] {
  return names.map((name, i) => ({ rowKey: `k|${i}|${name}`, kind: 'verdict', hash: `h-${name}`, previousHash: i === 0 ? '' : `h-${names[i - 1]}`, intact: true }));
}
const anchorAt = (link: ChainLink) => ({ hash: link.hash, rowKey: link.rowKey });
const named = (links: ChainLink[], anchor?: { hash: string; rowKey: string }) =>
  chainFindings(cluster, links, anchor).map((f) => `${f.problem} ${f.rowKey}`);

describe('chainFindings', () => {
  it('finds nothing wrong with an intact chain that ends at the anchor', () => {
    const links = chain('a', 'b', 'c');
    expect(named(links, anchorAt(links[2]!))).toEqual([]);
  });

  it('accepts a deleted cluster whose chain ends with its deletion, and a new chain after it', () => {
    const [a, b] = chain('a', 'b');
    const deletion: ChainLink = { rowKey: 'k|2|d', kind: 'deleted', hash: 'h-d', previousHash: 'h-b', intact: true };
    expect(named([a!, b!, deletion])).toEqual([]);
    const recreated: ChainLink = { rowKey: 'k|3|e', kind: 'verdict', hash: 'h-e', previousHash: '', intact: true };
    expect(named([a!, b!, deletion, recreated], anchorAt(recreated))).toEqual([]);
  });

  it('names a row whose hash was replaced along with its content as altered, not as a gap', () => {
    const [a, b, c] = chain('a', 'b', 'c');
    const rewritten = { ...b!, hash: 'h-forged', intact: false, damage: 'its content does not match its hash' };
    expect(named([a!, rewritten, c!], anchorAt(c!))).toEqual([`altered ${b!.rowKey}`]);
  });

  it('calls a row that copies another row under other keys inserted', () => {
    const [a, b, c] = chain('a', 'b', 'c');
    const copy = { ...a!, rowKey: 'k|1x|copy', intact: false, damage: 'its keys are not the ones its content is stored under' };
    expect(named([a!, copy, b!, c!], anchorAt(c!))).toEqual(['inserted k|1x|copy']);
  });

  it('names the restart of a chain without the deletion record that should precede it', () => {
    const [a, b] = chain('a', 'b');
    const restarted: ChainLink = { rowKey: 'k|3|e', kind: 'verdict', hash: 'h-e', previousHash: '', intact: true };
    expect(named([a!, b!, restarted], anchorAt(restarted))).toEqual(['removed k|3|e']);
  });

  it('names the row the anchor points to when every history row of the cluster is gone', () => {
    expect(named([], { hash: 'h-z', rowKey: 'k|9|z' })).toEqual(['removed k|9|z']);
  });

  it('names several removed rows in a row as one gap', () => {
    const [a, , , d] = chain('a', 'b', 'c', 'd');
    const findings = chainFindings(cluster, [a!, d!], anchorAt(d!));
    expect(findings).toEqual([expect.objectContaining({ problem: 'removed', rowKey: d!.rowKey, missingHash: 'h-c' })]);
  });

  it('names rows appended after the anchor as inserted (forged, or written by a scan still running)', () => {
    const links = chain('a', 'b', 'c');
    expect(named(links, anchorAt(links[1]!))).toEqual([`inserted ${links[2]!.rowKey}`]);
  });

  it('sets aside the rows of unfinished writes (an intent names them, nothing chains to them) as incomplete', () => {
    const links = chain('a', 'b', 'c');
    const pending = { ...links[2]!, unfinished: 'scan-c' };
    const findings = chainFindings(cluster, [links[0]!, links[1]!, pending], anchorAt(links[1]!));
    expect(findings).toEqual([expect.objectContaining({ problem: 'incomplete', rowKey: links[2]!.rowKey, scanId: 'scan-c', table: 'ComplianceHistory' })]);
  });

  it('sets aside the first record of a cluster that never got a latest state, and two unfinished writes in a row', () => {
    const [a, b] = chain('a', 'b');
    expect(named([{ ...a!, unfinished: 'scan-a' }])).toEqual([`incomplete ${a!.rowKey}`]);
    expect(named([{ ...a!, unfinished: 'scan-a' }, { ...b!, unfinished: 'scan-b' }])).toEqual([`incomplete ${a!.rowKey}`, `incomplete ${b!.rowKey}`]);
  });

  it('sets aside an unfinished row that forks from the chain (another scan recorded the cluster meanwhile)', () => {
    const [a, b] = chain('a', 'b');
    const fork: ChainLink = { rowKey: 'k|1x|fork', kind: 'verdict', hash: 'h-fork', previousHash: 'h-a', intact: true, unfinished: 'scan-x' };
    expect(named([a!, fork, b!], anchorAt(b!))).toEqual(['incomplete k|1x|fork']);
  });

  it('treats a row an intent names like any other once it is chained, or when it is not intact', () => {
    const links = chain('a', 'b', 'c');
    expect(named([links[0]!, { ...links[1]!, unfinished: 'scan-b' }, links[2]!], anchorAt(links[2]!))).toEqual([]);
    const damaged = { ...links[2]!, unfinished: 'scan-c', intact: false, damage: 'its content does not match its hash' };
    expect(named([links[0]!, links[1]!, damaged], anchorAt(links[1]!))).toEqual([`inserted ${links[2]!.rowKey}`]);
  });
});
