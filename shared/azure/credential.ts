import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { ArmTarget } from './cloud.js';

/** A fixed bearer token (`AZURE_STATIC_TOKEN`): for simulators and tests, never for real Azure. */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}

  async getToken(): Promise<AccessToken> {
    return { token: this.token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
  }
}

/** Managed identity in Azure, `az login` on a laptop; the static token when one is configured. */
export function createArmCredential(target: ArmTarget, staticToken?: string): TokenCredential {
  if (staticToken) return new StaticTokenCredential(staticToken);
  return new DefaultAzureCredential({ authorityHost: target.authorityHost });
}
