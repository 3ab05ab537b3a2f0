/**
 * Live captions of the microphone in a web page, with `@earshot/async`'s browser build:
 * getUserMedia → an AudioWorklet that makes 16 kHz linear16 → a Web `ReadableStream` →
 * `client.sendFrom()`; captions from `for await (const result of client.transcripts())`.
 *
 * Where to connect comes from the page's own server (`config.json`): its URL, and a
 * short-lived access token sent as the `bearer` subprotocol (a page must never hold an API key).
 */
import { AsyncLiveClient } from "@earshot/async";
import type { ResultsMessage } from "@earshot/core";

interface CaptionsConfig {
  /** The listen server's base URL, e.g. `ws://127.0.0.1:8080` or `wss://api.deepgram.com`. */
  readonly url: string;
  /** A short-lived token for it (Deepgram: from the token-grant API, minted by the page's server). */
  readonly accessToken?: string;
}

/** 16 kHz, 2 bytes a sample, mono. */
const BYTES_PER_SECOND = 32_000;
/** How long `finish()` waits for the last results: a slow offline recognizer may still be catching up. */
const FINISH_TIMEOUT_MS = 30_000;

/** What the page shows as its state (also `data-state`, which the browser test reads). */
type PageState = "idle" | "starting" | "listening" | "finishing" | "closed" | "failed";

const elements = {
  start: document.querySelector<HTMLButtonElement>("#start"),
  stop: document.querySelector<HTMLButtonElement>("#stop"),
  status: document.querySelector<HTMLElement>("#status"),
  finals: document.querySelector<HTMLOListElement>("#finals"),
  interim: document.querySelector<HTMLElement>("#interim"),
  captured: document.querySelector<HTMLElement>("#captured"),
};

function element<T>(value: T | null, name: string): T {
  if (value === null) throw new Error(`the page has no ${name}`);
  return value;
}
const startButton = element(elements.start, "#start");
const stopButton = element(elements.stop, "#stop");
const statusLine = element(elements.status, "#status");
const finalsList = element(elements.finals, "#finals");
const interimLine = element(elements.interim, "#interim");
const capturedLine = element(elements.captured, "#captured");

function show(state: PageState, text: string): void {
  statusLine.dataset.state = state;
  statusLine.textContent = text;
  startButton.disabled = state !== "idle" && state !== "closed" && state !== "failed";
  stopButton.disabled = state !== "listening";
}

/** The microphone as a stream of 16 kHz linear16 chunks, and how to end it. */
interface Microphone {
  readonly audio: ReadableStream<Uint8Array>;
  /** Sends the last partial chunk, ends `audio`, and releases the device. */
  stop(): Promise<void>;
}

async function openMicrophone(onAudio: (seconds: number) => void): Promise<Microphone> {
  // The converter is ready before the microphone opens, so no audio is captured into nothing.
  const context = new AudioContext();
  let media: MediaStream;
  try {
    await context.audioWorklet.addModule("linear16-processor.js");
    media = await navigator.mediaDevices.getUserMedia({
      // The recognizer wants the voice as it is: no processing meant for calls.
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
  } catch (error) {
    await context.close();
    throw error;
  }
  const converter = new AudioWorkletNode(context, "linear16", { numberOfInputs: 1, numberOfOutputs: 0 });
  const source = context.createMediaStreamSource(media);
  let capturedBytes = 0;
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const audio = new ReadableStream<Uint8Array>({
    start(controller) {
      converter.port.onmessage = (event: MessageEvent<ArrayBuffer | "end">) => {
        if (event.data === "end") {
          // A stream the client cancelled (the connection failed) is closed already.
          if (controller.desiredSize !== null) controller.close();
          ended();
        } else if (controller.desiredSize !== null) {
          controller.enqueue(new Uint8Array(event.data));
          capturedBytes += event.data.byteLength;
          onAudio(capturedBytes / BYTES_PER_SECOND);
        }
      };
    },
  });
  source.connect(converter);
  const release = async (): Promise<void> => {
    source.disconnect();
    for (const track of media.getTracks()) track.stop();
    await context.close();
  };
  return {
    audio,
    async stop() {
      converter.port.postMessage("flush");
      await end;
      await release();
    },
  };
}

function transcriptOf(result: ResultsMessage): string {
  return result.channel.alternatives[0]?.transcript ?? "";
}

/** Captions: each utterance one line, growing with each final result; interim words in grey after it. */
async function showCaptions(client: AsyncLiveClient): Promise<void> {
  let line: HTMLLIElement | undefined;
  for await (const result of client.transcripts()) {
    const text = transcriptOf(result);
    if (!result.is_final) {
      interimLine.textContent = text;
      continue;
    }
    interimLine.textContent = "";
    if (text !== "") {
      line ??= finalsList.appendChild(document.createElement("li"));
      line.textContent = line.textContent === "" ? text : `${line.textContent} ${text}`;
    }
    // The speaker paused: the next words start a new line.
    if (result.speech_final) line = undefined;
  }
}

async function run(config: CaptionsConfig): Promise<void> {
  show("starting", "Opening the microphone…");
  finalsList.replaceChildren();
  interimLine.textContent = "";
  capturedLine.textContent = "";
  const client = new AsyncLiveClient({
    url: config.url,
    ...(config.accessToken === undefined ? {} : { accessToken: config.accessToken }),
  });
  const captions = showCaptions(client);
  captions.catch(() => {}); // a failed stream is reported where it is awaited, below
  let microphone: Microphone | undefined;
  try {
    microphone = await openMicrophone((seconds) => {
      capturedLine.dataset.seconds = seconds.toFixed(2);
      capturedLine.textContent = `${seconds.toFixed(1)} s of audio captured`;
    });
    // The microphone is open first: what is said while connecting waits in the stream.
    await client.start({
      model: "nova-3",
      encoding: "linear16",
      sample_rate: 16000,
      channels: 1,
      interim_results: true,
      smart_format: true,
    });
    show("listening", "Listening: speak, then press Stop.");
    const stopped = new Promise<void>((resolve) => {
      stopButton.onclick = () => resolve();
    });
    // Waits for the socket whenever it is behind (backpressure from bufferedAmount).
    const sending = client.sendFrom(microphone.audio);
    sending.catch(() => {}); // awaited below, after Stop
    // Until Stop, or until the stream ends on its own (the captions loop rejects if it failed).
    await Promise.race([stopped, captions]);
    show("finishing", "Finishing: the last words are on their way…");
    await microphone.stop();
    await sending;
    const metadata = await client.finish({ timeout: FINISH_TIMEOUT_MS });
    await captions;
    show("closed", `Done: ${metadata?.duration.toFixed(1) ?? "?"} s of audio transcribed.`);
  } catch (error) {
    client.abort(error);
    await microphone?.stop().catch(() => {});
    show("failed", `Failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const config = (await (await fetch("config.json")).json()) as CaptionsConfig;
startButton.onclick = () => void run(config);
show("idle", "Press Start to caption the microphone.");
