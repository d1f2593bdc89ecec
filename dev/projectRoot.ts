import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of this package's package.json, from source (tsx, vitest) or from dist/. */
export function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'host.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the aks-cert-compliance folder above ${from}`);
  }
}
