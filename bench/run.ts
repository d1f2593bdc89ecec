/**
 * `npm run bench`: the three benchmarks one after another (event latency, event batches, full scans),
 * each in its own process, their output shown as it comes and written to bench/RESULTS.md under a
 * header naming the machine, so that the committed results say where they were measured.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';

const PARTS = [
  { title: 'Event-driven rescans', script: 'eventLatency.js', markdown: false },
  { title: 'Event Grid batches', script: 'eventBatch.js', markdown: false },
  // Prints its own Markdown table.
  { title: 'Full scans', script: 'fullScan.js', markdown: true },
];

function runPart(script: string): Promise<{ output: string; code: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(__dirname, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ output, code: code ?? 1 }));
  });
}

async function main(): Promise<void> {
  const started = new Date();
  const cpu = cpus();
  const machine =
    `Measured ${started.toISOString()} on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB ` +
    `(${(freemem() / 2 ** 30).toFixed(1)} GiB free), ${osType()} ${release()}, Node ${process.version}; load average at the start ${loadavg().map((l) => l.toFixed(1)).join(' ')}.`;
  const sections: string[] = [];
  let failed = 0;
  for (const part of PARTS) {
    process.stdout.write(`\n## ${part.title}\n\n`);
    const { output, code } = await runPart(part.script);
    if (code !== 0) failed++;
    const body = part.markdown ? output.trim().replace(/^### .*\n+/, '') : `\`\`\`\n${output.trim()}\n\`\`\``;
    sections.push(`## ${part.title}\n\n${body}${code !== 0 ? `\n\n(exited ${code})` : ''}`);
  }
  const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
  const results = `# npm run bench: the last run\n\n${machine} The whole run took ${minutes} minutes.\n\n${sections.join('\n\n')}\n`;
  await writeFile(join(__dirname, '..', '..', 'bench', 'RESULTS.md'), results);
  process.stdout.write(`\nnpm run bench: ${minutes} minutes; written to bench/RESULTS.md\n`);
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
