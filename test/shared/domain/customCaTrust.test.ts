import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentPoolFacts, ClusterFacts } from '../../../shared/domain/cluster.js';
import { judgeCustomCaTrust } from '../../../shared/domain/customCaTrust.js';
import { realCertificate } from '../../support/certificates.js';

const cluster: ClusterFacts = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
  subscriptionId: 's', resourceGroup: 'rg', name: 'c', location: 'westeurope', tags: {},
  agentPools: [{ name: 'system', osType: 'Linux' }], customCaTrustCertificates: [],
};
const judge = (customCaTrustCertificates: Uint8Array[], agentPools: AgentPoolFacts[] = cluster.agentPools) =>
  judgeCustomCaTrust({ ...cluster, customCaTrustCertificates, agentPools });
const windowsFinding = (pools: string) => ({
  code: 'CUSTOM_CA_WINDOWS_POOL', severity: 'warning',
  message: `Custom CA trust is not supported on Windows node pools (${pools}): their nodes will not trust the custom CAs.`,
});

let proxyCa: Buffer;
let rootCa: Buffer;
beforeAll(async () => {
  const validity = [new Date('2025-01-01T00:00:00Z'), new Date('2035-01-01T00:00:00Z')] as const;
  proxyCa = Buffer.from((await realCertificate(...validity, 'CN=Contoso Proxy CA')).pem);
  rootCa = Buffer.from((await realCertificate(...validity, 'CN=Contoso Root CA')).pem);
});

describe('judgeCustomCaTrust (AKS custom CA, docs/rules.md 000)', () => {
  it('reads every certificate of every entry, a bundle entry included', () => {
    const judgement = judge([proxyCa, Buffer.concat([rootCa, Buffer.from('\n'), proxyCa])]);
    expect(judgement.findings).toEqual([]);
    expect(judgement.certificates.map((c) => [c.source, c.subject])).toEqual([
      ['custom-ca', 'CN=Contoso Proxy CA'], ['custom-ca', 'CN=Contoso Root CA'], ['custom-ca', 'CN=Contoso Proxy CA'],
    ]);
  });

  it('reports each invalid entry as a violation, saying which and why, and keeps the valid ones', () => {
    const crlf = Buffer.from(proxyCa.toString().replace(/\n/g, '\r\n'));
    const judgement = judge([rootCa, crlf, Buffer.from('not a certificate')]);
    expect(judgement.findings).toEqual([
      { code: 'CUSTOM_CA_INVALID', severity: 'violation', message: 'Custom CA trust certificate 2 of 3 is invalid: the PEM has CRLF line breaks, which AKS does not accept.' },
      { code: 'CUSTOM_CA_INVALID', severity: 'violation', message: 'Custom CA trust certificate 3 of 3 is invalid: the 17 bytes are neither a PEM nor a DER certificate.' },
    ]);
    expect(judgement.certificates.map((c) => c.subject)).toEqual(['CN=Contoso Root CA']);
  });

  it('accepts ten entries and refuses eleven as a violation', () => {
    expect(judge(Array(10).fill(proxyCa)).findings).toEqual([]);
    expect(judge(Array(11).fill(proxyCa)).findings).toEqual([
      { code: 'CUSTOM_CA_LIMIT_EXCEEDED', severity: 'violation', message: '11 custom CA trust certificates are set; AKS accepts at most 10.' },
    ]);
  });

  it('warns about every Windows pool, whatever the case of its osType, when custom CAs are set', () => {
    const pools = [{ name: 'system', osType: 'Linux' }, { name: 'win1', osType: 'Windows' }, { name: 'win2', osType: 'WINDOWS' }];
    expect(judge([proxyCa], pools).findings).toEqual([windowsFinding('win1, win2')]);
  });

  it('warns about a Windows pool that enables custom CA trust even when no certificate is set, and only that pool', () => {
    const pools = [{ name: 'win1', osType: 'Windows', enableCustomCATrust: true }, { name: 'win2', osType: 'Windows' }, { name: 'lin', osType: 'Linux', enableCustomCATrust: true }];
    expect(judge([], pools).findings).toEqual([windowsFinding('win1')]);
  });

  it('says nothing about Windows pools when no custom CA is set or enabled, nor about a pool of unknown OS', () => {
    expect(judge([], [{ name: 'win', osType: 'Windows' }, { name: 'win0', osType: 'Windows', enableCustomCATrust: false }]).findings).toEqual([]);
    expect(judge([proxyCa], [{ name: 'pool' }, { name: 'flagged', enableCustomCATrust: true }]).findings).toEqual([]);
  });
});
