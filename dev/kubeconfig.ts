/**
 * Kubeconfigs in the shape `az aks get-credentials` writes (and the credential-listing POSTs return,
 * base64-encoded): one cluster, one context, one user.
 */
import { stringify } from 'yaml';
import { base64 } from './certificates.js';

/** The well-known AAD server application id of AKS (used by kubelogin's `--server-id`). */
export const AKS_AAD_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** The Azure CLI's public client id, as kubelogin writes it. */
export const AZURE_CLI_CLIENT_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

export interface KubeconfigExec {
  apiVersion: string;
  command: string;
  args: string[];
  env: null;
  installHint: string;
  interactiveMode: string;
  provideClusterInfo: boolean;
}

export interface KubeconfigUserSpec {
  /** `clusterMonitoringUser_<rg>_<name>`, `clusterUser_<rg>_<name>` or `clusterAdmin_<rg>_<name>`. */
  name: string;
  clientCertificatePem?: string;
  clientKeyPem?: string;
  token?: string;
  exec?: KubeconfigExec;
}

export interface KubeconfigSpec {
  clusterName: string;
  /** `https://<fqdn>:443` */
  server: string;
  certificateAuthorityPem: string;
  user: KubeconfigUserSpec;
}

export interface BuiltKubeconfig {
  text: string;
  /** The secret strings this kubeconfig carries: key PEM, its base64 form, token. */
  secrets: string[];
}

/** The exec user that AAD-integrated clusters get (kubelogin, device code). */
export function kubeloginExec(tenantId: string): KubeconfigExec {
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'kubelogin',
    args: [
      'get-token',
      '--environment',
      'AzurePublicCloud',
      '--server-id',
      AKS_AAD_SERVER_ID,
      '--client-id',
      AZURE_CLI_CLIENT_ID,
      '--tenant-id',
      tenantId,
      '--login',
      'devicecode',
    ],
    env: null,
    installHint:
      '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\n' +
      'To learn more, please go to https://aka.ms/aks/kubelogin\n',
    interactiveMode: 'IfAvailable',
    provideClusterInfo: false,
  };
}

export function buildKubeconfig(spec: KubeconfigSpec): BuiltKubeconfig {
  const secrets: string[] = [];
  const user: Record<string, unknown> = {};
  if (spec.user.clientCertificatePem !== undefined) {
    user['client-certificate-data'] = base64(spec.user.clientCertificatePem);
  }
  if (spec.user.clientKeyPem !== undefined) {
    const encoded = base64(spec.user.clientKeyPem);
    user['client-key-data'] = encoded;
    secrets.push(spec.user.clientKeyPem.trimEnd(), encoded);
  }
  if (spec.user.token !== undefined) {
    user['token'] = spec.user.token;
    secrets.push(spec.user.token);
  }
  if (spec.user.exec !== undefined) user['exec'] = spec.user.exec;

  const document = {
    apiVersion: 'v1',
    clusters: [
      {
        cluster: {
          'certificate-authority-data': base64(spec.certificateAuthorityPem),
          server: spec.server,
        },
        name: spec.clusterName,
      },
    ],
    contexts: [
      {
        context: { cluster: spec.clusterName, user: spec.user.name },
        name: spec.clusterName,
      },
    ],
    'current-context': spec.clusterName,
    kind: 'Config',
    preferences: {},
    users: [{ name: spec.user.name, user }],
  };
  return { text: stringify(document, { lineWidth: 0 }), secrets };
}
