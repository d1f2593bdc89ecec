// A Stryker reporter (stryker.config.mjs) that rewrites the committed incremental file in a stable
// form once Stryker has written it, so that a run with nothing changed leaves the file as it was and
// a change shows in git as a change to the mutants and tests it touched.
//
// Stryker numbers tests in the order its workers happened to find them, lists mutants in the order
// they finished, and records the absolute project path, the command-line options and each killed
// mutant's failure message (which can hold the random serial of a test certificate): every run
// rewrote most of the file. Here tests are numbered by file and name, mutants listed by id (the
// instrumenter numbers them in source order), every object's keys sorted, and the fields the
// incremental diff does not read (projectRoot, config, statusReason) left out. (A run with --force
// still records which test killed each mutant first, which can differ from the run before.)
import { readFile, writeFile } from 'node:fs/promises';

const byNumber = (a, b) => Number(a) - Number(b);
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const lineOf = (test) => test.location?.start.line ?? 0;

/** The same JSON value with every object's keys in alphabetical order (arrays keep theirs). */
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys(value[key])]));
}

export function stableIncrementalReport(report) {
  const { projectRoot: _projectRoot, config: _config, ...rest } = report;
  const newIds = new Map();
  const testFiles = Object.fromEntries(
    Object.keys(report.testFiles ?? {}).sort().map((fileName) => {
      const file = report.testFiles[fileName];
      const tests = [...file.tests].sort((a, b) => compare(a.name, b.name) || lineOf(a) - lineOf(b));
      return [fileName, { ...file, tests: tests.map((test) => {
        const id = String(newIds.size);
        newIds.set(test.id, id);
        return { ...test, id };
      }) }];
    }),
  );
  const renumber = (ids) => ids && ids.map((id) => newIds.get(id) ?? id).sort(byNumber);
  const files = Object.fromEntries(
    Object.keys(report.files).sort().map((fileName) => {
      const file = report.files[fileName];
      const mutants = [...file.mutants].sort((a, b) => byNumber(a.id, b.id)).map(({ statusReason: _reason, ...mutant }) => ({
        ...mutant,
        ...(mutant.coveredBy ? { coveredBy: renumber(mutant.coveredBy) } : {}),
        ...(mutant.killedBy ? { killedBy: renumber(mutant.killedBy) } : {}),
      }));
      return [fileName, { ...file, mutants }];
    }),
  );
  return sortedKeys({ ...rest, files, ...(report.testFiles ? { testFiles } : {}) });
}

class StableIncrementalFile {
  static inject = ['options'];

  constructor(options) {
    this.options = options;
  }

  // Stryker writes the incremental file before the reporters wrap up (MutationTestReportHelper).
  async wrapUp() {
    if (!this.options.incremental) return;
    const path = this.options.incrementalFile;
    const report = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, `${JSON.stringify(stableIncrementalReport(report), null, 2)}\n`);
  }
}

export const strykerPlugins = [{ kind: 'Reporter', name: 'stable-incremental-file', injectableClass: StableIncrementalFile }];
