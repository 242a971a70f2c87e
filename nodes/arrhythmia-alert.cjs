// @ts-check
/**
 * arrhythmia alert: the alert policy (dist/alert, compiled from src/alert)
 * over the messages of an `arrhythmia in` node: events, vitals and status, per
 * gateway/channel. One output: raise, escalate, ack and clear messages. An ack
 * comes in as a message with msg.topic "ack" (or msg.ack true) and an optional
 * filter in msg.payload {gateway, channel, rule}.
 */
'use strict';

/** Option names the editor stores as strings; the policy checks them. */
const OPTION_NAMES = [
  'vRunSeverity', 'vtSeverity', 'burdenRaiseCount', 'burdenClearCount', 'burdenWindowMs', 'burdenSeverity',
  'hrHighBpm', 'hrLowBpm', 'hrHysteresisBpm', 'hrSeverity', 'pauseSeverity', 'leadOffAfterMs', 'leadOffSeverity',
  'offlineAfterMs', 'offlineSeverity', 'clearHoldMs', 'cooldownMs', 'escalateAfterMs', 'maxEscalations',
];
const FILL = { critical: 'red', warning: 'yellow', info: 'blue' };

/** @param {any} RED */
module.exports = async function (RED) {
  const { AlertPolicy } = await import('./dist/alert/policy.js');
  const { resolveAlertOptions, systemClock } = await import('./dist/alert/types.js');
  const { parseTopic } = await import('./dist/inbound/topic.js');

  /** @this {any} @param {any} config */
  function ArrhythmiaAlertNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    /** @type {Record<string, unknown>} */
    const partial = {};
    for (const name of OPTION_NAMES) partial[name] = config[name];
    let options;
    try {
      options = resolveAlertOptions(partial);
    } catch (err) {
      node.status({ fill: 'red', shape: 'ring', text: RED._('arrhythmia-alert.status.badConfig') });
      const message = `${RED._('arrhythmia-alert.errors.config')}: ${/** @type {Error} */ (err).message}`;
      node.error(message);
      node.on('input', (/** @type {any} */ _msg, /** @type {Function} */ _send, /** @type {Function} */ done) => {
        done(new Error(message));
      });
      return;
    }

    /** The send of the input being handled, so alerts it causes keep the message's trace; timers use node.send. */
    /** @type {Function | null} */
    let currentSend = null;
    const policy = new AlertPolicy(options, systemClock, (/** @type {any} */ alert) => {
      const msg = { topic: `arrhythminet/alert/${alert.key}`, payload: alert };
      (currentSend ?? node.send.bind(node))(msg);
      showStatus();
    });

    function showStatus() {
      const active = policy.active();
      if (active.length === 0) {
        node.status({ fill: 'green', shape: 'dot', text: RED._('arrhythmia-alert.status.none') });
        return;
      }
      const worst = active.some((a) => a.severity === 'critical') ? 'critical' : active.some((a) => a.severity === 'warning') ? 'warning' : 'info';
      // A status line stays short: the first three, then how many more.
      const shown = active.slice(0, 3).map((a) => `${a.key}${a.acknowledged ? ' (ack)' : ''}`).join(', ');
      const names = active.length > 3 ? `${shown} +${active.length - 3}` : shown;
      node.status({ fill: FILL[worst], shape: 'dot', text: RED._('arrhythmia-alert.status.active', { count: active.length, names }) });
    }
    showStatus();

    node.on('input', (/** @type {any} */ msg, /** @type {Function} */ send, /** @type {Function} */ done) => {
      currentSend = send;
      try {
        if (msg.topic === 'ack' || msg.ack === true) {
          const f = msg.payload && typeof msg.payload === 'object' ? msg.payload : {};
          policy.acknowledge({ gateway: f.gateway ?? msg.gateway, channel: f.channel ?? msg.channel, rule: f.rule });
        } else {
          const where = msg.gateway !== undefined && msg.kind !== undefined
            ? { gateway: String(msg.gateway), channel: String(msg.channel), kind: String(msg.kind) }
            : parseTopic(msg.topic);
          const p = msg.payload;
          if (!p || typeof p !== 'object') throw new Error(`${RED._('arrhythmia-alert.errors.payload')}: ${where.kind}`);
          if (where.kind === 'event') {
            if (typeof p.id !== 'string' || typeof p.type !== 'string' || !['start', 'update', 'end'].includes(p.phase)) {
              throw new Error(`${RED._('arrhythmia-alert.errors.event')}: ${msg.topic ?? `${where.gateway}/${where.channel}`} ${JSON.stringify({ id: p.id, type: p.type, phase: p.phase })}`);
            }
            policy.onEvent(where.gateway, where.channel, p);
          } else if (where.kind === 'vitals') {
            policy.onVitals(where.gateway, where.channel, p);
          } else if (where.kind === 'status') {
            if (p.state !== 'online' && p.state !== 'offline') throw new Error(`${RED._('arrhythmia-alert.errors.status')}: ${JSON.stringify(p.state)}`);
            policy.onStatus(where.gateway, where.channel, p.state === 'online', typeof p.uptimeS === 'number' ? p.uptimeS : undefined);
          }
          // beat and explain messages carry nothing the policy uses.
        }
        showStatus();
        done();
      } catch (err) {
        done(err);
      } finally {
        currentSend = null;
      }
    });

    node.on('close', (/** @type {boolean} */ _removed, /** @type {Function} */ done) => {
      policy.dispose();
      node.status({});
      done();
    });
  }

  RED.nodes.registerType('arrhythmia alert', ArrhythmiaAlertNode);
};
