/**
 * Waiting in tests for something the code under test does in the background (a sync round, a
 * device answer). Never a timing assertion: the limit only turns a hang into a clear failure.
 */

/** Read until `ok` holds; the value that passed, or an error naming `what` and the last value read. */
export async function waitFor<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000, everyMs = 10): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Until `cond` is true. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, what = 'the condition', ms = 10_000, everyMs = 10): Promise<void> {
  await waitFor(cond, (v) => v, what, ms, everyMs);
}
