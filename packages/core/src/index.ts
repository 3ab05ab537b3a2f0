export * from "./errors.ts";
export * from "./redact.ts";
