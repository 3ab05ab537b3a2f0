/**
 * A mistake on the command line (unknown flag, bad value, missing input). The CLI prints its
 * message on one line and exits with status 2, the shell convention for usage errors.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
