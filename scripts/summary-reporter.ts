import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest'

function count(
  tasks: readonly RunnerTask[],
  totals: { passed: number; failed: number; skipped: number },
): void {
  for (const task of tasks) {
    if (task.type === 'suite') {
      count(task.tasks, totals)
      continue
    }
    const state = task.result?.state
    if (state === 'pass') totals.passed += 1
    else if (state === 'fail') totals.failed += 1
    else totals.skipped += 1
  }
}

/** Prints one plain closing line, `N passed, N failed, N skipped`, that CI tooling reads. */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 }
    count(files, totals)
    // a file that failed to load has no tests but must still count as a failure
    const broken = files.filter((f) => f.result?.state === 'fail' && f.tasks.length === 0).length
    totals.failed += broken + errors.length
    process.stdout.write(
      `\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
    )
  }
}
