// Runs an exported ArrhythmiNet ONNX model with onnxruntime-node (the runtime that
// ships) over beats dumped by export.py, and writes the probabilities.
// Usage: node ort_eval.mjs MODEL.onnx WINDOWS.f32 RR.f32 CHANNELS LENGTH OUT.f32
// WINDOWS.f32: n x CHANNELS x LENGTH float32 little-endian (normalised, as spec.json says);
// RR.f32: n x K float32 (K = spec.sideInputs.names.length, found from the sizes); OUT.f32: n x classes float32 'probabilities'.
import { readFileSync, writeFileSync } from 'node:fs';
import ort from 'onnxruntime-node';

const [modelPath, windowsPath, rrPath, channelsArg, lengthArg, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node ort_eval.mjs MODEL.onnx WINDOWS.f32 RR.f32 CHANNELS LENGTH OUT.f32');
  process.exit(2);
}
const channels = Number(channelsArg);
const length = Number(lengthArg) * channels;
const asF32 = (path) => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const windows = asF32(windowsPath);
const rr = asF32(rrPath);
const n = windows.length / length;
const side = rr.length / n;
if (!Number.isInteger(n) || n === 0 || !Number.isInteger(side)) {
  console.error(`${windowsPath}: ${windows.length} values is not n x ${length} (channels x samples) with ${rrPath}'s ${rr.length} values n x K RR rows`);
  process.exit(2);
}
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
const batch = 512;
const chunks = [];
for (let i = 0; i < n; i += batch) {
  const m = Math.min(batch, n - i);
  const feeds = {
    window: new ort.Tensor('float32', windows.slice(i * length, (i + m) * length), [m, channels, length / channels]),
    rr: new ort.Tensor('float32', rr.slice(i * side, (i + m) * side), [m, side]),
  };
  const out = await session.run(feeds, ['probabilities']);
  chunks.push(out.probabilities.data);
}
const total = chunks.reduce((s, c) => s + c.length, 0);
const all = new Float32Array(total);
let at = 0;
for (const c of chunks) {
  all.set(c, at);
  at += c.length;
}
writeFileSync(outPath, Buffer.from(all.buffer));
console.log(JSON.stringify({ beats: n, outputs: session.outputNames, inputs: session.inputNames }));
