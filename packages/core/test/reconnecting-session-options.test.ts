/** A reconnecting stream checks its live options before it reads anything from them. */
import { describe, expect, it } from "vitest";
import { OptionsError, ReconnectingSession } from "../src/index.ts";

describe("ReconnectingSession options", () => {
  it("refuses options that are no object with OptionsError, with or without reconnect", () => {
    for (const options of [null, "nova-3", []]) {
      for (const reconnect of [false, true]) {
        expect(
          () =>
            new ReconnectingSession({
              options: options as never,
              client: { url: "ws://127.0.0.1:9", reconnect },
            }),
        ).toThrow(OptionsError);
      }
    }
  });
});
