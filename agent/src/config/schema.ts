/**
 * The agent's configuration as a JSON Schema (draft-07, checked by ajv): the one
 * place that says which keys exist, their types, ranges and defaults.
 * docs/configuration.md explains them; types.ts mirrors them for TypeScript.
 *
 * Every object closes with additionalProperties: false so a misspelt key is an
 * error rather than a silently ignored setting.
 */

const secret = {
  description: 'A secret: a literal string (discouraged), {"env": "NAME"} or {"file": "/path"}.',
  oneOf: [
    { type: 'string' },
    { type: 'object', additionalProperties: false, required: ['env'], properties: { env: { type: 'string', minLength: 1 } } },
    { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', minLength: 1 } } },
  ],
} as const;

/** MQTT topic level: no wildcards, separators or empty strings. */
const topicLevel = { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } as const;

const episodeLength = {
  type: 'object',
  additionalProperties: false,
  required: ['durationS'],
  properties: { durationS: { type: 'number', exclusiveMinimum: 0, maximum: 3600, description: 'How long, s.' } },
} as const;

/** One timed step of a synthetic scenario; exactly one action (checked by sources/synthetic/scenario.ts). */
const scenarioStep = {
  type: 'object',
  additionalProperties: false,
  required: ['atS'],
  properties: {
    atS: { type: 'number', minimum: 0, description: 'When, s of signal from the start.' },
    ectopic: { enum: ['V', 'A'], description: 'An ectopic beat (or run): V ventricular, A atrial.' },
    count: { type: 'integer', minimum: 1, maximum: 1000, description: 'Ectopics in a row; default 1.' },
    couplingMs: { type: 'number', minimum: 200, maximum: 3000, description: 'Interval from the beat before, ms; default 70% (V) or 75% (A) of the sinus RR.' },
    rrMs: { type: 'number', minimum: 200, maximum: 3000, description: 'RR inside a run, ms; default the coupling.' },
    leadOff: { ...episodeLength, description: 'Electrodes off: LOFF_STAT bits set in the frames.' },
    saturate: { ...episodeLength, description: 'Converter at full scale.' },
    pause: { type: 'object', additionalProperties: false, required: ['durationS'], properties: { durationS: { type: 'number', exclusiveMinimum: 0, maximum: 60 } }, description: 'Sinus arrest: no beat for durationS.' },
  },
} as const;

const syntheticSource = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { const: 'synthetic' },
    rateHz: { type: 'number', minimum: 125, maximum: 1000, default: 500, description: 'Output rate, SPS.' },
    heartRateBpm: { type: 'number', minimum: 20, maximum: 250, default: 72 },
    seed: { type: 'integer', minimum: 0, default: 1 },
    pvcEverySeconds: { type: 'number', minimum: 0, default: 20, description: 'Inject a PVC this often; 0 for none.' },
    apcEverySeconds: { type: 'number', minimum: 0, default: 0, description: 'Inject an APC this often; 0 for none.' },
    framed: { type: 'boolean', default: true, description: 'Pass the samples through the ADS1292 frame codec, as a serial device would.' },
    scenario: { type: 'array', items: scenarioStep, default: [], description: 'Scripted events (ectopic runs, lead-off, saturation, pauses), on top of the periodic ectopics.' },
  },
} as const;

/** Default `baud`, by format: our bridge firmware's, and ProtoCentral's OpenView firmware's (filled in config/load.ts). */
export const DEFAULT_BAUD = { ours: 115200, openview: 57600 } as const;

const serialSource = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'path'],
  properties: {
    type: { const: 'serial' },
    path: { type: 'string', minLength: 1, description: 'Device path, e.g. /dev/ttyUSB0 or /dev/serial/by-id/...' },
    baud: { type: 'integer', enum: [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000], description: `Serial speed; default ${DEFAULT_BAUD.ours} for format ours, ${DEFAULT_BAUD.openview} for openview (ProtoCentral's firmware).` },
    format: { enum: ['ours', 'openview'], default: 'ours', description: 'Wire format: ours (docs/serial-protocol.md) or ProtoCentral OpenView.' },
    // The decoder's presets (sources/ads1292/openview-layouts.ts; a test keeps the two lists equal).
    openviewLayout: { enum: ['breakout-2017', 'healthypi-v3', 'breakout-2025'], default: 'breakout-2017', description: 'OpenView payload layout: the firmware that sends it (docs/serial-protocol.md section 8).' },
    rateHz: { type: 'number', minimum: 125, maximum: 8000, default: 500, description: 'Device rate until the device announces its own.' },
    gain: { type: 'integer', enum: [1, 2, 3, 4, 6, 8, 12], default: 6 },
    vrefV: { type: 'number', enum: [2.42, 4.033], default: 2.42 },
    ecgChannel: { type: 'integer', enum: [1, 2], default: 2, description: 'ADS1292 channel carrying the ECG lead (2 on the ADS1292R, whose channel 1 is respiration).' },
    secondEcgChannel: { type: ['integer', 'null'], enum: [1, 2, null], default: null, description: 'ADS1292 channel carrying a second ECG lead for two-lead QRS detection (dsp.leads 2), or null for none (the default: on the ADS1292R channel 1 is respiration). Must differ from ecgChannel; format ours only.' },
  },
} as const;

