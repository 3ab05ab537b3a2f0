/**
 * A small application as a user would write it, bundled by esbuild-bundle.test.ts (ESM and
 * CommonJS) and run with node from a folder with no node_modules: a local server on a thread
 * of its own, the threaded LiveClient streaming speech-like audio to it, the final transcript
 * printed as JSON. How it finds the worker files comes from argv[2]:
 *   files  — the per-call options (startServerThread's workerFile, LiveClient's engineWorkerFile)
 *   global — workerFile, and setEngineWorkerUrl() for every client
 *   inline — the inlined workers (data: URLs), no worker file at all
 *   none   — no option: the workers are not beside the bundle, so both must fail at once
 *   pocketsphinx — files, with the real recognizer on the server thread (its decoder worker
 *            named by pocketsphinx.decoderWorkerFile) transcribing speech.raw beside the bundle
 * Not an async main at the top level: CommonJS output has no top-level await.
 */
import { readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { startServerThread } from "@earshot/server";
import { inlineServerThreadWorker } from "@earshot/server/inline-server-thread-worker";
import { LiveClient, LiveTranscriptionEvents, setEngineWorkerUrl, shutdownEngines } from "@earshot/threaded";
import { inlineEngineWorker } from "@earshot/threaded/inline-engine-worker";

const TRANSCRIPT = "bundled applications hear every word";
const mode = process.argv[2] ?? "none";
// The bundle's own folder and extension (.mjs or .cjs): argv works in both output formats.
const bundle = process.argv[1] ?? "";
const workerFile = (name) => join(dirname(bundle), "workers", `${name}${extname(bundle)}`);

/** Square-wave "speech" (the scripted engine hears any 10 ms window above its threshold), then silence. */
function speech(seconds, pauseSeconds) {
  const samples = new Int16Array(Math.round((seconds + pauseSeconds) * 16_000));
  const loud = Math.round(seconds * 16_000);
  for (let i = 0; i < loud; i++) samples[i] = Math.floor(i / 20) % 2 === 0 ? 8_000 : -8_000;
  return new Uint8Array(samples.buffer);
}

function serverThreadOptions() {
  if (mode === "pocketsphinx") {
    return {
      engine: "pocketsphinx",
      workerFile: workerFile("server-thread-worker"),
      pocketsphinx: { decoderWorkerFile: workerFile("decoder-worker"), warmup: false },
    };
  }
  if (mode === "files" || mode === "global") return { workerFile: workerFile("server-thread-worker") };
  if (mode === "inline") return { workerFile: inlineServerThreadWorker() };
  return {};
}

function clientOptions() {
  if (mode === "files" || mode === "pocketsphinx") return { engineWorkerFile: workerFile("engine-worker") };
  if (mode === "inline") return { engineWorkerFile: inlineEngineWorker() };
  if (mode === "global") setEngineWorkerUrl(workerFile("engine-worker"));
  return {};
}

const describe = (error) => ({
  name: error.name,
  code: error.code,
  option: error.option,
  message: error.message,
});

async function main() {
  const report = { finals: [], errors: [] };
  let server;
  try {
    server = await startServerThread({ script: { transcript: TRANSCRIPT }, ...serverThreadOptions() });
  } catch (error) {
    report.serverError = describe(error);
  }
  // Without a server, a port nothing listens on: the engine must fail before any connection.
  const client = new LiveClient({ url: server?.url ?? "ws://127.0.0.1:9", ...clientOptions() });
  client.on(LiveTranscriptionEvents.Transcript, (result) => {
    if (result.is_final) report.finals.push(result.channel.alternatives[0]?.transcript ?? "");
  });
  client.on(LiveTranscriptionEvents.Error, (error) => report.errors.push(describe(error)));
  const startedAt = performance.now();
  report.opened = client.start({ encoding: "linear16", sample_rate: 16_000 });
  report.startMs = Math.round(performance.now() - startedAt);
  if (report.opened) {
    client.send(
      mode === "pocketsphinx" ? readFileSync(join(dirname(bundle), "speech.raw")) : speech(2.4, 0.5),
    );
    report.cleanClose = client.finish();
  }
  await server?.close();
  await shutdownEngines();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
