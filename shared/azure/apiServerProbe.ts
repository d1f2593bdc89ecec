import { connect, createSecureContext, type SecureContext } from 'node:tls';
import { certificateFactsFromDer } from '../domain/certificate.js';
import type { ClusterFacts } from '../domain/cluster.js';
import type { CertificateEvidence } from '../domain/verdict.js';
import type { ApiServerProbe } from '../scan/ports.js';

export interface TlsApiServerProbeOptions {
  timeoutMs?: number;
  /**
   * Connect here instead of the cluster's FQDN, still sending the FQDN as SNI (like curl's
   * --connect-to): for simulators, or for a proxy that reaches the API servers.
   */
  connectTo?: { host: string; port: number };
}

/**
 * Reads the API server's certificate from a TLS handshake with the cluster's public FQDN on 443,
 * as the AKS certificate-rotation article suggests (docs/rules.md) (`curl https://{apiserver-fqdn} -k -v`). The handshake does not verify
 * the chain on purpose: an expired or unknown certificate is exactly what it must be able to read.
 * Nothing is sent over the connection; it is closed once the certificate is read.
 */
export class TlsApiServerProbe implements ApiServerProbe {
  /** One context for every handshake: building one per connection cost a third of the probe's CPU. */
  private secureContext: SecureContext | undefined;

  constructor(private readonly options: TlsApiServerProbeOptions = {}) {}

  async readCertificate(cluster: ClusterFacts): Promise<CertificateEvidence> {
    if (!cluster.fqdn) {
      const reason = cluster.privateFqdn ? 'private_cluster' : 'no_certificate';
      const why = cluster.privateFqdn ? 'the API server has only a private FQDN' : 'ARM reports no API server FQDN';
      return { certificates: [], unavailable: [{ source: 'apiserver', reason, message: `API server certificate unavailable: ${why}.` }] };
    }
    try {
      const der = await this.handshake(cluster.fqdn);
      return { certificates: [certificateFactsFromDer(der, 'apiserver')], unavailable: [] };
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const reason = e.code === 'BAD_CERTIFICATE' ? 'bad_pem' : 'unreachable';
      return { certificates: [], unavailable: [{ source: 'apiserver', reason, message: `API server certificate unavailable: TLS handshake with ${cluster.fqdn}:443 failed (${e.code ?? e.message}).` }] };
    }
  }

  private handshake(fqdn: string): Promise<Uint8Array> {
    const { connectTo, timeoutMs = 5_000 } = this.options;
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: connectTo?.host ?? fqdn,
        port: connectTo?.port ?? 443,
        servername: fqdn,
        secureContext: (this.secureContext ??= createSecureContext()),
        rejectUnauthorized: false,
        timeout: timeoutMs,
      });
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      socket.once('secureConnect', () => {
        const certificate = socket.getPeerX509Certificate();
        socket.destroy();
        if (certificate) resolve(new Uint8Array(certificate.raw));
        else reject(Object.assign(new Error('no certificate presented'), { code: 'BAD_CERTIFICATE' }));
      });
      socket.once('timeout', () => fail(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      socket.once('error', fail);
    });
  }
}
