import { describe, expect, it } from 'vitest';
import { parseNodeProbeOutput, parseOpensslDate, runCommandStdout } from '../../../shared/domain/nodeProbeOutput.js';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i + 0xa0).toString(16).toUpperCase()).join(':');
const block = (source: string, overrides: Partial<Record<'subject' | 'issuer' | 'serial' | 'notBefore' | 'notAfter' | 'fingerprint', string>> = {}) => [
  `file=${source}`,
  overrides.subject ?? `subject=O = system:nodes, CN = system:node:aks-nodepool1-vmss000000`,
  overrides.issuer ?? 'issuer=CN = ca',
  overrides.serial ?? 'serial=0A1B2C',
  overrides.notBefore ?? 'notBefore=Mar  1 12:00:00 2026 GMT',
  overrides.notAfter ?? 'notAfter=Mar  1 12:00:00 2027 GMT',
  overrides.fingerprint ?? `sha256 Fingerprint=${FINGERPRINT}`,
];
const output = (...parts: string[][]) => ['akscert-node-probe v1', ...parts.flat(), 'akscert-node-probe end'].join('\n') + '\n';
const complete = (bootstrap = 'present') =>
  output(block('kubelet-client'), block('kubelet-serving'), block('node-apiserver'), [`bootstrap-kubeconfig=${bootstrap}`]);

describe('parseOpensslDate', () => {
  it('reads OpenSSL\'s dates, the day padded with a space, as UTC instants', () => {
    expect(parseOpensslDate('Mar  1 12:00:00 2026 GMT')).toEqual(new Date('2026-03-01T12:00:00Z'));
    expect(parseOpensslDate('Dec 31 23:59:59 2049 GMT')).toEqual(new Date('2049-12-31T23:59:59Z'));
    expect(parseOpensslDate('Jan 10 00:00:00 2030 GMT')).toEqual(new Date('2030-01-10T00:00:00Z'));
  });

  it('refuses a day or time that does not exist, another zone, or another form', () => {
    for (const text of ['Feb 29 12:00:00 2026 GMT', 'Feb 31 12:00:00 2028 GMT', 'Mar  1 24:00:00 2026 GMT', 'Mar  0 12:00:00 2026 GMT',
      'Mar 01 12:00:00 2026 UTC', 'Mar 1 12:00:00 2026 GMT', 'mar  1 12:00:00 2026 GMT', '2026-03-01T12:00:00Z', ' Mar  1 12:00:00 2026 GMT']) {
      expect(parseOpensslDate(text), text).toBeUndefined();
    }
    expect(parseOpensslDate('Feb 29 12:00:00 2028 GMT')).toEqual(new Date('2028-02-29T12:00:00Z'));
    expect(parseOpensslDate('Mar  1 12:00:00 2026 GMTx')).toBeUndefined();
  });

  it('knows every month by its English abbreviation', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    expect(months.map((month) => parseOpensslDate(`${month} 15 08:30:00 2026 GMT`)?.getUTCMonth())).toEqual(months.map((_, i) => i));
  });
});

