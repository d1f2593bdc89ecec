/**
 * Reading one cluster's hash chain for signs of tampering. Pure: the rows come in, findings go out.
 *
 * Each history row holds the hash of its own content and the hash of the cluster's previous row, and
 * the cluster's latest-state row holds the hash of its newest row (the anchor). Untouched, the rows in
 * time order form one chain from '' to the anchor. What breaks it, and how it shows:
 * - altered: a row's content (or any column) no longer matches its hash, while the next row (or the
 *   anchor) still chains to that hash;
 * - removed: a row chains to a hash that no row has (the row before it is gone), or the anchor names a
 *   row that is gone;
 * - inserted: nothing chains to a row, although the chain continues past it.
 * A cluster's presence may end with a deletion record; when it is created again its chain may restart
 * from '' after that record. Without an anchor (a deleted cluster), a chain must end with a deletion.
 *
 * Not tampering: incomplete, a row that the store itself appended and had not chained yet when its
 * write stopped (a 503, a killed invocation). An intent in TrailIntents names it (store/trailIntents.ts);
 * such rows are set aside before the chain is read, and the next scan completes or drops them.
 */

export type TamperProblem = 'altered' | 'removed' | 'inserted' | 'incomplete';

/** Where a finding's row is: the history, the checkpoints, or the checkpoint mirror. */
export type TrailTable = 'ComplianceHistory' | 'TrailCheckpoints' | 'CheckpointMirror';

export interface TamperFinding {
  problem: TamperProblem;
  table: TrailTable;
  /** The row named: the altered or inserted row; for a removal, the row after the gap (or the missing row itself, when known). */
  partitionKey: string;
  rowKey: string;
  /** The cluster; '' for a checkpoint's own rows. */
  clusterId: string;
  detail: string;
  /** For a removal: the hash of the row that is gone. */
  missingHash?: string;
  /** For an incomplete row: what wrote it (the scan id, or `event-<id>` for a deletion). */
  scanId?: string;
}

export interface ChainLink {
  rowKey: string;
  /** 'verdict', 'deleted', or '' when the row cannot be read. */
  kind: string;
  hash: string;
  previousHash: string;
  intact: boolean;
  /** Why the row is not intact. */
  damage?: string;
  /** Set when an intent of the store names this row: what wrote it (its write may be unfinished). */
  unfinished?: string;
}

/** From the cluster's latest-state row: the hash of its newest history row, and that row's key. */
export interface ChainAnchor {
  hash: string;
  rowKey: string;
}

const short = (hash: string) => (hash ? hash.slice(0, 12) : "''");

