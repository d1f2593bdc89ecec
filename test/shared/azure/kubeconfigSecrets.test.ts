import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey, randomToken } from '../../../dev/certificates.js';
import { buildKubeconfig, kubeloginExec } from '../../../dev/kubeconfig.js';
import { readKubeconfigCertificates, withoutSecretEntries } from '../../../shared/azure/kubeconfig.js';
import { realCertificate, testCa } from '../../support/certificates.js';

const SECRET_KEYS = new Set(['client-key-data', 'token', 'password', 'exec', 'auth-provider']);
/**
 * What a parsed kubeconfig says apart from its secret entries; a mapping left empty reads as no
 * mapping (the schema takes either: a user with a token alone has no client certificate either way).
 */
function publicParts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publicParts);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([key]) => !SECRET_KEYS.has(key));
  return entries.length === 0 ? null : Object.fromEntries(entries.map(([key, v]) => [key, publicParts(v)]));
}

let head: string;
let certificateData: string;
let keyData: string;
let token: string;
const certificatesOf = (text: string) => readKubeconfigCertificates(text).certificates.map((c) => [c.source, c.subject]);

beforeAll(async () => {
  const ca = await testCa();
  const client = await realCertificate(new Date('2026-06-01T00:00:00Z'), new Date('2028-06-01T00:00:00Z'), 'CN=clusterUser');
  const key = await generateKey('ec');
  token = randomToken();
  const { text } = buildKubeconfig({
    clusterName: 'aks-1', server: 'https://aks-1-abcd1234.hcp.westeurope.azmk8s.io:443', certificateAuthorityPem: ca.pem,
    user: { name: 'clusterUser_rg_aks-1', clientCertificatePem: client.pem, clientKeyPem: key.privateKeyPem, token },
  });
  head = text.slice(0, text.indexOf('users:'));
  certificateData = /client-certificate-data: (\S+)/.exec(text)![1]!;
  keyData = /client-key-data: (\S+)/.exec(text)![1]!;
});

/** The kubeconfig with this `users` section (its lines as written). */
const withUsers = (...lines: string[]) => `${head}users:\n${lines.join('\n')}\n`;

describe('withoutSecretEntries', () => {
  const cases: Array<[string, () => string]> = [
    ['plain values', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', `      client-certificate-data: ${certificateData}`, `      client-key-data: ${keyData}`, `      token: ${token}`)],
    ['the key written as a block scalar, over lines', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', '      client-key-data: |', ...keyData.match(/.{1,64}/g)!.map((part) => `        ${part}`), `      client-certificate-data: ${certificateData}`)],
    ['the key folded, after a blank line within it', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', '      client-key-data: >-', `        ${keyData.slice(0, 40)}`, '', `        ${keyData.slice(40)}`, `      client-certificate-data: ${certificateData}`)],
    ['quoted values', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', `      client-key-data: "${keyData}"`, `      token: '${token}'`, `      client-certificate-data: "${certificateData}"`)],
    ['comments beside and among the entries', () => withUsers('  - name: clusterUser_rg_aks-1 # the cluster user', '    user:', `      token: ${token} # rotated monthly`, '# a comment at the margin', `      client-certificate-data: ${certificateData}`, '      # the key follows', `      client-key-data: ${keyData}`)],
    ['a token as the only entry of the user', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', `      token: ${token}`)],
    ['a token as the first entry of a user, after the dash (left to the parser)', () => withUsers(`  - token: ${token}`, '    name: clusterUser_rg_aks-1')],
    ['a user in flow style (left to the parser)', () => withUsers(`  - {name: clusterUser_rg_aks-1, user: {client-certificate-data: ${certificateData}, token: ${token}}}`)],
    ['an exec block with its argument list at the key\'s indentation and a block scalar', () => withUsers(
      '  - name: clusterUser_rg_aks-1', '    user:', '      exec:', '        apiVersion: client.authentication.k8s.io/v1beta1', '        args:', '        - get-token', `        - --token=${token}`,
      '        command: kubelogin', '        installHint: |', '          kubelogin is not installed', '', '          see https://aka.ms/aks/kubelogin', '        env: null', `      client-certificate-data: ${certificateData}`)],
    ['an auth-provider block', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', '      auth-provider:', '        name: azure', '        config:', `          access-token: ${token}`, '          apiserver-id: 6dae42f8', `      client-certificate-data: ${certificateData}`)],
    ['a password and a token as block sequences at the key\'s indentation', () => withUsers('- name: clusterUser_rg_aks-1', '  user:', '    password:', `    - ${token}`, '    token:', '    - a', '    - b', `    client-certificate-data: ${certificateData}`)],
    ['Windows line ends', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', `      client-key-data: ${keyData}`, '      exec:', '        command: kubelogin', `      client-certificate-data: ${certificateData}`, `      token: ${token}`).replace(/\n/g, '\r\n')],
    ['a secret entry last, the text without a final line break', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', `      client-certificate-data: ${certificateData}`, '      exec:', '        command: kubelogin').trimEnd()],
    ['no secrets at all', () => withUsers('  - name: clusterUser_rg_aks-1', '    user:', `      client-certificate-data: ${certificateData}`)],
  ];

  it.each(cases)('leaves what the parser reads unchanged but for the secret entries: %s', (_, build) => {
    const text = build();
    expect(publicParts(parse(withoutSecretEntries(text)))).toEqual(publicParts(parse(text)));
  });

  it.each(cases.filter(([name]) => !name.includes('left to the parser')))('leaves no secret in the text it parses: %s', (_, build) => {
    const stripped = withoutSecretEntries(build());
    for (const secret of [token, keyData, keyData.slice(0, 40), keyData.slice(40)]) expect(stripped).not.toContain(secret);
    expect(stripped).not.toMatch(/kubelogin|access-token/);
  });

  it.each(cases)('reads the same certificates as from the whole text, and never returns a secret: %s', (_, build) => {
    const text = build();
    const result = readKubeconfigCertificates(text);
    const expected = [['cluster-ca', 'CN=ca'], ...(text.includes(certificateData) ? [['client', 'CN=clusterUser']] : [])];
    expect(certificatesOf(text)).toEqual(expected);
    for (const secret of [token, keyData]) expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('returns a text without a secret key unchanged', () => {
    const text = withUsers('  - name: clusterUser_rg_aks-1', '    user:', `      client-certificate-data: ${certificateData}`);
    expect(withoutSecretEntries(text)).toBe(text);
  });

  it('keeps keys that only begin like a secret key, and a secret key\'s name as a value', () => {
    const text = withUsers('  - name: token', '    user:', '      token-file: /var/run/token', '      tokens: 2', '      username: password', `      client-certificate-data: ${certificateData}`);
    expect(withoutSecretEntries(text)).toBe(text);
  });

  it('reads a kubeconfig that kubelogin wrote for an AAD cluster as before, without its exec block', async () => {
    const { text } = buildKubeconfig({ clusterName: 'aks-1', server: 'https://aks-1.hcp.westeurope.azmk8s.io:443', certificateAuthorityPem: (await testCa()).pem, user: { name: 'clusterUser_rg_aks-1', exec: kubeloginExec('tenant') } });
    expect(publicParts(parse(withoutSecretEntries(text)))).toEqual(publicParts(parse(text)));
    expect(withoutSecretEntries(text)).not.toContain('kubelogin');
  });
});
