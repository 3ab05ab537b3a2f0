// A small local "radio station" for the http and async_http examples: it serves a WAV file over
// HTTP no faster than it plays, so the examples have a live stream to listen to without a network.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

/** Serves a WAV file over HTTP no faster than it plays, like a live stream. */
export async function startRadio(file, speed) {
  const audio = readFileSync(file);
  const bytesPerSecond = audio.readUInt32LE(28); // the WAV header's byte rate
  const slice = Math.round(bytesPerSecond / 10 / 2) * 2; // 100 ms of 16-bit audio
  const station = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "audio/wav" });
    let offset = 0;
    const timer = setInterval(() => {
      response.write(audio.subarray(offset, offset + slice));
      offset += slice;
      if (offset >= audio.length) {
        clearInterval(timer);
        response.end();
      }
    }, 100 / speed);
    response.once("close", () => clearInterval(timer));
  });
  await new Promise((resolve) => station.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${station.address().port}/radio.wav`, close: () => station.close() };
}
