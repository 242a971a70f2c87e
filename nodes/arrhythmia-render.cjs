// @ts-check
/**
 * arrhythmia render: draws a beat window with its Grad-CAM map, label and
 * class probabilities as an SVG string (dist/render, compiled from
 * src/render). The payload an `arrhythmia classify` node sends renders as it is.
 */
'use strict';

/** @param {any} RED */
module.exports = async function (RED) {
  const { checkPicture, renderBeatSvg } = await import('./dist/render/svg.js');

  /** @this {any} @param {any} config */
  function ArrhythmiaRenderNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const widthPx = Number(config.widthPx) || 640;
    const heightPx = Number(config.heightPx) || 300;
    let drawn = 0;

    node.on('input', (/** @type {any} */ msg, /** @type {Function} */ send, /** @type {Function} */ done) => {
      try {
        const picture = checkPicture(msg.payload);
        const title = typeof msg.title === 'string' ? msg.title : undefined;
        msg.beat = msg.payload;
        msg.payload = renderBeatSvg(title === undefined ? picture : { ...picture, title }, { widthPx, heightPx });
        msg.contentType = 'image/svg+xml';
        drawn++;
        node.status({ fill: 'green', shape: 'dot', text: RED._('arrhythmia-render.status.drawn', { count: drawn }) });
        send(msg);
        done();
      } catch (err) {
        node.status({ fill: 'red', shape: 'ring', text: RED._('arrhythmia-render.status.error') });
        done(err);
      }
    });

    node.on('close', (/** @type {boolean} */ _removed, /** @type {Function} */ done) => {
      node.status({});
      done();
    });
  }

  RED.nodes.registerType('arrhythmia render', ArrhythmiaRenderNode);
};
