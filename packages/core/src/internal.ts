/**
 * `@earshot/core/internal`: the plumbing the two faces (and Flux) are built from, kept off the
 * main entry so that `@earshot/core`'s surface stays what a user needs. Not covered by semver
 * for applications: only earshot's own packages should import it.
 *
 * @packageDocumentation
 */

export { type AudioSink, sendFrom } from "./audio/send-from.ts";
export { FluxDelivery, type FluxDeliveryHooks } from "./flux/flux-delivery.ts";
export { FluxRequests, PendingReply } from "./flux/flux-requests.ts";
export { FluxTimeline } from "./flux/flux-timeline.ts";
export { fluxWire } from "./flux/flux-wire.ts";
export * from "./pipeline/index.ts";