describe('parseNodeProbeOutput', () => {
  it('reads each certificate\'s facts: hex serial and fingerprint in lower case, the fingerprint without colons', () => {
    const parsed = parseNodeProbeOutput(complete());
    expect(parsed).toEqual({
      ok: true,
      reading: {
        certificates: ['kubelet-client', 'kubelet-serving', 'node-apiserver'].map((source) => ({
          source, subject: 'O = system:nodes, CN = system:node:aks-nodepool1-vmss000000', issuer: 'CN = ca', serialNumber: '0a1b2c',
          notBefore: new Date('2026-03-01T12:00:00Z'), notAfter: new Date('2027-03-01T12:00:00Z'), sha256: FINGERPRINT.replaceAll(':', '').toLowerCase(),
        })),
        missing: [], unreadable: [], bootstrapKubeconfig: true,
      },
    });
  });

  it('says whether the bootstrap kubeconfig exists', () => {
    expect(parseNodeProbeOutput(complete('absent'))).toMatchObject({ ok: true, reading: { bootstrapKubeconfig: false } });
    for (const line of ['yes', 'presently', 'present ']) {
      expect(parseNodeProbeOutput(complete(line))).toEqual({ ok: false, problem: expect.stringContaining('line 23 does not say whether the bootstrap kubeconfig exists') });
    }
    const prefixed = complete().replace('bootstrap-kubeconfig=present', 'xbootstrap-kubeconfig=present');
    expect(parseNodeProbeOutput(prefixed)).toEqual({ ok: false, problem: expect.stringContaining('line 23 does not say') });
    expect(parseNodeProbeOutput(output(block('kubelet-client'), block('kubelet-serving'), block('node-apiserver')))).toEqual({ ok: false, problem: expect.stringContaining('line 23 does not say') });
  });

  it('takes OpenSSL 1.1\'s SHA256 fingerprint line, CRLF line ends (PowerShell) and no trailing line break', () => {
    const old = output(block('kubelet-client', { fingerprint: `SHA256 Fingerprint=${FINGERPRINT}` }), block('kubelet-serving'), block('node-apiserver'), ['bootstrap-kubeconfig=present']);
    expect(parseNodeProbeOutput(old).ok).toBe(true);
    expect(parseNodeProbeOutput(complete().replace(/\n/g, '\r\n')).ok).toBe(true);
    expect(parseNodeProbeOutput(complete().trimEnd()).ok).toBe(true);
    expect(parseNodeProbeOutput(`${complete()}\n\n`).ok).toBe(true);
  });

  it('names files that are missing or that the node could not read, in their own lists', () => {
    const parsed = parseNodeProbeOutput(output(block('kubelet-client'), ['file=kubelet-serving', 'missing'], ['file=node-apiserver', 'unreadable'], ['bootstrap-kubeconfig=present']));
    expect(parsed).toMatchObject({ ok: true, reading: { missing: ['kubelet-serving'], unreadable: ['node-apiserver'] } });
    expect(parsed.ok && parsed.reading.certificates.map((c) => c.source)).toEqual(['kubelet-client']);
  });

  it('refuses a line out of place, naming its number and never its text', () => {
    const secret = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC';
    const cases: Array<[string, string]> = [
      [`${secret}\n${complete()}`, 'line 1 is not the probe\'s first line'],
      [output(block('kubelet-serving'), block('kubelet-client'), block('node-apiserver'), ['bootstrap-kubeconfig=present']), 'line 2 is not the start of the kubelet-client block'],
      [output(block('kubelet-client', { subject: `subject=` }), block('kubelet-serving'), block('node-apiserver')), 'line 3 is not the kubelet-client certificate\'s subject'],
      [output(block('kubelet-client', { subject: `subject=a\tb` })), 'line 3 is not the kubelet-client certificate\'s subject'],
      [output(block('kubelet-client', { subject: `Subject=CN = x` }), block('kubelet-serving'), block('node-apiserver'), ['bootstrap-kubeconfig=present']), 'line 3 is not the kubelet-client certificate\'s subject'],
      [output(block('kubelet-client', { serial: 'xserial=0A1B' })), 'line 5 is not the kubelet-client certificate\'s serial'],
      [output(block('kubelet-client', { fingerprint: `xsha256 Fingerprint=${FINGERPRINT}` })), 'line 8 is not the kubelet-client certificate\'s SHA-256 fingerprint'],
      [['akscert-node-probe v1', 'file=kubelet-client', 'subject=CN = x', 'issuer=CN = ca', 'serial=0A'].join('\n'), 'line 6 is not the kubelet-client certificate\'s notBefore'],
      [output(block('kubelet-client', { issuer: secret })), 'line 4 is not the kubelet-client certificate\'s issuer'],
      [output(block('kubelet-client', { serial: 'serial=0a1b' })), 'line 5 is not the kubelet-client certificate\'s serial'],
      [output(block('kubelet-client', { serial: 'serial=' })), 'line 5 is not the kubelet-client certificate\'s serial'],
      [output(block('kubelet-client', { notBefore: 'notBefore=Mar  1 12:00:00 2026' })), 'line 6 is not the kubelet-client certificate\'s notBefore'],
      [output(block('kubelet-client', { notAfter: 'notBefore=Mar  1 12:00:00 2027 GMT' })), 'line 7 is not the kubelet-client certificate\'s notAfter'],
      [output(block('kubelet-client', { fingerprint: `sha1 Fingerprint=${FINGERPRINT.slice(0, 59)}` })), 'line 8 is not the kubelet-client certificate\'s SHA-256 fingerprint'],
      [output(block('kubelet-client', { fingerprint: `sha256 Fingerprint=${FINGERPRINT.toLowerCase()}` })), 'line 8 is not the kubelet-client certificate\'s SHA-256 fingerprint'],
      [output(block('kubelet-client', { fingerprint: `sha256 Fingerprint=${FINGERPRINT}:00` })), 'line 8 is not the kubelet-client certificate\'s SHA-256 fingerprint'],
      [output(block('kubelet-client'), block('kubelet-serving')), 'line 16 is not the start of the node-apiserver block'],
      [complete().replace('akscert-node-probe end', 'done'), 'line 24 is not the probe\'s last line'],
      [`${complete()}${secret}\n`, 'line 24 is not the probe\'s last line'],
      ['', 'line 1 is not the probe\'s first line'],
    ];
    for (const [text, problem] of cases) {
      const parsed = parseNodeProbeOutput(text);
      expect(parsed, problem).toEqual({ ok: false, problem: `the node probe's output is not in the expected form: ${problem}` });
      expect(JSON.stringify(parsed)).not.toContain(secret);
    }
  });
});

