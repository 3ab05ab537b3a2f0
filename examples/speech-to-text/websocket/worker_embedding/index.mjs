// The threaded client's engine hosted in a worker thread the application already owns, instead
// of the worker earshot would start for itself (@earshot/threaded: serveLiveSessions).
//
//   node examples/speech-to-text/websocket/worker_embedding/index.mjs [file.wav]
//
// The worker here stands for the application's own background thread: it serves earshot's
// sessions on a MessagePort. The main thread streams a file through
// `new LiveClient({ engine: port })`; without DEEPGRAM_API_KEY it talks to a local server, which
// runs on a thread of its own (startServerThread) since the threaded client blocks this one.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { isMainThread, MessageChannel, parentPort, Worker, workerData } from "node:worker_threads";
import { startServerThread } from "@earshot/server";
import { LiveClient, LiveTranscriptionEvents, serveLiveSessions } from "@earshot/threaded";

if (!isMainThread) {
  // ---- the application's worker ----
  // Sessions of every LiveClient built with the other end of this port run on this thread.
  serveLiveSessions(workerData.enginePort);
  parentPort.once("message", () => {
    workerData.enginePort.close();
    parentPort.close();
  });
} else {
  // ---- the main thread ----
  const file = process.argv[2] ?? new URL("../../../audio/recording.wav", import.meta.url);
  const { port1, port2 } = new MessageChannel();
  const appWorker = new Worker(new URL(import.meta.url), {
    workerData: { enginePort: port2 },
    transferList: [port2],
  });
  // Deepgram when there is a key; otherwise an offline server (EARSHOT_ENGINE=scripted picks a fake
  // recognizer that speaks a fixed script — quick, for trying things out).
  const localServer = process.env.DEEPGRAM_API_KEY
    ? undefined
    : await startServerThread({ engine: process.env.EARSHOT_ENGINE ?? "pocketsphinx" });
  if (localServer) console.error(`No DEEPGRAM_API_KEY: using the local server at ${localServer.url}`);

  const client = new LiveClient({ engine: port1, ...(localServer ? { url: localServer.url } : {}) });
  client.on(LiveTranscriptionEvents.Transcript, (result) => {
    const transcript = result.channel.alternatives[0]?.transcript;
    if (result.is_final && transcript) console.log(transcript);
  });
  client.on(LiveTranscriptionEvents.Error, (error) => console.error(`Error: ${error.message}`));

  if (client.start({ model: "nova-3", smart_format: true })) {
    // A WAV file in 100 ms chunks; send() hands each to the worker without waiting on the network.
    const audio = readFileSync(file);
    for (let offset = 0; offset < audio.length; offset += 3200)
      client.send(audio.subarray(offset, offset + 3200));
    client.finish(); // returns once every final result has been printed
  } else {
    process.exitCode = 1;
  }
  port1.close();
  appWorker.postMessage("stop");
  await once(appWorker, "exit");
  await localServer?.close();
}
