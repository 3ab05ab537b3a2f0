// The local server on its own thread (started by server-thread.ts). The threaded client blocks
// its caller's thread in start() and finish(); a server on that same thread could not answer
// meanwhile, so both faces talk to a server here, as they would to a remote one.
// workerData: { options: plain ServerOptions without engine, engine: EngineSpec }.
// Messages in: "close" (close the server, then end the thread). Out: { url } once listening,
// or { error } when the server could not start.
import { parentPort, workerData } from "node:worker_threads";
import { pocketsphinxEngine, scriptedEngine, startServer } from "@earshot/server";

function engineFactory(spec) {
  if (spec?.name === "pocketsphinx") return pocketsphinxEngine(spec.options ?? {});
  return scriptedEngine(spec?.script ?? {});
}

try {
  const server = await startServer({ ...workerData.options, engine: engineFactory(workerData.engine) });
  parentPort.on("message", async (message) => {
    if (message !== "close") return;
    await server.close();
    parentPort.close();
  });
  parentPort.postMessage({ url: server.url });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  parentPort.close();
}
