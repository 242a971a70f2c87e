/**
 * The publish stage (DESIGN.md section 7): topics, payloads and their schemas,
 * the durable outbox, the MQTT publisher and the embedded broker.
 * docs/mqtt.md is the consumer's view of the same.
 */
export { TOPIC_ROOT, TOPIC_KINDS, type TopicKind, type TopicParts, TopicError, buildTopic, parseTopic, topicFilter, checkTopicLevel } from './topics.ts';
export * from './payloads.ts';
export { EXPLAIN_BINS, summariseGradCam, buildExplain, type ExplainInput, type GradCamSummary, type WindowGeometry } from './explain-summary.ts';
export { validatePayload, assertPayload, parsePayload, PayloadError, loadSchema, schemaDir, type Validation } from './validate.ts';
export type { OutboxEntry, OutboxKind, OutboxStore, PutResult } from './outbox/store.ts';
export { MemoryOutboxStore } from './outbox/memory-store.ts';
export { FileOutboxStore, type FileOutboxOptions, type OpenReport } from './outbox/file-store.ts';
export { Outbox, type OutboxCounters, type EnqueueResult } from './outbox/outbox.ts';
export { Publisher, type PublisherOptions, type PublisherStats } from './client.ts';
export { type ConnectionSettings, type TlsSettings, ConnectionSettingsError, REDACT_PATHS, describeSettings } from './connect-options.ts';
export { Backoff, type BackoffOptions } from './backoff.ts';
export { LatencyWindow } from './latency.ts';
export { startEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from './broker.ts';
