import { readFixture, waitFor } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type LocalServer, startServer } from "../src/index.ts";
import { connect, keyShape, refusedUpgrade } from "./helpers/ws-client.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY = "0123456789abcdef0123456789abcdef01234567";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("handshake", () => {
  it("accepts /v1/listen and puts a dg-request-id on the 101", async () => {
    server = await startServer();
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const client = await connect(server.url, "encoding=linear16&sample_rate=16000");
    expect(client.headers["dg-request-id"]).toMatch(UUID);
    expect(server.sessionCount).toBe(1);
    client.ws.close();
    await client.closed;
  });

  it("answers 404 off the live path, with dg-request-id and dg-error", async () => {
    server = await startServer();
    const refused = await refusedUpgrade(server.url, "/v1/speak");
    expect(refused.status).toBe(404);
    expect(refused.headers["dg-request-id"]).toMatch(UUID);
    expect(refused.headers["dg-error"]).toContain("/v1/speak");
  });

  it("refuses a bad query with 400, dg-error naming the parameter, and a JSON body", async () => {
    server = await startServer();
    const refused = await refusedUpgrade(server.url, "/v1/listen?encoding=linear16&channels=two");
    expect(refused.status).toBe(400);
    const body = JSON.parse(refused.body) as { err_code: string; err_msg: string; request_id: string };
    expect(Object.keys(body)).toEqual(["err_code", "err_msg", "request_id"]);
    expect(body.err_code).toBe("Bad Request");
    expect(body.err_msg).toContain("channels");
    expect(body.err_msg).toContain("sample_rate");
    expect(body.request_id).toBe(refused.headers["dg-request-id"]);
    expect(refused.headers["dg-error"]).toBe(body.err_msg);
  });

  it("refuses a missing or wrong key with 401 shaped as the recorded refusal", async () => {
    server = await startServer({ apiKeys: [KEY] });
    const fixture = JSON.parse(readFixture("messages/HandshakeError.401.observed.json")) as {
      status: number;
      body: unknown;
    };
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: "Token wrong-key" },
      { Authorization: `Basic ${KEY}` },
    ];
    for (const headers of attempts) {
      const refused = await refusedUpgrade(server.url, "/v1/listen", { headers });
      expect(refused.status).toBe(fixture.status);
      const body = JSON.parse(refused.body) as { err_code: string; err_msg: string; request_id: string };
      expect(keyShape(body)).toEqual(keyShape(fixture.body));
      expect(body).toMatchObject({ err_code: "INVALID_AUTH", err_msg: "Invalid credentials." });
      expect(body.request_id).toMatch(UUID);
      expect(refused.headers["dg-request-id"]).toBe(body.request_id);
      expect(refused.headers["dg-error"]).toBe("Invalid credentials.");
      expect(refused.body).not.toContain(KEY);
    }
  });

  it("accepts the key by Authorization header: Token, token and Bearer", async () => {
    server = await startServer({ apiKeys: ["other", KEY] });
    for (const scheme of ["Token", "token", "Bearer"]) {
      const client = await connect(server.url, "", { headers: { Authorization: `${scheme} ${KEY}` } });
      expect(client.headers["dg-request-id"]).toMatch(UUID);
      client.ws.close();
      await client.closed;
    }
  });

  it("accepts the key by subprotocol and echoes the scheme back", async () => {
    server = await startServer({ apiKeys: [KEY] });
    for (const scheme of ["token", "bearer"]) {
      const client = await connect(server.url, "", { protocols: [scheme, KEY] });
      expect(client.ws.protocol).toBe(scheme);
      client.ws.close();
      await client.closed;
    }
    const refused = await refusedUpgrade(server.url, "/v1/listen", { protocols: ["token", "not-the-key"] });
    expect(refused.status).toBe(401);
  });

  it("refuses with any status a fault plan asks for", async () => {
    server = await startServer({
      faults: { refuseWith: { status: 429, errMsg: "Too many concurrent requests." } },
    });
    const refused = await refusedUpgrade(server.url, "/v1/listen");
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({
      err_code: "TOO_MANY_REQUESTS",
      err_msg: "Too many concurrent requests.",
    });
    expect(refused.headers["dg-request-id"]).toMatch(UUID);
  });

  it("refuses with 429 beyond maxConcurrentSessions, and admits again once one closes", async () => {
    server = await startServer({ maxConcurrentSessions: 2 });
    const first = await connect(server.url);
    const second = await connect(server.url);
    const refused = await refusedUpgrade(server.url, "/v1/listen");
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ err_code: "TOO_MANY_REQUESTS" });
    first.ws.close();
    await first.closed;
    await waitFor(() => server?.sessionCount === 1, "the first session to be released");
    const third = await connect(server.url);
    for (const client of [second, third]) {
      client.ws.close();
      await client.closed;
    }
  });

  it("chooses faults per request when given a function", async () => {
    server = await startServer({
      faults: (request) =>
        request.url?.includes("tag=refuse") ? { refuseWith: { status: 503 } } : undefined,
    });
    expect((await refusedUpgrade(server.url, "/v1/listen?tag=refuse")).status).toBe(503);
    const client = await connect(server.url, "tag=fine");
    client.ws.close();
    await client.closed;
  });

  it("answers 500 when the fault plan function throws", async () => {
    server = await startServer({
      faults: () => {
        throw new Error("broken plan");
      },
    });
    const refused = await refusedUpgrade(server.url, "/v1/listen");
    expect(refused.status).toBe(500);
    expect(refused.body).not.toContain("broken plan");
  });

  it("answers a plain HTTP request with 426 and a request id", async () => {
    server = await startServer();
    const response = await fetch(`${server.url.replace("ws:", "http:")}/v1/listen`);
    expect(response.status).toBe(426);
    expect(response.headers.get("dg-request-id")).toMatch(UUID);
    expect(await response.json()).toMatchObject({ err_code: "UPGRADE_REQUIRED" });
    const elsewhere = await fetch(`${server.url.replace("ws:", "http:")}/v1/projects`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get("dg-request-id")).toMatch(UUID);
    await elsewhere.body?.cancel();
  });
});
