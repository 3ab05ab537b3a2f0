/** The reconnecting session both faces host, its policy and its timeline re-basing. */
export * from "./policy.ts";
export { ReconnectingSession } from "./reconnecting-session.ts";
export { rebaseTimestamps } from "./timestamp-rebase.ts";
export type * from "./types.ts";
