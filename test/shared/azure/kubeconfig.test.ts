import { describe, expect, it } from 'vitest';
import { generateKey, randomToken } from '../../../dev/certificates.js';
import { buildKubeconfig, kubeloginExec } from '../../../dev/kubeconfig.js';
import { readKubeconfigCertificates } from '../../../shared/azure/kubeconfig.js';
import { realCertificate, testCa } from '../../support/certificates.js';

const notBefore = new Date('2026-06-01T00:00:00Z');
const notAfter = new Date('2028-06-01T00:00:00Z');

async function kubeconfig(user: Partial<Parameters<typeof buildKubeconfig>[0]['user']> = {}) {
  const ca = await testCa();
  const client = await realCertificate(notBefore, notAfter, 'CN=clusterMonitoringUser');
  const key = await generateKey('ec');
  return buildKubeconfig({
    clusterName: 'aks-1', server: 'https://aks-1-abcd1234.hcp.westeurope.azmk8s.io:443', certificateAuthorityPem: ca.pem,
    user: { name: 'clusterMonitoringUser_rg_aks-1', clientCertificatePem: client.pem, clientKeyPem: key.privateKeyPem, token: randomToken(), ...user },
  });
}

describe('readKubeconfigCertificates', () => {
  it('reads the Cluster CA and the client certificate of the current context', async () => {
    const { text } = await kubeconfig();
    const result = readKubeconfigCertificates(text);
    expect(result.unavailable).toEqual([]);
    expect(result.certificates.map((c) => [c.source, c.subject])).toEqual([['cluster-ca', 'CN=ca'], ['client', 'CN=clusterMonitoringUser']]);
  });

  it('never carries the private key or the token into what it returns', async () => {
    const { text, secrets } = await kubeconfig();
    const returned = JSON.stringify(readKubeconfigCertificates(text));
    for (const secret of secrets) expect(returned).not.toContain(secret);
  });

  it('says the client certificate is missing for an exec (kubelogin) user, with the reason given', async () => {
    const { text } = await kubeconfig({ clientCertificatePem: undefined, clientKeyPem: undefined, token: undefined, exec: kubeloginExec('tenant') });
    expect(readKubeconfigCertificates(text, 'local_accounts_disabled')).toMatchObject({
      certificates: [{ source: 'cluster-ca' }],
      unavailable: [{ source: 'client', reason: 'local_accounts_disabled' }],
    });
    expect(readKubeconfigCertificates(text).unavailable).toMatchObject([{ source: 'client', reason: 'no_certificate' }]);
  });

  it('reports a kubeconfig that is not YAML, or not a kubeconfig, without quoting it', async () => {
    const { text, secrets } = await kubeconfig();
    const broken = text.replace('clusters:', 'clusters: [');
    const result = readKubeconfigCertificates(broken);
    expect(result).toMatchObject({ certificates: [], unavailable: [{ source: 'kubeconfig', reason: 'bad_kubeconfig' }] });
    for (const secret of secrets) expect(JSON.stringify(result)).not.toContain(secret);
    expect(readKubeconfigCertificates('credentialValue1').unavailable).toMatchObject([{ reason: 'bad_kubeconfig' }]);
  });

  it('marks certificate data that does not parse as bad_pem', async () => {
    const { text } = await kubeconfig();
    const corrupted = text.replace(/client-certificate-data: \S+/, `client-certificate-data: ${Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64')}`);
    expect(readKubeconfigCertificates(corrupted).unavailable).toMatchObject([{ source: 'client', reason: 'bad_pem' }]);
  });
});
