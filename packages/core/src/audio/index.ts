export type { AudioSource, ReadableStreamLike } from "./audio-source.ts";
export * from "./chunk.ts";
export * from "./rate.ts";
export * from "./realtime-pacer.ts";
export type { SendFromOptions } from "./send-from.ts";
export * from "./wav-header.ts";
