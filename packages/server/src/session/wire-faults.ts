/**
 * The fault plan's wire-level faults for one `/v1/listen` session: what a broken server or
 * proxy does below the WebSocket layer (raw frames past `ws`'s checks, frames after the close
 * frame, TCP kept open after it, a reset with or without half a frame first), and the protocol-level omissions
 * (CloseStream or Finalize ignored, no Metadata).
 */
import { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { FaultPlan } from "../server-options.ts";
import { encodeFrame, halfFrame } from "./raw-frame.ts";

export class WireFaults {
  readonly #ws: WebSocket;
  readonly #tcp: Duplex;
  readonly #plan: FaultPlan;
  #reset = false;

  constructor(ws: WebSocket, tcp: Duplex, plan: FaultPlan) {
    this.#ws = ws;
    this.#tcp = tcp;
    this.#plan = plan;
  }

  get ignoresCloseStream(): boolean {
    return this.#plan.ignoreCloseStream === true;
  }

  get ignoresFinalize(): boolean {
    return this.#plan.ignoreFinalize === true;
  }

  get omitsMetadata(): boolean {
    return this.#plan.omitMetadata === true;
  }

  /** Right after open: raw frames, then an oversized message. */
  opened(): void {
    for (const frame of this.#plan.rawFramesAfterOpen ?? []) {
      this.#tcp.write(encodeFrame(frame.kind, Buffer.from(frame.dataBase64, "base64")));
    }
    const tiny = this.#plan.tinyFrames ?? 0;
    if (tiny > 0) {
      const frames: Buffer[] = [];
      for (let n = 0; n < tiny; n++)
        frames.push(encodeFrame("text", Buffer.from(`{"type":"Tick","n":${n}}`)));
      this.#tcp.write(Buffer.concat(frames));
    }
    const large = this.#plan.largeMessageBytes;
    if (large !== undefined) this.#ws.send(Buffer.alloc(large, 0x61), { binary: false });
  }

  /** Before the close frame goes out. */
  beforeCloseFrame(): void {
    // Never reading the client's answering close frame, ws never ends the TCP connection.
    if (this.#plan.keepTcpOpenAfterClose === true) this.#ws.pause();
  }

  /** Once the close frame has been handed to the socket. */
  afterCloseFrame(results: () => string): void {
    const count = this.#plan.resultsAfterClose ?? 0;
    for (let index = 0; index < count; index++) {
      this.#tcp.write(encodeFrame("text", Buffer.from(results())));
    }
  }

  /** After `total` audio bytes: a TCP reset, after half a frame when the plan says so. */
  audioReceived(total: number): void {
    if (this.#reset) return;
    const { resetAfterBytes, resetMidFrameAfterBytes } = this.#plan;
    if (resetAfterBytes !== undefined && total >= resetAfterBytes) {
      this.#reset = true;
      this.#resetTcp();
    } else if (resetMidFrameAfterBytes !== undefined && total >= resetMidFrameAfterBytes) {
      this.#reset = true;
      this.#tcp.write(halfFrame(), () => this.#resetTcp());
    }
  }

  #resetTcp(): void {
    if (this.#tcp instanceof Socket) this.#tcp.resetAndDestroy();
    else this.#tcp.destroy();
  }
}
