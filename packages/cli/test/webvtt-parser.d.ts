/** The little of webvtt-parser (a validator, untyped) the subtitle tests use. */
declare module "webvtt-parser" {
  export interface WebVttCue {
    readonly startTime: number;
    readonly endTime: number;
    readonly text: string;
  }
  export interface WebVttParseResult {
    readonly cues: readonly WebVttCue[];
    readonly errors: readonly { readonly message: string; readonly line: number }[];
  }
  export class WebVTTParser {
    parse(input: string, mode?: "metadata" | "chapters"): WebVttParseResult;
  }
}
