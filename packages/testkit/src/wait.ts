/**
 * Polls `predicate` every `intervalMs` until it holds, or rejects after `timeoutMs` with
 * `description` in the message. For conditions that have no event to await.
 */
export async function waitFor(
  predicate: () => boolean,
  description: string,
  { timeoutMs = 5_000, intervalMs = 5 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
