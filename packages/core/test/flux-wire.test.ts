/**
 * A Flux connection's wire: the `/v2/listen` URL, and v1's control frames (KeepAlive,
 * Finalize, a v1 Configure of features) refused before they are queued, since Flux would answer
 * them with UNPARSABLE_CLIENT_MESSAGE and close (python#649); Flux's own three pass.
 */
import { describe, expect, it } from "vitest";
import {
  type FluxServerMessage,
  FORCE_END_TURN_FRAME,
  fluxConfigureFrame,
  LiveSession,
  OptionsError,
} from "../src/index.ts";
import { fluxWire } from "../src/internal.ts";

function fluxSession(): LiveSession<FluxServerMessage> {
  return new LiveSession({
    wire: fluxWire({ model: "flux-general-en" }),
    client: { url: "ws://127.0.0.1:9" },
  });
}

describe("fluxWire", () => {
  it("opens /v2/listen with the Flux query, no credential in it", () => {
    const session = fluxSession();
    expect(session.url).toBe("ws://127.0.0.1:9/v2/listen?model=flux-general-en");
    session.abort();
  });

  it("refuses KeepAlive, Finalize and v1's Configure before queueing them; passes Flux's frames", () => {
    const session = fluxSession();
    expect(() => session.keepAlive()).toThrow(OptionsError);
    expect(() => session.keepAlive()).toThrow(/KeepAlive would end the stream/);
    expect(() => session.finalize()).toThrow(/Finalize would end the stream/);
    expect(() => session.sendControl('{"type":"KeepAlive"}')).toThrow(OptionsError);
    expect(session.bufferedBytes).toBe(0);
    session.sendControl(FORCE_END_TURN_FRAME);
    session.sendControl(fluxConfigureFrame({ keyterms: ["earshot"] }));
    expect(session.bufferedBytes).toBe(
      FORCE_END_TURN_FRAME.length + fluxConfigureFrame({ keyterms: ["earshot"] }).length,
    );
    session.abort();
  });
});
