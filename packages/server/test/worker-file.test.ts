/**
 * Worker files that cannot load (what a bundled application meets when it left them out): the
 * server thread's (`workerFile`) and a pocketsphinx decoder's (`decoderWorkerFile`, also through
 * the server thread) fail at once with a WorkerLoadError naming the option and the entry to
 * bundle, leaving no thread behind. (The bundled case itself is in packages/conformance/test/bundling.)
 */
import { startServerThread, WorkerLoadError } from "@earshot/server";
import { describe, expect, it } from "vitest";
import { liveDecoderThreads } from "../src/engines/pocketsphinx/decoder-thread.ts";
import { pocketsphinxEngine } from "../src/engines/pocketsphinx/index.ts";

const MISSING_SERVER_WORKER = "/nonexistent/earshot/server-thread-worker.js";
const MISSING_DECODER_WORKER = "/nonexistent/earshot/decoder-worker.js";

/** Worker threads (and their ports) show up as MessagePort resources while they run. */
function messagePorts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "MessagePort").length;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("a server worker file that cannot load", () => {
  it("startServerThread: WorkerLoadError naming workerFile and the entry to bundle; no thread left", async () => {
    const before = messagePorts();
    const error = await failure(startServerThread({ workerFile: MISSING_SERVER_WORKER }));
    expect(error).toBeInstanceOf(WorkerLoadError);
    expect(error).toMatchObject({ code: "ERR_WORKER_LOAD", option: "workerFile" });
    const { message, cause } = error as WorkerLoadError;
    expect(message).toContain(`The server thread's worker (file://${MISSING_SERVER_WORKER}) could not load`);
    expect(message).toContain("bundle @earshot/server/server-thread-worker as an entry point");
    expect(message).toContain("set the option workerFile");
    expect((cause as Error).message).toContain("Cannot find module");
    expect(messagePorts()).toBe(before);
  });

  it("pocketsphinxEngine: WorkerLoadError naming decoderWorkerFile; no decoder thread left", async () => {
    const error = await failure(
      Promise.resolve().then(
        pocketsphinxEngine({ decoderWorkerFile: MISSING_DECODER_WORKER, warmup: false }),
      ),
    );
    expect(error).toBeInstanceOf(WorkerLoadError);
    expect(error).toMatchObject({ code: "ERR_WORKER_LOAD", option: "decoderWorkerFile" });
    expect((error as Error).message).toContain(
      `decoder worker (file://${MISSING_DECODER_WORKER}) could not load`,
    );
    expect((error as Error).message).toContain("bundle @earshot/server/decoder-worker as an entry point");
    expect(liveDecoderThreads()).toBe(0);
  });

  it("through the server thread: the same WorkerLoadError, naming pocketsphinx.decoderWorkerFile", async () => {
    const before = messagePorts();
    const error = await failure(
      startServerThread({
        engine: "pocketsphinx",
        pocketsphinx: { decoderWorkerFile: MISSING_DECODER_WORKER, warmup: false },
      }),
    );
    expect(error).toBeInstanceOf(WorkerLoadError);
    expect(error).toMatchObject({ code: "ERR_WORKER_LOAD", option: "decoderWorkerFile" });
    expect((error as Error).message).toContain(
      "set the option decoderWorkerFile (pocketsphinx.decoderWorkerFile with startServerThread)",
    );
    expect(messagePorts()).toBe(before);
  });

  it("refuses what is not a path, file: or data: URL with a TypeError naming the option", async () => {
    await expect(startServerThread({ workerFile: 42 as never })).rejects.toThrow(
      /^workerFile must be a path, or a file: or data: URL; got number\.$/,
    );
    await expect(
      Promise.resolve().then(
        pocketsphinxEngine({ decoderWorkerFile: "https://example.com/x.js", warmup: false }),
      ),
    ).rejects.toThrow(/^pocketsphinxEngine: decoderWorkerFile must be a path, .*; got a https: URL\.$/);
  });
});
