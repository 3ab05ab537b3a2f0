// The consumer for the transferred-buffer measurement: takes each ArrayBuffer (as an engine
// would hand it to its socket) and acknowledges the total at the end.
import { parentPort } from "node:worker_threads";

let bytes = 0;
parentPort.on("message", (message) => {
  if (message === "done") parentPort.postMessage(bytes);
  else bytes += message.byteLength;
});
