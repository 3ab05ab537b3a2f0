export * from "./finalize-watch.ts";
export * from "./stabilizer.ts";
export { type CaptionToken, tokenize } from "./tokens.ts";
