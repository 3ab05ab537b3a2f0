export * from "./errors.ts";
export * from "./messages.ts";
export * from "./options.ts";
export * from "./redact.ts";
export * from "./frames.ts";
export * from "./clock.ts";
export * from "./keepalive.ts";
export * from "./audio/index.ts";
