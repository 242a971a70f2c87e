// @ts-check
/**
 * arrhythmia classify: runs an ArrhythmiNet ONNX model (onnxruntime-node) on
 * beat windows in msg.payload and replaces the payload with the label, the
 * class probabilities and, when the model exports it, the Grad-CAM map.
 * The model path is configurable; empty means the model shipped in the
 * package (dist/models). A missing model is a red status, a logged error,
 * and a Catch-able error per message; never a crash.
 * The logic is in dist/classify (compiled from src/classify).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const shippedDir = path.join(__dirname, 'dist', 'models');

/** The shipped model: the INT8 one when there is one (the edge default), else the float one; null when none is shipped. */
function shippedModel() {
  const files = fs.existsSync(shippedDir) ? fs.readdirSync(shippedDir).filter((f) => f.endsWith('.onnx')).sort() : [];
  const pick = files.find((f) => f.endsWith('.int8.onnx')) ?? files[0];
  return pick === undefined ? null : path.join(shippedDir, pick);
}

/** @param {any} RED */
module.exports = async function (RED) {
  const { BeatModel } = await import('./dist/classify/model.js');
  const { loadSpec } = await import('./dist/classify/spec.js');
  const { AmplitudeScale, normalise, rrFrom, windowFrom } = await import('./dist/classify/prepare.js');

  /** @this {any} @param {any} config */
  function ArrhythmiaClassifyNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const configured = String(config.modelPath ?? '').trim();
    const base = RED.settings?.userDir ?? process.cwd();
    const file = configured === '' ? shippedModel() : path.resolve(base, configured);
    /** @type {import('./dist/classify/model.js').BeatModel | null} */
    let model = null;
    /** @type {import('./dist/classify/spec.js').ModelSpec | null} */
    let spec = null;
    /** @type {Error | null} */
    let loadError = null;
    /** Per-stream amplitude history for the spec's normalisation, keyed by msg.channel or msg.topic. */
    const scales = new Map();

    node.status({ fill: 'grey', shape: 'ring', text: RED._('arrhythmia-classify.status.loading') });
    const ready = (async () => {
      if (file === null || !fs.existsSync(file)) {
        const where = file ?? `${shippedDir}/*.onnx`;
        throw Object.assign(new Error(`${RED._('arrhythmia-classify.errors.missing')}: ${where}`), { missing: true });
      }
      const specFile = fs.existsSync(path.join(path.dirname(file), 'spec.json')) ? path.join(path.dirname(file), 'spec.json') : path.join(shippedDir, 'spec.json');
      spec = loadSpec(specFile);
      model = await BeatModel.load(file);
    })().then(() => {
      node.status({ fill: 'green', shape: 'dot', text: RED._('arrhythmia-classify.status.ready') });
    }, (/** @type {any} */ err) => {
      loadError = err;
      node.status({ fill: 'red', shape: 'ring', text: RED._(err.missing ? 'arrhythmia-classify.status.missing' : 'arrhythmia-classify.status.failed') });
      node.error(err.message);
    });

    /** @param {any} msg */
    async function classify(msg) {
      await ready;
      if (loadError || !model || !spec) throw loadError ?? new Error('model not loaded');
      const length = spec.before + spec.after;
      const window = windowFrom(msg.payload, length);
      let input = window;
      let scaleMv;
      if (spec.normalisation) {
        const key = String(msg.channel ?? msg.topic ?? '');
        if (!scales.has(key)) scales.set(key, new AmplitudeScale(spec.normalisation.historyBeats, spec.normalisation.minScaleMv));
        const given = msg.payload?.scaleMv;
        scaleMv = typeof given === 'number' && given > 0 ? given : scales.get(key).next(window);
        input = normalise(window, scaleMv);
      }
      const windowInput = spec.normalisation?.tensor ?? model.inputNames[0];
      let rr;
      let rrAssumed;
      if (spec.sideInputs && model.inputNames.includes(spec.sideInputs.tensor)) {
        const r = rrFrom(msg.payload, spec.sideInputs);
        rr = { name: spec.sideInputs.tensor, values: r.rr };
        rrAssumed = r.assumed;
      }
      const out = await model.classify(input, windowInput, rr);
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
        model: path.basename(/** @type {string} */ (file)),
      };
      return msg;
    }

    // One window at a time, in arrival order.
    let queue = Promise.resolve();
    node.on('input', (/** @type {any} */ msg, /** @type {Function} */ send, /** @type {Function} */ done) => {
      queue = queue.then(() => classify(msg)).then((m) => { send(m); done(); }, (err) => done(err));
    });

    node.on('close', (/** @type {boolean} */ _removed, /** @type {Function} */ done) => {
      queue.then(() => ready).then(async () => {
        if (model) await model.release();
        model = null;
      }).catch((err) => node.warn(err.message)).finally(() => done());
    });
  }

  RED.nodes.registerType('arrhythmia classify', ArrhythmiaClassifyNode);
};
