/**
 * Runs once in the main vitest process before any test worker exists.
 *
 * The ARM simulator speaks TLS with a certificate from the project's dev CA, and the SDKs must trust
 * it the ordinary way, without `rejectUnauthorized: false`. Node reads NODE_EXTRA_CA_CERTS only when
 * a process starts, so it is set here, before vitest forks its workers (`pool: 'forks'` in
 * vitest.config.ts): each worker inherits it and trusts the CA from its first instruction.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureDevTls, type DevTls } from '../dev/devTls.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** The dev CA and the 127.0.0.1/localhost server certificate (tests start simulators with it). */
    devTls: DevTls;
  }
}

/**
 * NODE_EXTRA_CA_CERTS names one file. When the developer already set it (a corporate proxy CA, say),
 * trust both: write a bundle of theirs plus the dev CA instead of silently dropping theirs.
 */
async function extraCaFile(dir: string, devCaPath: string, devCaPem: string): Promise<string> {
  const existing = process.env['NODE_EXTRA_CA_CERTS'];
  if (!existing || existing === devCaPath) return devCaPath;
  const theirs = await readFile(existing, 'utf8').catch(() => '');
  if (!theirs) return devCaPath;
  if (theirs.includes(devCaPem.trim())) return existing; // already a bundle with our CA (watch-mode rerun)
  const bundlePath = join(dir, 'extra-ca-bundle.pem');
  await writeFile(bundlePath, `${theirs.trimEnd()}\n${devCaPem}`);
  return bundlePath;
}

export default async function setup(project: TestProject): Promise<void> {
  const dir = join(project.config.root, '.dev', 'tls');
  const tls = await ensureDevTls(dir);
  process.env['NODE_EXTRA_CA_CERTS'] = await extraCaFile(dir, tls.caPath, tls.caPem);
  project.provide('devTls', tls);
}
