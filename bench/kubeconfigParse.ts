/**
 * `node dist/bench/kubeconfigParse.js [rounds]`: the CPU one kubeconfig costs to read, on the demo
 * fleet's kubeconfigs (dev/kubeconfig.ts builds them), the ways compared in the same process, round
 * after round in turn (so that the machine's load falls on each alike):
 *   - yaml parse: the whole text through the `yaml` package (how it was read at first);
 *   - yaml, no secrets: the secret entries dropped first (shared/azure/kubeconfig.ts), then `yaml`;
 *   - js-yaml, no secrets: the same through js-yaml's core schema (how it is read now);
 *   - read: all of readKubeconfigCertificates (the parse, the schema, the two certificates).
 * Figures are CPU time (user + system) per kubeconfig: the minimum and the median over the rounds.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import { parse } from 'yaml';
import { buildDemoFleet } from '../dev/demoFleet/index.js';
import { readKubeconfigCertificates, withoutSecretEntries } from '../shared/azure/kubeconfig.js';

const WARM_UP_ROUNDS = 20;

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 50);
  const fleet = await buildDemoFleet({ now: new Date() });
  const texts = fleet.clusters.flatMap((cluster) => Object.values(cluster.credentials).flatMap((credential) => (credential && 'kubeconfig' in credential ? [credential.kubeconfig] : [])));
  const sets = { all: texts, exec: texts.filter((text) => /^ *exec:/m.test(text)) };
  const ways: Record<string, (text: string) => unknown> = {
    'yaml parse': (text) => parse(text),
    'yaml, no secrets': (text) => parse(withoutSecretEntries(text)),
    'js-yaml, no secrets': (text) => load(withoutSecretEntries(text), { schema: CORE_SCHEMA }),
    'read': (text) => readKubeconfigCertificates(text),
  };
  for (const [set, kubeconfigs] of Object.entries(sets)) {
    if (kubeconfigs.length === 0) continue;
    const meanLength = Math.round(kubeconfigs.reduce((sum, text) => sum + text.length, 0) / kubeconfigs.length);
    process.stdout.write(`${set}: ${kubeconfigs.length} kubeconfigs of ${meanLength} characters on average, ${rounds} rounds\n`);
    for (const way of Object.values(ways)) for (let i = 0; i < WARM_UP_ROUNDS; i++) kubeconfigs.forEach(way);
    const cpu = new Map(Object.keys(ways).map((name) => [name, [] as number[]]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, way] of Object.entries(ways)) {
        const started = process.cpuUsage();
        for (const text of kubeconfigs) way(text);
        const used = process.cpuUsage(started);
        cpu.get(name)!.push((used.user + used.system) / kubeconfigs.length / 1000);
      }
    }
    for (const [name, ms] of cpu) {
      ms.sort((a, b) => a - b);
      process.stdout.write(`  ${name.padEnd(20)} min ${ms[0]!.toFixed(3)} ms   median ${ms[ms.length >> 1]!.toFixed(3)} ms CPU per kubeconfig\n`);
    }
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
