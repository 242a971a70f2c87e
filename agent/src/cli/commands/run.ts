/**
 * `arrhythminet run`: the gateway agent (DESIGN.md sections 1, 6, 7, 9).
 * Loads the config (or the embedded default: synthetic ECG through the ADS1292
 * codec), runs the agent, shows a console view on a terminal (JSON logs only
 * when quiet or piped), tells systemd it is ready and alive, and on SIGINT or
 * SIGTERM drains and stops within 2 s, ending with a summary line of counters.
 */
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT_OK, UsageError } from '../errors.ts';
import { loadConfig, redactConfig } from '../../config/load.ts';
import { startAgent } from '../../agent/agent.ts';
import { serialStateLogger } from '../../agent/serial-state-log.ts';
import { ConsoleView } from '../../agent/console-view.ts';
import { createLogger } from '../../agent/logger.ts';
import { SdNotify } from '../../agent/sd-notify.ts';
import type { BeatClassifier } from '../../agent/classifier.ts';
import { referenceClassifier } from '../../agent/reference-classifier.ts';
import { modelClassifier } from '../../agent/model-classifier.ts';
import { loadPipelineSpec } from '../../pipeline/model-spec.ts';
import type { AgentSink } from '../../agent/sink.ts';
import { formatSummary } from '../../agent/summary.ts';
import { MqttSink } from '../../agent/mqtt-sink.ts';
import { AGENT_VERSION } from '../../agent/version.ts';
import type { RunningAgent } from '../../agent/agent.ts';
import { listenMonitor, monitorSink } from '../../monitor/run-monitor.ts';

const usage = `usage: arrhythminet run [--config FILE] [--duration SECONDS] [--fast] [--quiet] [--no-model] [--reference-labels]

  --config FILE       agent configuration, YAML or JSON (docs/configuration.md);
                      default: synthetic ECG through the ADS1292 codec, embedded broker
  --duration SECONDS  stop after this much signal (synthetic and WFDB sources)
  --fast              synthetic source as fast as possible instead of real time
                      (a WFDB source follows its config: source.speed)
  --quiet             no console view: JSON logs on stderr only (automatic when
                      stdout is not a terminal)
  --no-model          do not load the model: every beat is labelled Q (detection,
                      rhythm of pauses and rate, publishing still run)
  --reference-labels  WFDB source only: label beats from the record's reference
                      annotations (.atr) instead of a model, to exercise the
                      rhythm rules and publishing with known labels

Ctrl-C or SIGTERM drains the pipeline and stops within 2 s.`;

/** The schema's default outbox.dir; replaced by $STATE_DIRECTORY when systemd sets one. */
const DEFAULT_OUTBOX_DIR = './state';

/** Time allowed for draining after a stop signal, then for closing the sinks, ms (the promise is 2 s in all). */
const STOP_BUDGET_MS = 1200;
const CLOSE_BUDGET_MS = 500;
/** When the source ends by itself: how long the outbox may take to be acknowledged before exit, ms. */
const END_DRAIN_MS = 30_000;