describe('runCommandStdout', () => {
  it('reads the standard output of a Linux run command\'s one status message', () => {
    expect(runCommandStdout([{ code: 'ProvisioningState/succeeded', message: 'Enable succeeded: \n[stdout]\nline 1\nline 2\n\n[stderr]\n' }]))
      .toEqual({ ok: true, stdout: 'line 1\nline 2\n' });
    expect(runCommandStdout([{ code: 'ProvisioningState/succeeded', message: 'Enable succeeded:\n[stdout]\nx\n[stderr]\n \n' }])).toEqual({ ok: true, stdout: 'x' });
  });

  it('reads a Windows run command\'s StdOut status', () => {
    expect(runCommandStdout([{ code: 'ComponentStatus/StdOut/succeeded', message: 'out\r\n' }, { code: 'ComponentStatus/StdErr/succeeded', message: '' }]))
      .toEqual({ ok: true, stdout: 'out\r\n' });
    expect(runCommandStdout([{ code: 'ComponentStatus/StdOut/succeeded', message: 'out' }])).toEqual({ ok: true, stdout: 'out' });
    expect(runCommandStdout([{ code: 'ComponentStatus/StdOut/succeeded' }, { code: 'ComponentStatus/StdErr/succeeded', message: '\r\n' }])).toEqual({ ok: true, stdout: '' });
  });

  it('refuses a script that wrote to its standard error, without repeating what it wrote', () => {
    const problem = { ok: false, problem: 'the node probe wrote to its standard error' };
    expect(runCommandStdout([{ code: 'ProvisioningState/succeeded', message: 'Enable succeeded: \n[stdout]\n\n[stderr]\nsecret stuff\n' }])).toEqual(problem);
    expect(runCommandStdout([{ code: 'ComponentStatus/StdOut/succeeded', message: '' }, { code: 'ComponentStatus/StdErr/succeeded', message: 'secret stuff' }])).toEqual(problem);
  });

  it('refuses a command that did not succeed, or a message in another form, naming only the status codes', () => {
    expect(runCommandStdout([{ code: 'ProvisioningState/failed', message: 'boom' }])).toEqual({ ok: false, problem: 'the run command did not succeed (ProvisioningState/failed)' });
    expect(runCommandStdout([{ message: 'boom' }])).toEqual({ ok: false, problem: 'the run command did not succeed (?)' });
    expect(runCommandStdout([{ code: 'ProvisioningState/failed' }, { code: 'ComponentStatus/StdErr/failed' }])).toEqual({ ok: false, problem: 'the run command did not succeed (ProvisioningState/failed, ComponentStatus/StdErr/failed)' });
    expect(runCommandStdout([{ code: 'ProvisioningState/succeeded', message: 'x Enable succeeded: \n[stdout]\nok\n[stderr]\n' }])).toEqual({ ok: false, problem: 'the run command\'s message is not in the [stdout]/[stderr] form' });
    expect(runCommandStdout([])).toEqual({ ok: false, problem: 'the run command did not succeed (no status)' });
    expect(runCommandStdout([{ code: 'ProvisioningState/succeeded', message: 'stdout only' }])).toEqual({ ok: false, problem: 'the run command\'s message is not in the [stdout]/[stderr] form' });
    expect(runCommandStdout([{ code: 'ProvisioningState/succeeded' }])).toEqual({ ok: false, problem: 'the run command\'s message is not in the [stdout]/[stderr] form' });
  });
});
