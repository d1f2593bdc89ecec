/**
 * The Linux probe script run for real (bash and OpenSSL, as on an AKS node) over certificate files in a
 * temporary directory standing in for the node's `/var/lib/kubelet` and `/etc/kubernetes`, its output
 * read by the parser: what the script prints is what the parser reads, and never a key.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../dev/certificates.js';
import { LINUX_PROBE_SCRIPT, WINDOWS_PROBE_SCRIPT } from '../../../shared/azure/nodeProbeScripts.js';
import { certificateFactsFromDer } from '../../../shared/domain/certificate.js';
import { parseNodeProbeOutput } from '../../../shared/domain/nodeProbeOutput.js';
import { realCertificate } from '../../support/certificates.js';

const run = promisify(execFile);
let root: string;

/** The script with the node's absolute paths moved under `root`. */
const rooted = (script: readonly string[]) => script.map((line) => line.replaceAll(' /var/lib/kubelet', ` ${root}/var/lib/kubelet`).replaceAll(' /host/var/lib/kubelet', ` ${root}/host/var/lib/kubelet`).replaceAll(' /etc/kubernetes', ` ${root}/etc/kubernetes`));
const probe = async () => run('bash', ['-c', rooted(LINUX_PROBE_SCRIPT).join('\n')]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'akscert-node-'));
  await mkdir(join(root, 'var/lib/kubelet/pki'), { recursive: true });
  await mkdir(join(root, 'etc/kubernetes/certs'), { recursive: true });
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('the Linux node probe script', () => {
  it('prints the facts of each certificate as OpenSSL reads them, and none of the key beside the kubelet\'s certificate', async () => {
    const kubelet = await realCertificate(new Date('2026-03-01T12:00:00Z'), new Date('2027-03-01T12:00:00Z'), 'CN=system:node:aks-system-vmss000000, O=system:nodes');
    const serving = await realCertificate(new Date('2026-03-02T08:30:05Z'), new Date('2026-12-09T08:30:05Z'), 'CN=aks-system-vmss000000');
    const apiServer = await realCertificate(new Date('2025-11-10T00:00:00Z'), new Date('2027-11-10T00:00:00Z'), 'CN=apiserver');
    const key = await generateKey('ec');
    await writeFile(join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem'), `${kubelet.pem}${key.privateKeyPem}`);
    await writeFile(join(root, 'etc/kubernetes/certs/kubeletserver.crt'), serving.pem);
    await writeFile(join(root, 'etc/kubernetes/certs/apiserver.crt'), apiServer.pem);
    await writeFile(join(root, 'var/lib/kubelet/bootstrap-kubeconfig'), 'apiVersion: v1\n');

    const { stdout, stderr } = await probe();
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(/PRIVATE KEY|BEGIN/);
    const parsed = parseNodeProbeOutput(stdout);
    expect(parsed).toEqual({
      ok: true,
      reading: {
        certificates: [
          certificateFactsFromDer(kubelet.der, 'kubelet-client'), certificateFactsFromDer(serving.der, 'kubelet-serving'), certificateFactsFromDer(apiServer.der, 'node-apiserver'),
        ].map((facts) => ({ ...facts, subject: expect.any(String), issuer: 'CN = ca' })),
        missing: [], unreadable: [], bootstrapKubeconfig: true,
      },
    });
    expect(parsed.ok && parsed.reading.certificates[0]!.subject).toBe('CN = system:node:aks-system-vmss000000, O = system:nodes');
  });

  it('prefers the rotating serving certificate, and says which files are missing or not certificates and that bootstrap is off', async () => {
    const rotated = await realCertificate(new Date('2026-06-01T00:00:00Z'), new Date('2027-06-01T00:00:00Z'), 'CN=aks-system-vmss000000');
    await writeFile(join(root, 'var/lib/kubelet/pki/kubelet-server-current.pem'), rotated.pem);
    await rm(join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem'));
    await writeFile(join(root, 'etc/kubernetes/certs/apiserver.crt'), 'not a certificate\n');
    await rm(join(root, 'var/lib/kubelet/bootstrap-kubeconfig'));

    const { stdout, stderr } = await probe();
    expect(stderr).toBe('');
    expect(parseNodeProbeOutput(stdout)).toMatchObject({
      ok: true,
      reading: { certificates: [{ source: 'kubelet-serving', sha256: certificateFactsFromDer(rotated.der, 'kubelet-serving').sha256 }], missing: ['kubelet-client'], unreadable: ['node-apiserver'], bootstrapKubeconfig: false },
    });
  });

  it('reads no file but the certificates and the bootstrap kubeconfig\'s existence, and the Windows script likewise', () => {
    for (const script of [LINUX_PROBE_SCRIPT, WINDOWS_PROBE_SCRIPT]) {
      const text = script.join('\n');
      expect(text).not.toMatch(/\bcat\b|Get-Content|Remove-|Set-Content|Out-File|\brm\b|>\s*\/(?!dev\/null)/);
      expect(text).toContain('akscert-node-probe v1');
    }
    expect(WINDOWS_PROBE_SCRIPT.join('\n')).toContain("Test-Path -LiteralPath 'C:\\k\\bootstrap-config'");
  });
});