export const runCommand: Command = {
  name: 'run',
  summary: 'the gateway agent: ECG source -> beats, rhythm events -> console and MQTT',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, {
      config: { type: 'string' },
      duration: { type: 'string' },
      fast: { type: 'boolean' },
      quiet: { type: 'boolean' },
      'reference-labels': { type: 'boolean' },
      'no-model': { type: 'boolean' },
    }, false);
    let durationSec: number | undefined;
    if (values.duration !== undefined) {
      durationSec = Number(values.duration);
      if (!Number.isFinite(durationSec) || durationSec <= 0) throw new UsageError(`--duration must be a number of seconds > 0; got '${values.duration}'`);
    }
    const config = await loadConfig(values.config);
    // Under systemd the writable place is StateDirectory= (the install dir is read-only with ProtectSystem=strict).
    const stateDir = process.env.STATE_DIRECTORY?.split(':')[0];
    if (stateDir && config.outbox.dir === DEFAULT_OUTBOX_DIR) config.outbox.dir = stateDir;
    let classifier: BeatClassifier | undefined;
    let modelProblem: string | null = null;
    if (values['reference-labels']) {
      if (config.source.type !== 'wfdb') throw new UsageError(`--reference-labels needs a WFDB source; the config's source.type is '${config.source.type}'`);
      classifier = await referenceClassifier(config.source.record);
    } else if (!values['no-model']) {
      try {
        classifier = await modelClassifier(config.model);
      } catch (err) {
        const why = `model.path = ${config.model.path}: cannot be loaded: ${(err as Error).message}`;
        // A configured model that fails is a config error; the zero-config demo runs on without one, saying so.
        if (values.config !== undefined) throw new UsageError(`${why} (--no-model runs without classification)`);
        modelProblem = why;
      }
    }
    const quiet = Boolean(values.quiet) || !process.stdout.isTTY;
    // On a terminal the console view speaks; the JSON log keeps to warnings there.
    const log = createLogger(quiet || config.log.level === 'silent' ? config.log.level : higher(config.log.level, 'warn'));
    log.info({ config: redactConfig(config), source: values.config ?? 'embedded defaults' }, 'starting');
    if (modelProblem !== null) log.warn({ problem: modelProblem }, 'running without a model: every beat is labelled Q');

    const sinks: AgentSink[] = [];
    const view = quiet ? null : new ConsoleView({ out: process.stdout, fs: 360 });
    if (view) sinks.push(view);

    const spec = loadPipelineSpec();
    let agentRef: RunningAgent | null = null;
    const mqtt = await MqttSink.open({
      config, logger: log, agentVersion: AGENT_VERSION, model: classifier?.id ?? null, fs: spec.fs, window: { before: spec.before, after: spec.after }, snapshot: () => agentRef?.snapshot() ?? null,
    });
    sinks.push(mqtt);
    log.info({ broker: mqtt.url, embedded: mqtt.broker !== null }, 'mqtt: publishing');
    const monitor = config.monitor.enabled ? monitorSink(config, spec, mqtt, () => agentRef, classifier?.id ?? null, log) : null;
    if (monitor) sinks.push(monitor);
    const closeSinks = (drainMs = 0) => Promise.all(sinks.map((s) => s.close(CLOSE_BUDGET_MS, drainMs).catch((err: Error) => log.warn({ err: err.message }, 'closing a sink failed'))));

    const notify = new SdNotify({ onError: (err) => log.warn({ err: err.message }, 'sd_notify: cannot run systemd-notify') });
    let stoppedBy: string | null = null;
    let removeHandlers = () => {};
    const stopRequested = new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        if (stoppedBy !== null) return;
        stoppedBy = signal;
        log.info({ signal }, 'stopping: draining the pipeline');
        notify.stopping();
        agentRef?.stop();
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      removeHandlers = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        // Stopped and summarised: a late signal ends the process with the exit code main set, not as killed.
        const late = () => process.exit(process.exitCode ?? 0);
        process.once('SIGINT', late);
        process.once('SIGTERM', late);
      };
    });
    try {
      const serial = config.source.type === 'serial' ? { onState: serialStateLogger(log, config.source.path) } : undefined;
      const agent = startAgent({ config, sinks, durationSec, fast: Boolean(values.fast), classifier, spec, serial });
      agentRef = agent;
      log.info({ source: agent.description, streamId: agent.streamId }, 'running');
      view?.note(`arrhythminet run: ${agent.description}; labels: ${classifier?.id ?? 'no model (every beat Q)'}`);
      view?.note(`MQTT: ${mqtt.broker ? `embedded broker at ${mqtt.url}` : mqtt.url}, topics arrhythminet/v1/${config.gateway}/${config.channel}/#`
        + (durationSec === undefined ? '; Ctrl-C stops' : ''));
      if (modelProblem !== null) view?.note(`WARNING: ${modelProblem}; running without a model`);
      if (monitor) await listenMonitor(monitor, config, log, view);
      notify.ready(agent.description);
      // A drain that hangs must not hold the process past its 2 s promise.
      const cutShort = stopRequested.then(() => new Promise<null>((r) => setTimeout(() => r(null), STOP_BUDGET_MS).unref()));
      const result = await Promise.race([agent.done, cutShort]);
      const snap = result ?? agent.snapshot();
      // A source that ended (replay, --duration) leaves time to deliver the outbox; a stop signal does not.
      await closeSinks(stoppedBy === null ? END_DRAIN_MS : 0);
      await classifier?.close?.();
      const why = stoppedBy === null ? 'source ended' : `stopped by ${stoppedBy}${result === null ? ' (drain cut short)' : ''}`;
      const p = mqtt.stats();
      const line = formatSummary(snap, agent.fs, { published: p.published, beatsShed: p.beatsShed, latencyMs: p.latencyMs });
      log.info({ counters: snap, publish: p, why }, 'stopped');
      process.stderr.write(`arrhythminet run: ${why}: ${line}\n`);
      return EXIT_OK;
    } catch (err) {
      await closeSinks();
      await classifier?.close?.().catch(() => {});
      throw err;
    } finally {
      removeHandlers();
      if (stoppedBy === null) notify.stopping();
    }
  },
};

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
function higher<L extends string>(a: L, b: (typeof LEVELS)[number]): L | (typeof LEVELS)[number] {
  const ia = LEVELS.indexOf(a as (typeof LEVELS)[number]);
  return ia >= LEVELS.indexOf(b) ? a : b;
}
