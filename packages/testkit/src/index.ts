export * from "./audio.ts";
export * from "./fixtures.ts";
export * from "./flux-fixtures.ts";
export * from "./manual-clock.ts";
export * from "./random.ts";
export * from "./speech.ts";
export * from "./wait.ts";
export * from "./wer.ts";
