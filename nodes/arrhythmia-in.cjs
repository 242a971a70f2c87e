// @ts-check
/**
 * arrhythmia in: checks the agent's MQTT messages (topic
 * arrhythminet/v1/{gateway}/{channel}/{kind}) against the published payload
 * schemas and routes them by kind to five outputs: status, beat, event,
 * explain, vitals. Sets msg.gateway, msg.channel, msg.kind. An invalid message
 * fails with done(err), which a Catch node receives; the flow goes on.
 * The logic is in dist/inbound (compiled from src/inbound).
 */
'use strict';
const path = require('node:path');

/** @param {any} RED */
module.exports = async function (RED) {
  const { loadValidators, routeMessage } = await import('./dist/inbound/validate.js');
  const { KINDS } = await import('./dist/inbound/topic.js');
  const schemaDir = path.join(__dirname, 'dist', 'schemas');
  /** @type {ReturnType<typeof loadValidators> | undefined} compiled once per runtime, shared by all instances */
  let validators;

  /** @this {any} @param {any} config */
  function ArrhythmiaInNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    let routed = 0;
    let rejected = 0;
    /** @type {NodeJS.Timeout | null} status is refreshed at most once a second: beats come several a second */
    let statusTimer = null;

    const showStatus = () => {
      statusTimer = null;
      node.status({
        fill: rejected > 0 ? 'yellow' : 'green', shape: 'dot',
        text: RED._('arrhythmia-in.status.counts', { routed, rejected }),
      });
    };

    try {
      validators ??= loadValidators(schemaDir);
      node.status({ fill: 'grey', shape: 'ring', text: RED._('arrhythmia-in.status.waiting') });
    } catch (err) {
      node.status({ fill: 'red', shape: 'ring', text: RED._('arrhythmia-in.status.noSchemas') });
      node.error(`${RED._('arrhythmia-in.errors.schemas')}: ${/** @type {Error} */ (err).message}`);
    }

    node.on('input', (/** @type {any} */ msg, /** @type {Function} */ send, /** @type {Function} */ done) => {
      try {
        if (!validators) throw new Error(RED._('arrhythmia-in.errors.noSchemas'));
        const r = routeMessage(validators, msg.topic, msg.payload);
        msg.payload = r.payload;
        msg.gateway = r.gateway;
        msg.channel = r.channel;
        msg.kind = r.kind;
        routed++;
        send(KINDS.map((k) => (k === r.kind ? msg : null)));
        done();
      } catch (err) {
        rejected++;
        done(err);
      }
      statusTimer ??= setTimeout(showStatus, 1000);
    });

    node.on('close', (/** @type {boolean} */ _removed, /** @type {Function} */ done) => {
      if (statusTimer) clearTimeout(statusTimer);
      statusTimer = null;
      done();
    });
  }

  RED.nodes.registerType('arrhythmia in', ArrhythmiaInNode);
};