const wfdbSource = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'record'],
  properties: {
    type: { const: 'wfdb' },
    record: { type: 'string', minLength: 1, description: 'Record path without extension, e.g. ../shared/data/mitdb/208.' },
    signal: { type: 'string', minLength: 1, default: 'MLII', description: 'Signal name in the header.' },
    secondSignal: { type: ['string', 'integer'], minLength: 1, minimum: 0, default: 'auto', description: 'Second ECG lead for two-lead QRS detection (dsp.leads 2): a signal name or 0-based index, "auto" for the record\'s first other signal (MIT-BIH: V1, V2, V4 or V5), "none" for none.' },
    speed: { enum: ['realtime', 'fast'], default: 'realtime' },
  },
} as const;

/** The agent's model when the config names none, relative to the working directory: V2 INT8 (docs/models.md, "Window alignment, and what ships"). */
export const DEFAULT_MODEL_PATH = 'models/arrhythminet-v2.int8.onnx';

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'ArrhythmiNet Edge agent configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    gateway: { ...topicLevel, default: 'gateway', description: 'Gateway id, a topic level.' },
    channel: { ...topicLevel, default: 'ecg0', description: 'Channel (patient/bed) id, a topic level.' },
    source: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [syntheticSource, serialSource, wfdbSource],
      default: { type: 'synthetic' },
    },
    dsp: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        mainsHz: { enum: [50, 60], default: 50, description: 'Mains frequency for the notch filter.' },
        leads: { type: 'integer', enum: [1, 2], default: 2, description: 'QRS detection on the primary ECG lead alone (1), or with the source\'s second ECG lead too when it gives one (2: serial secondEcgChannel, a WFDB record\'s other signal).' },
      },
    },
    model: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        path: { type: 'string', minLength: 1, default: DEFAULT_MODEL_PATH },
        minConfidence: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Below this top probability a beat is labelled Q (unclassifiable).' },
        batchSize: { type: 'integer', minimum: 1, maximum: 1024, default: 32 },
        gradcam: { enum: ['off', 'non-normal', 'all'], default: 'non-normal' },
      },
    },
    rhythm: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        runMinBeats: { type: 'integer', minimum: 3, default: 3 },
        runTachyBpm: { type: 'number', exclusiveMinimum: 0, default: 100 },
        patternMinCycles: { type: 'integer', minimum: 2, default: 3 },
        rateBeats: { type: 'integer', minimum: 2, default: 8 },
        tachyStartBpm: { type: 'number', exclusiveMinimum: 0, default: 100 },
        tachyEndBpm: { type: 'number', exclusiveMinimum: 0, default: 95 },
        bradyStartBpm: { type: 'number', exclusiveMinimum: 0, default: 50 },
        bradyEndBpm: { type: 'number', exclusiveMinimum: 0, default: 55 },
        pauseMs: { type: 'number', exclusiveMinimum: 0, default: 2000 },
        updateIntervalMs: { type: 'number', exclusiveMinimum: 0, default: 5000 },
        runTachyMaxRrRatio: { type: 'number', exclusiveMinimum: 0, default: 2, description: 'A run is VT/SVT only if its RR intervals are within this factor of each other.' },
        poorSignalClearMs: { type: 'number', minimum: 0, default: 10000, description: 'Poor signal from noise ends after good signal as long as the noise lasted, at most this long, ms.' },
        runConfirmMs: { type: 'number', minimum: 0, default: 750, description: 'A v-run or VT is dropped when poor signal starts within this of its last beat, and announced once that is known, ms (noise onset; 750 is tuned for the 0.25-s quality blocks); 0: announced at once.' },
      },
    },
    mqtt: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        url: { type: 'string', pattern: '^(embedded|(mqtts?|wss?)://.+)$', default: 'embedded', description: '"embedded" starts the aedes broker; else mqtt://, mqtts://, ws:// or wss:// URL.' },
        embeddedPort: { type: 'integer', minimum: 0, maximum: 65535, default: 1883 },
        clientId: { type: 'string', minLength: 1, maxLength: 64 },
        username: { type: 'string' },
        password: secret,
        protocolVersion: { enum: [5, 4], default: 5, description: '5 (MQTT v5); falls back to 4 (3.1.1) when the broker refuses v5.' },
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ca: { type: 'string', description: 'CA certificate file (PEM).' },
            cert: { type: 'string', description: 'Client certificate file (PEM).' },
            key: { type: 'string', description: 'Client key file (PEM).' },
            keyPassphrase: secret,
            rejectUnauthorized: { type: 'boolean', default: true },
          },
        },
        publishBeats: { type: 'boolean', default: true },
        vitalsIntervalS: { type: 'number', minimum: 1, maximum: 3600, default: 10 },
      },
    },
    outbox: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        dir: { type: 'string', minLength: 1, default: './state', description: 'Directory of the durable outbox (systemd: $STATE_DIRECTORY).' },
        maxBytes: { type: 'integer', minimum: 65536, default: 67108864 },
        commitIntervalMs: { type: 'integer', minimum: 1, maximum: 60000, default: 200, description: 'Group commit: fsync at most this often.' },
      },
    },
    monitor: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The monitor page (docs/monitor.md): the ECG strip, beat labels, events and status in a browser.',
      properties: {
        enabled: { type: 'boolean', description: 'Serve the page; default: on with the embedded defaults (no --config), off with a config file.' },
        host: { type: 'string', minLength: 1, default: '127.0.0.1', description: 'Address to listen on; any other than loopback needs monitor.token.' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8360, description: 'TCP port; 0 picks a free one.' },
        token: { ...secret, description: 'Access token the page must present (at least 16 characters): {"env": "NAME"} or {"file": "/path"}.' },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
      },
    },
  },
} as const;
