export * from "./chunk.ts";
export * from "./rate.ts";
export * from "./realtime-pacer.ts";
export * from "./wav-header.ts";
