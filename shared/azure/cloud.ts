import type { CloudName } from '../config.js';

/** The Azure clouds `--cloud` names, with their Resource Manager endpoint and Entra authority. */
export const CLOUDS: Record<CloudName, { resourceManager: string; authorityHost: string }> = {
  AzureCloud: { resourceManager: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com' },
  AzureChinaCloud: { resourceManager: 'https://management.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn' },
  AzureUSGovernment: { resourceManager: 'https://management.usgovcloudapi.net', authorityHost: 'https://login.microsoftonline.us' },
};

export interface ArmTarget {
  /** Where ARM requests go: the cloud's endpoint, or `--arm-endpoint` (a simulator, a proxy). */
  endpoint: string;
  /** The token audience: always the cloud's Resource Manager, whatever endpoint serves it. */
  scope: string;
  authorityHost: string;
}

export function armTarget(cloud: CloudName, armEndpoint?: string): ArmTarget {
  const settings = CLOUDS[cloud];
  return {
    endpoint: (armEndpoint ?? settings.resourceManager).replace(/\/+$/, ''),
    scope: `${settings.resourceManager}/.default`,
    authorityHost: settings.authorityHost,
  };
}
