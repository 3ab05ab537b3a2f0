/** Where a threaded client's options become its `ThreadedStream` (one job, kept out of that class's file). */
import { assertKnownOptions, resolveClientOptions } from "@earshot/core";
import type { EventPipeline, PipelineEvents } from "@earshot/core/internal";
import { engineWorkerFileUrl, setEnginePoolSize } from "./engine-pool.ts";
import { checkLiveClientOptions, engineClientOptions, type LiveClientOptions } from "./options.ts";
import { normalizeRingBytes } from "./shared-state.ts";
import { ThreadedStream } from "./threaded-stream.ts";

/**
 * The stream machinery of a threaded client from its options (shared by `LiveClient` and
 * `FluxClient`): unknown options refused, limits and timeouts resolved, the pool sized.
 * @internal
 */
export function threadedStreamFor(
  options: LiveClientOptions,
  names: readonly string[],
  pipeline: EventPipeline<PipelineEvents>,
): ThreadedStream {
  assertKnownOptions(options, names);
  checkLiveClientOptions(options);
  const {
    engine,
    ringBytes,
    sendTimeoutMs,
    maxBufferedEvents,
    poolSize,
    engineWorkerFile,
    ...clientOptions
  } = options;
  const resolved = resolveClientOptions(clientOptions);
  if (poolSize !== undefined && engine === undefined) setEnginePoolSize(poolSize);
  return new ThreadedStream(
    {
      clientOptions: engineClientOptions(clientOptions, resolved.apiKey),
      engine,
      engineWorkerUrl:
        engineWorkerFile === undefined
          ? undefined
          : engineWorkerFileUrl(engineWorkerFile, "engineWorkerFile"),
      limits: {
        ringBytes: normalizeRingBytes(ringBytes ?? 256 * 1024),
        sendTimeoutMs: sendTimeoutMs ?? 10_000,
      },
      maxBufferedEvents: maxBufferedEvents ?? 10_000,
      connectTimeoutMs: resolved.connectTimeoutMs,
      finishTimeoutMs: resolved.finishTimeoutMs,
    },
    pipeline,
  );
}