export function chainFindings(cluster: { partitionKey: string; clusterId: string }, allLinks: readonly ChainLink[], anchor?: ChainAnchor): TamperFinding[] {
  const findings: TamperFinding[] = [];
  const report = (problem: TamperProblem, rowKey: string, detail: string, missingHash?: string, scanId?: string) =>
    findings.push({
      problem, table: 'ComplianceHistory', partitionKey: cluster.partitionKey, rowKey, clusterId: cluster.clusterId, detail,
      ...(missingHash ? { missingHash } : {}), ...(scanId ? { scanId } : {}),
    });

  const { chained, unfinished } = setAsideUnfinished(allLinks, anchor);
  for (const link of unfinished) {
    report('incomplete', link.rowKey, "the write that appended it stopped before it moved the cluster's latest state onto it: an unfinished write of the store, named by its intent in TrailIntents, not a forgery; the next scan of the subscription completes it", undefined, link.unfinished);
  }
  const links = chained;

  const last = links.at(-1);
  if (!last) {
    if (anchor) report('removed', anchor.rowKey, `the cluster's latest state names this row (hash ${short(anchor.hash)}), but the cluster has no history rows at all`, anchor.hash);
    return findings.sort(byRow);
  }

  const hashes = new Set(links.map((l) => l.hash));
  const intactHashes = new Set(links.filter((l) => l.intact).map((l) => l.hash));
  let end = anchor?.hash;
  if (end === undefined) {
    end = last.hash;
    if (last.kind !== 'deleted') {
      report('removed', last.rowKey, "nothing anchors this newest record: the cluster has no latest-state row, yet the record is a verdict, not a deletion; its deletion record or its ClusterState row was removed (or this row was inserted)");
    }
  }
  const referenced = new Set([...links.map((l) => l.previousHash).filter(Boolean), end]);
  const skipGapCheck = new Set<ChainLink>();

  links.forEach((link, i) => {
    const next = links[i + 1];
    if (referenced.has(link.hash)) {
      if (link.intact) return;
      if (intactHashes.has(link.hash)) {
        skipGapCheck.add(link);
        report('inserted', link.rowKey, `it copies another row (hash ${short(link.hash)}) under keys that do not match its content`);
      } else {
        report('altered', link.rowKey, `${link.damage ?? 'it was changed'}; the ${next ? 'next row' : "cluster's latest state"} still chains to its recorded hash ${short(link.hash)}`);
      }
      return;
    }
    // Nothing chains to this row: it was inserted, or it is the last row before a gap, or the end of a presence.
    const nextDangles = next !== undefined && next.previousHash !== '' && !hashes.has(next.previousHash);
    if (nextDangles) {
      if (!link.intact) {
        skipGapCheck.add(next);
        report('altered', link.rowKey, `${link.damage ?? 'it was changed'}, and its hash was replaced: the next row chains to ${short(next.previousHash)}, not to ${short(link.hash)}`);
      }
      return; // an intact row before a gap: the gap is reported at the next row
    }
    if (next?.previousHash === '' && link.intact) {
      if (link.kind === 'deleted') return; // the cluster was deleted, then created again with a new chain
      if (link.previousHash !== '') {
        report('removed', next.rowKey, 'the chain restarts here, but the record before it is a verdict, not the deletion that would end a chain: a deletion record was removed');
        return;
      }
    }
    if (!next && anchor && !hashes.has(anchor.hash)) {
      if (!link.intact) report('altered', link.rowKey, link.damage ?? 'it was changed');
      report('removed', anchor.rowKey, `the cluster's newest record (hash ${short(anchor.hash)}), which its latest state names, is missing`, anchor.hash);
      return;
    }
    skipGapCheck.add(link);
    report('inserted', link.rowKey, `no later record${anchor ? " nor the cluster's latest state" : ''} chains to it (hash ${short(link.hash)})${link.intact ? '' : `, and ${link.damage}`}`);
  });

  for (const link of links) {
    if (skipGapCheck.has(link) || !link.intact || link.previousHash === '' || hashes.has(link.previousHash)) continue;
    report('removed', link.rowKey, `the record before this one is missing: it chains to hash ${short(link.previousHash)}, which no row has`, link.previousHash);
  }
  return findings.sort(byRow);
}

const byRow = (a: TamperFinding, b: TamperFinding) => a.rowKey.localeCompare(b.rowKey) || a.problem.localeCompare(b.problem);

/**
 * The rows of unfinished writes: intact rows an intent names that nothing chains to (neither a later
 * row nor the anchor). Set aside repeatedly, so that two unfinished writes in a row both go.
 */
function setAsideUnfinished(links: readonly ChainLink[], anchor?: ChainAnchor): { chained: ChainLink[]; unfinished: ChainLink[] } {
  let chained = [...links];
  const unfinished: ChainLink[] = [];
  for (;;) {
    const referenced = new Set(chained.map((l) => l.previousHash));
    if (anchor) referenced.add(anchor.hash);
    const loose = chained.filter((l) => l.unfinished !== undefined && l.intact && !referenced.has(l.hash));
    if (loose.length === 0) return { chained, unfinished };
    unfinished.push(...loose);
    chained = chained.filter((l) => !loose.includes(l));
  }
}
