// @ts-check
/**
 * arrhythmia classify: runs an ArrhythmiNet ONNX model (onnxruntime-node) on
 * beat windows in msg.payload and replaces the payload with the label, the
 * class probabilities and, when the model exports it, the Grad-CAM map.
 * The model comes from an `arrhythmia model` config node (shared, any path);
 * without one, the model shipped in the package (dist/models). A missing model
 * is a red status, a logged error, and a Catch-able error per message; never a
 * crash.
 * The logic is in dist/classify (compiled from src/classify).
 */
'use strict';
const path = require('node:path');

/** @param {any} RED */
module.exports = async function (RED) {
  const { loadModel, resolveModelPath, ModelMissingError } = await import('./dist/classify/loader.js');
  const { StreamPreparer, rrFrom, windowFrom } = await import('./dist/classify/prepare.js');
  const shippedDir = path.join(__dirname, 'dist', 'models');

  /** @this {any} @param {any} config */
  function ArrhythmiaClassifyNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    /** The model config node; without one this node loads the shipped model for itself (and releases it). */
    const modelNode = config.model ? RED.nodes.getNode(config.model) : null;
    /** @type {import('./dist/classify/loader.js').LoadedModel | null} */
    let loaded = null;
    /** @type {Error | null} */
    let loadError = null;
    /** Per-stream amplitude, template and RR histories for the spec's inputs, keyed by msg.channel or msg.topic. */
    const streams = new Map();

    node.status({ fill: 'grey', shape: 'ring', text: RED._('arrhythmia-classify.status.loading') });
    const acquire = config.model && !modelNode
      ? Promise.reject(new Error(RED._('arrhythmia-classify.errors.noModelNode')))
      : modelNode
        ? modelNode.acquire()
        : loadModel(resolveModelPath('', '', shippedDir), shippedDir, RED._('arrhythmia-classify.errors.missing'));
    const ready = acquire.then((/** @type {import('./dist/classify/loader.js').LoadedModel} */ m) => {
      loaded = m;
      node.status({ fill: 'green', shape: 'dot', text: RED._('arrhythmia-classify.status.ready', { model: m.name }) });
    }, (/** @type {Error} */ err) => {
      loadError = err;
      const missing = err instanceof ModelMissingError;
      node.status({ fill: 'red', shape: 'ring', text: RED._(missing ? 'arrhythmia-classify.status.missing' : 'arrhythmia-classify.status.failed') });
      // The config node reports its own load error once; a private load reports here.
      if (!modelNode) node.error(err.message);
    });

    /** @param {any} msg */
    async function classify(msg) {
      await ready;
      if (loadError || !loaded) throw loadError ?? new Error('model not loaded');
      const { model, spec } = loaded;
      const length = spec.before + spec.after;
      const window = windowFrom(msg.payload, length);
      const key = String(msg.channel ?? msg.topic ?? '');
      if (!streams.has(key)) streams.set(key, new StreamPreparer(spec));
      const given = msg.payload?.scaleMv;
      const stream = streams.get(key);
      const { input, scaleMv } = stream.next(window, typeof given === 'number' ? given : undefined);
      const windowInput = spec.normalisation?.tensor ?? model.inputNames[0];
      let rr;
      let rrAssumed;
      if (spec.sideInputs && model.inputNames.includes(spec.sideInputs.tensor)) {
        const r = rrFrom(msg.payload, spec.sideInputs, stream.rr ?? undefined);
        rr = { name: spec.sideInputs.tensor, values: r.rr };
        rrAssumed = r.assumed;
      }
      const out = await model.classify(input, spec.channels, windowInput, rr);
      const classes = spec.classes;
      /** @type {Record<string, number>} */
      const probabilities = {};
      classes.forEach((c, i) => { probabilities[c] = out.probabilities[i]; });
      msg.payload = {
        label: classes[out.classIndex], classIndex: out.classIndex, probabilities,
        window: Array.from(window), fs: spec.sampleRateHz, beforeSamples: spec.before,
        ...(out.gradcam ? { gradcam: out.gradcam } : {}),
        ...(scaleMv === undefined ? {} : { scaleMv }),
        ...(rrAssumed === undefined ? {} : { rrAssumed }),
        model: loaded.name,
      };
      return msg;
    }

    // One window at a time, in arrival order.
    let queue = Promise.resolve();
    node.on('input', (/** @type {any} */ msg, /** @type {Function} */ send, /** @type {Function} */ done) => {
      queue = queue.then(() => classify(msg)).then((m) => { send(m); done(); }, (err) => done(err));
    });

    node.on('close', (/** @type {boolean} */ _removed, /** @type {Function} */ done) => {
      // A shared model is the config node's to release.
      queue.then(() => ready).then(async () => {
        if (loaded && !modelNode) await loaded.model.release();
        loaded = null;
      }).catch((err) => node.warn(err.message)).finally(() => done());
    });
  }

  RED.nodes.registerType('arrhythmia classify', ArrhythmiaClassifyNode);
};
