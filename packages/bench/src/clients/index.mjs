// Every contender by name: the client library and the way it is used. Each adapter is imported
// only by the process that runs it, so no contender pays for loading the others.

/** @typedef {import("./common.mjs").OpenArgs} OpenArgs */
/** @typedef {(args: OpenArgs) => Promise<import("./common.mjs").Connection>} Open */

const rawWs = async (args) => (await import("./raw-ws.mjs")).openRawWs(args);
const earshotAsync =
  (style, extra = {}) =>
  async (args) =>
    (await import("./earshot-async.mjs")).openEarshotAsync({ ...args, ...extra }, style);
const earshotThreaded = async (args) => (await import("./earshot-threaded.mjs")).openEarshotThreaded(args);
const deepgramV5 = async (args) => (await import("./deepgram-v5.mjs")).openDeepgramV5(args);
const deepgramV4 = async (args) => (await import("./deepgram-v4.mjs")).openDeepgramV4(args);

/**
 * `ownKeepAlive`: the client sends KeepAlive by itself when idle (the others get an application
 * timer in the scenarios that need one).
 * @type {Record<string, { label: string, ownKeepAlive?: boolean, threaded?: boolean, open: Open }>}
 */
export const CONTENDERS = {
  ws: { label: "raw ws (floor)", open: rawWs },
  async: { label: "earshot async", ownKeepAlive: true, open: earshotAsync({ send: "send", receive: "on" }) },
  "async:send": {
    label: "earshot async, send() awaited",
    ownKeepAlive: true,
    open: earshotAsync({ send: "send", receive: "on" }),
  },
  "async:sendFrom": {
    label: "earshot async, sendFrom()",
    ownKeepAlive: true,
    open: earshotAsync({ send: "sendFrom", receive: "on" }),
  },
  "async:for-await": {
    label: "earshot async, for await",
    ownKeepAlive: true,
    open: earshotAsync({ send: "send", receive: "for-await" }),
  },
  "async:on": {
    label: "earshot async, on()",
    ownKeepAlive: true,
    open: earshotAsync({ send: "send", receive: "on" }),
  },
  "async:reconnect": {
    label: "earshot async, reconnect on",
    ownKeepAlive: true,
    open: earshotAsync({ send: "send", receive: "on" }, { reconnect: true }),
  },
  threaded: { label: "earshot threaded", ownKeepAlive: true, open: earshotThreaded, threaded: true },
  "dg-v5": { label: "@deepgram/sdk v5", open: deepgramV5 },
  "dg-v4": { label: "@deepgram/sdk v4", open: deepgramV4 },
};
