// Live transcription of an HTTP audio stream (an internet radio station, say) with the async
// client (@earshot/async).
//
//   node examples/speech-to-text/websocket/async_http/index.mjs [URL]
//
// Without a URL it starts a small local "radio station" that plays the bundled recording at
// its real speed (RADIO_SPEED=4 plays it four times faster).
// With DEEPGRAM_API_KEY set it talks to Deepgram; without, to a local server on this machine.
import { AsyncLiveClient } from "@earshot/async";
import { resolveEngine, startServer } from "@earshot/server";
import { startRadio } from "../radio-station.mjs";

const radio = process.argv[2]
  ? undefined
  : await startRadio(
      new URL("../../../audio/recording.wav", import.meta.url),
      Number(process.env.RADIO_SPEED ?? 1),
    );
const url = process.argv[2] ?? radio.url;

// Deepgram when there is a key; otherwise an offline server (EARSHOT_ENGINE=scripted picks a fake
// recognizer that speaks a fixed script — quick, for trying things out).
let server;
if (!process.env.DEEPGRAM_API_KEY) {
  server = await startServer({
    engine: resolveEngine(process.env.EARSHOT_ENGINE ?? "pocketsphinx"),
  });
  console.error(`No DEEPGRAM_API_KEY: using the local server at ${server.url}`);
}

const client = new AsyncLiveClient(server ? { url: server.url } : {});
try {
  // No encoding: the stream is a WAV (MP3, Ogg… too on Deepgram), and the server reads its header.
  await client.start({ model: "nova-3", smart_format: true });
  console.error(`Listening to ${url}`);

  const printing = (async () => {
    for await (const result of client.finals()) {
      const transcript = result.channel.alternatives[0]?.transcript;
      if (transcript) console.log(transcript);
    }
  })();
  printing.catch(() => {}); // a lost connection is reported by finish() below

  const response = await fetch(url);
  await client.sendFrom(response.body); // a Web ReadableStream, read as it downloads
  await client.finish();
  await printing;
} catch (error) {
  console.error(`Error: ${error.message}`);
  process.exitCode = 1;
} finally {
  radio?.close();
  await server?.close();
}
