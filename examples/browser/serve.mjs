// Live captions of the microphone in a web page (@earshot/async in the browser).
//
//   pnpm build && node examples/browser/serve.mjs     then open the address it prints
//
// Starts the local Deepgram-compatible server (offline pocketsphinx recognizer;
// EARSHOT_ENGINE=scripted for the fake one) and a small web server for the page on
// 127.0.0.1 (PORT, default: any free port). The page's code is bundled here with esbuild for
// the browser: `@earshot/async` resolves to its browser build through the `browser` export
// condition. The page asks this server for `config.json`: where to connect, and a token for
// it. Against Deepgram, that endpoint would mint a short-lived token with Deepgram's token
// grant API from a key kept on the server: an API key never goes to a page.
// Stops on Ctrl-C (or SIGTERM).
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveEngine, startServer } from "@earshot/server";
import { build } from "esbuild";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));

// The local server accepts this run's token only, as Deepgram accepts only its own.
const accessToken = randomBytes(16).toString("hex");
const listenServer = await startServer({
  engine: resolveEngine(process.env.EARSHOT_ENGINE ?? "pocketsphinx"),
  apiKeys: [accessToken],
});

const bundle = await build({
  entryPoints: [here("app.ts"), here("linear16-processor.ts")],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  outdir: "bundle",
  write: false,
  logLevel: "warning",
});

/** Everything the page loads, by path. */
const files = new Map([
  ["/", { type: "text/html; charset=utf-8", body: await readFile(here("index.html")) }],
  [
    "/config.json",
    { type: "application/json", body: JSON.stringify({ url: listenServer.url, accessToken }) },
  ],
  ...bundle.outputFiles.map((file) => [
    `/${basename(file.path)}`,
    { type: "text/javascript; charset=utf-8", body: file.contents },
  ]),
]);

const pageServer = createServer((request, response) => {
  const file = files.get(new URL(request.url ?? "/", "http://page").pathname);
  if (request.method !== "GET" || file === undefined) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(file.body);
});
await new Promise((resolve) => pageServer.listen(Number(process.env.PORT ?? 0), "127.0.0.1", resolve));
const { port } = pageServer.address();
// Only the address goes to stdout (a script can read it); the rest is for people, on stderr.
console.log(`http://127.0.0.1:${port}/`);
console.error(`Live captions page ready: open http://127.0.0.1:${port}/ and press Start (Ctrl-C stops).`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  pageServer.closeAllConnections();
  await new Promise((resolve) => pageServer.close(resolve));
  await listenServer.close();
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
