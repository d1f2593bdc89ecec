/** Resolves on Ctrl-C or SIGTERM. `on`, not `once`: a second Ctrl-C during shutdown must not kill it half-way. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
}
