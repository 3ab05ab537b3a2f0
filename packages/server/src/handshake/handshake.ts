/**
 * Decides what to do with an upgrade request, before any WebSocket exists: the path, a fault
 * plan's refusal, authentication, and the query (parsed with core's option schema).
 */
import type { IncomingMessage } from "node:http";
import { type LiveOptions, parseListenQuery } from "@earshot/core";
import type { FaultPlan, ServerOptions } from "../server-options.ts";
import { isAcceptedKey, readCredential } from "./auth.ts";
import { defaultErrCode, type Refusal } from "./refuse.ts";

/** The path of the live endpoint. */
export const LISTEN_PATH = "/v1/listen";

export type HandshakeDecision =
  | { readonly accept: true; readonly options: LiveOptions; readonly faults: FaultPlan | undefined }
  | { readonly accept: false; readonly refusal: Refusal };

export function decideHandshake(request: IncomingMessage, server: ServerOptions): HandshakeDecision {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (url.pathname !== LISTEN_PATH) {
    return refuse(
      404,
      "NOT_FOUND",
      `No such endpoint: ${url.pathname}. The live endpoint is ${LISTEN_PATH}.`,
    );
  }
  let faults: FaultPlan | undefined;
  try {
    faults = typeof server.faults === "function" ? server.faults(request) : server.faults;
  } catch {
    return refuse(500, "INTERNAL_SERVER_ERROR", "The fault plan function threw.");
  }
  const refuseWith = faults?.refuseWith;
  if (refuseWith !== undefined) {
    return refuse(
      refuseWith.status,
      refuseWith.errCode ?? defaultErrCode(refuseWith.status),
      refuseWith.errMsg ?? `Refused with ${refuseWith.status} by the fault plan.`,
    );
  }
  const keys = server.apiKeys;
  if (keys !== undefined && !isAcceptedKey(readCredential(request), keys)) {
    return refuse(401, "INVALID_AUTH", "Invalid credentials.");
  }
  const { options, problems } = parseListenQuery(url.searchParams);
  if (problems.length > 0) {
    const detail = problems.map((problem) => `${problem.option}: ${problem.message}`).join("; ");
    return refuse(400, "Bad Request", `Invalid query parameters. ${detail}`);
  }
  return { accept: true, options, faults };
}

function refuse(status: number, errCode: string, errMsg: string): HandshakeDecision {
  return { accept: false, refusal: { status, errCode, errMsg } };
}
