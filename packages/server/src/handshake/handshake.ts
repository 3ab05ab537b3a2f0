/**
 * Decides what to do with an upgrade request, before any WebSocket exists: the path, a fault
 * plan's refusal, authentication, and the query (parsed with core's option schema).
 */
import type { IncomingMessage } from "node:http";
import {
  FLUX_PATH,
  type FluxOptions,
  type LiveOptions,
  parseFluxQuery,
  parseListenQuery,
} from "@earshot/core";
import type { FaultPlan, ServerOptions } from "../server-options.ts";
import { isAcceptedKey, readCredential } from "./auth.ts";
import { defaultErrCode, type Refusal } from "./refuse.ts";

/** The path of the live endpoint. */
export const LISTEN_PATH = "/v1/listen";

export type HandshakeDecision =
  | {
      readonly accept: true;
      readonly version: "v1";
      readonly options: LiveOptions;
      readonly faults: FaultPlan | undefined;
    }
  | {
      readonly accept: true;
      readonly version: "v2";
      readonly options: FluxOptions;
      readonly faults: FaultPlan | undefined;
    }
  | { readonly accept: false; readonly refusal: Refusal };

export function decideHandshake(request: IncomingMessage, server: ServerOptions): HandshakeDecision {
  const url = new URL(request.url ?? "/", "http://localhost");
  const flux = url.pathname === FLUX_PATH;
  if (url.pathname !== LISTEN_PATH && !flux) {
    return refuse(
      404,
      "NOT_FOUND",
      `No such endpoint: ${url.pathname}. The live endpoints are ${LISTEN_PATH} and ${FLUX_PATH}.`,
    );
  }
  const shape = flux ? "v2" : "v1";
  let faults: FaultPlan | undefined;
  try {
    faults = typeof server.faults === "function" ? server.faults(request) : server.faults;
  } catch {
    return refuse(500, "INTERNAL_SERVER_ERROR", "The fault plan function threw.", shape);
  }
  const refuseWith = faults?.refuseWith;
  if (refuseWith !== undefined) {
    return refuse(
      refuseWith.status,
      refuseWith.errCode ?? defaultErrCode(refuseWith.status),
      refuseWith.errMsg ?? `Refused with ${refuseWith.status} by the fault plan.`,
      shape,
    );
  }
  const keys = server.apiKeys;
  if (keys !== undefined && !isAcceptedKey(readCredential(request), keys)) {
    return refuse(401, "INVALID_AUTH", "Invalid credentials.", shape);
  }
  if (flux) {
    const { options, problems } = parseFluxQuery(url.searchParams);
    if (problems.length === 0) return { accept: true, version: "v2", options, faults };
    return refuse(400, "INVALID_PARAMETER", `Invalid query parameters. ${describeProblems(problems)}`, shape);
  }
  const { options, problems } = parseListenQuery(url.searchParams);
  if (problems.length > 0) {
    return refuse(400, "Bad Request", `Invalid query parameters. ${describeProblems(problems)}`);
  }
  return { accept: true, version: "v1", options, faults };
}

function describeProblems(problems: readonly { option: string; message: string }[]): string {
  return problems.map((problem) => `${problem.option}: ${problem.message}`).join("; ");
}

function refuse(
  status: number,
  errCode: string,
  errMsg: string,
  shape: "v1" | "v2" = "v1",
): HandshakeDecision {
  return { accept: false, refusal: { status, errCode, errMsg, shape } };
}
