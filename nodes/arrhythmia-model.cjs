// @ts-check
/**
 * arrhythmia model: a configuration node holding one ArrhythmiNet ONNX model
 * (onnxruntime-node session and its spec), shared by every arrhythmia
 * classify node that names it, and released when the flows stop.
 */
'use strict';
const path = require('node:path');

/** @param {any} RED */
module.exports = async function (RED) {
  const { loadModel, resolveModelPath } = await import('./dist/classify/loader.js');
  const shippedDir = path.join(__dirname, 'dist', 'models');

  /** @this {any} @param {any} config */
  function ArrhythmiaModelNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const file = resolveModelPath(String(config.modelPath ?? ''), RED.settings?.userDir ?? process.cwd(), shippedDir);
    /** Settles once: the loaded model, or why it could not be loaded. */
    const loaded = loadModel(file, shippedDir, RED._('arrhythmia-model.errors.missing'));
    loaded.catch((err) => node.error(err.message));
    /** @returns {ReturnType<typeof loadModel>} */
    node.acquire = () => loaded;

    node.on('close', (/** @type {boolean} */ _removed, /** @type {Function} */ done) => {
      loaded.then((m) => m.model.release(), () => undefined).catch((err) => node.warn(err.message)).finally(() => done());
    });
  }

  RED.nodes.registerType('arrhythmia model', ArrhythmiaModelNode);
};
