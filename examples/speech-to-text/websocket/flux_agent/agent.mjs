// The agent's side of a conversation: a reply is drafted as soon as Flux says the turn has
// probably ended (EagerEndOfTurn), thrown away if the speaker goes on (TurnResumed), and said
// when the turn really ends (EndOfTurn). The "language model" here is a local stub that takes
// a moment, as a real one would; drafting it early is what hides that moment from the user.

/** Makes the reply to `transcript` in `thinkMs`, unless `signal` aborts first. */
function stubReply(transcript, thinkMs, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(`(you said ${JSON.stringify(transcript)})`), thinkMs);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** One conversation's replies. `say` prints what the agent says. */
export class Agent {
  #draft; // { transcript, controller, reply }
  #thinkMs;
  #say;
  #pending = new Set();
  drafted = 0;
  cancelled = 0;
  committed = 0;

  constructor({ thinkMs = 300, say }) {
    this.#thinkMs = thinkMs;
    this.#say = say;
  }

  /** EagerEndOfTurn: start drafting the reply to what was said so far. */
  draft(transcript) {
    this.cancel();
    const controller = new AbortController();
    const reply = stubReply(transcript, this.#thinkMs, controller.signal);
    reply.catch(() => {}); // a cancelled draft is not an error
    this.#draft = { transcript, controller, reply };
    this.drafted++;
  }

  /** TurnResumed (or the speaker interrupting): the draft answers a turn that is not over. */
  cancel() {
    if (this.#draft === undefined) return;
    this.#draft.controller.abort(new Error("the speaker went on"));
    this.#draft = undefined;
    this.cancelled++;
  }

  /** EndOfTurn: say the reply, the draft's if it answers this very transcript, else a fresh one. */
  commit(transcript) {
    const draft = this.#draft?.transcript === transcript ? this.#draft : undefined;
    this.#draft = undefined;
    const reply = draft?.reply ?? stubReply(transcript, this.#thinkMs, new AbortController().signal);
    const early = draft !== undefined;
    const saying = reply.then((text) => {
      this.committed++;
      this.#say(`agent${early ? " (drafted early)" : ""}: ${text}`);
    });
    this.#pending.add(saying);
    saying.finally(() => this.#pending.delete(saying));
  }

  /** Resolves once every committed reply has been said. */
  async settled() {
    await Promise.all(this.#pending);
  }
}
