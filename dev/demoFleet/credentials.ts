/**
 * A cluster's answers to the three listCluster*Credential actions: kubeconfigs (with the cluster's
 * certificates and a fresh token each) or the errors AKS gives when they are refused. Every secret
 * a kubeconfig holds is recorded, so that tests can check none of them leaks.
 */
import type { SimulatedCluster, SimulatedCredential } from '../armSimulator/fleet.js';
import { type CertificateAuthority, type IssuedCertificate, type KeyMaterial, randomToken } from '../certificates.js';
import { buildKubeconfig, kubeloginExec } from '../kubeconfig.js';
import type { ClusterShape, Endpoints } from './clusterResource.js';
import type { CredentialMode } from './clusterSpec.js';
import { authorizationFailed } from './subscriptions.js';

/** AKS's 400 for monitoring and admin credentials of a cluster whose local accounts are disabled. */
export const LOCAL_ACCOUNTS_DISABLED_MESSAGE =
  'Getting static credential is not allowed because this cluster is set to disable local accounts.';

export interface ClusterCertificates {
  ca: CertificateAuthority;
  client?: { certificate: IssuedCertificate; key: KeyMaterial };
}

export function credentialsFor(
  mode: CredentialMode,
  shape: ClusterShape,
  ep: Endpoints,
  certs: ClusterCertificates | undefined,
  tenantId: string,
  secrets: Set<string>,
): SimulatedCluster['credentials'] {
  const server = `https://${ep.serverHost}:443`;
  const kubeconfig = (kind: 'clusterMonitoringUser' | 'clusterUser' | 'clusterAdmin'): SimulatedCredential => {
    if (!certs) throw new Error(`${shape.name}: credentials need certificates`);
    const userName = `${kind}_${shape.resourceGroup}_${shape.name}`;
    const built =
      mode === 'local-accounts-disabled'
        ? buildKubeconfig({
            clusterName: shape.name,
            server,
            certificateAuthorityPem: certs.ca.pem,
            user: { name: userName, exec: kubeloginExec(tenantId) },
          })
        : buildKubeconfig({
            clusterName: shape.name,
            server,
            certificateAuthorityPem: certs.ca.pem,
            user: {
              name: userName,
              ...(certs.client
                ? { clientCertificatePem: certs.client.certificate.pem, clientKeyPem: certs.client.key.privateKeyPem }
                : {}),
              token: randomToken(),
            },
          });
    for (const s of built.secrets) secrets.add(s);
    return { kubeconfig: built.text, name: kind };
  };
  const forbidden = (action: string): SimulatedCredential => ({
    error: authorizationFailed(`Microsoft.ContainerService/managedClusters/${action}/action`, ep.id),
  });
  const localAccountsDisabled: SimulatedCredential = {
    error: { status: 400, code: 'BadRequest', message: LOCAL_ACCOUNTS_DISABLED_MESSAGE },
  };
  switch (mode) {
    case 'normal':
      return {
        monitoring: kubeconfig('clusterMonitoringUser'),
        user: kubeconfig('clusterUser'),
        admin: kubeconfig('clusterAdmin'),
      };
    case 'monitoring-forbidden':
      return {
        monitoring: forbidden('listClusterMonitoringUserCredential'),
        user: kubeconfig('clusterUser'),
        admin: kubeconfig('clusterAdmin'),
      };
    case 'all-forbidden':
      return {
        monitoring: forbidden('listClusterMonitoringUserCredential'),
        user: forbidden('listClusterUserCredential'),
        admin: forbidden('listClusterAdminCredential'),
      };
    case 'local-accounts-disabled':
      return { monitoring: localAccountsDisabled, user: kubeconfig('clusterUser'), admin: localAccountsDisabled };
  }
}
