"""Static post-training INT8 quantization of an exported ArrhythmiNet ONNX graph
into QDQ form, written with the onnx API (onnxruntime.quantization is not
available here).

- Weights of every Conv and of the head Gemm: int8, symmetric, per output
  channel (scale = max|w|/127, zero point 0), stored as int8 initializers and
  restored by DequantizeLinear(axis=0). The head's input (the pooled features)
  and bias stay float (weight-only quantization of a 5 x C layer).
- Conv biases: int32 with scale = input scale x weight scale (per channel), zero
  point 0, as QLinearConv expects.
- Activations (the model input `window` and every ReLU6 output): uint8
  per-tensor QuantizeLinear/DequantizeLinear pairs, range calibrated on training
  beats (min/max at the 0.01/99.99 percentiles, always including 0; ReLU6
  outputs [0, max]).
- The small RR branch stays float (it is a few hundred parameters).
onnxruntime fuses DQ -> Conv -> ... patterns into integer kernels where it can;
either way the numbers are those of the QDQ graph.
Reference: ONNX QDQ format (onnxruntime docs, "Quantize ONNX models").
Limits: only the node patterns export.py produces.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper


def _weight_qdq(w: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    red = tuple(i for i in range(w.ndim) if i != axis)
    scale = np.abs(w).max(axis=red) / 127.0
    scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def activation_params(values: np.ndarray, relu6: bool) -> tuple[float, int]:
    """uint8 scale and zero point for a tensor's calibration values."""
    lo = 0.0 if relu6 else min(0.0, float(np.percentile(values, 0.01)))
    hi = max(0.0, float(np.percentile(values, 99.99)))
    if relu6:
        hi = min(hi, 6.0)
    scale = (hi - lo) / 255.0 or 1.0
    zp = int(np.clip(round(-lo / scale), 0, 255))
    return scale, zp


def quantize(model: onnx.ModelProto, act_ranges: dict[str, tuple[float, int]]) -> onnx.ModelProto:
    """act_ranges: activation tensor name -> (scale, zero point)."""
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    new_nodes, new_inits = [], []
    renamed: dict[str, str] = {}

    def const(name: str, arr: np.ndarray) -> str:
        new_inits.append(numpy_helper.from_array(arr, name))
        return name

    # QDQ pair for each calibrated activation, right after it is produced.
    for t, (scale, zp) in act_ranges.items():
        const(f'{t}_scale', np.array(scale, np.float32))
        const(f'{t}_zp', np.array(zp, np.uint8))
        renamed[t] = f'{t}_dq'
    qdq_for: dict[str, list] = {
        t: [helper.make_node('QuantizeLinear', [t, f'{t}_scale', f'{t}_zp'], [f'{t}_q'], name=f'{t}_Q'),
            helper.make_node('DequantizeLinear', [f'{t}_q', f'{t}_scale', f'{t}_zp'], [f'{t}_dq'], name=f'{t}_DQ')]
        for t in act_ranges}
    for t in act_ranges:
        if t in [i.name for i in g.input]:
            new_nodes.extend(qdq_for[t])
    drop = set()
    producer = {o: n.op_type for n in g.node for o in n.output}
    for node in g.node:
        inputs = [renamed.get(i, i) for i in node.input]
        is_conv = node.op_type == 'Conv'
        is_head = node.op_type == 'Gemm' and producer.get(node.input[0]) == 'ReduceMean'
        if (is_conv or is_head) and len(node.input) > 1 and node.input[1] in inits:
            act = node.input[0]
            if is_conv and act not in act_ranges:
                raise ValueError(f'{node.name}: input {act} has no calibrated range')
            w = numpy_helper.to_array(inits[node.input[1]])
            q, ws = _weight_qdq(w, 0)
            wn = node.input[1]
            const(f'{wn}_q', q)
            const(f'{wn}_scale', ws)
            # Zero points left out: DequantizeLinear then takes 0, and the file stays smaller.
            new_nodes.append(helper.make_node('DequantizeLinear', [f'{wn}_q', f'{wn}_scale'],
                                              [f'{wn}_dq'], name=f'{wn}_DQ', axis=0))
            inputs[1] = f'{wn}_dq'
            renamed[wn] = f'{wn}_dq'  # later readers (the gradcamAlpha node) see the int8 weight too
            drop.add(wn)
            if is_conv and len(node.input) > 2 and node.input[2] in inits:
                bn = node.input[2]
                b = numpy_helper.to_array(inits[bn])
                bs = (act_ranges[act][0] * ws).astype(np.float32)
                bq = np.round(b / bs).astype(np.int32)
                const(f'{bn}_q', bq)
                const(f'{bn}_scale', bs)
                new_nodes.append(helper.make_node('DequantizeLinear', [f'{bn}_q', f'{bn}_scale'],
                                                  [f'{bn}_dq'], name=f'{bn}_DQ', axis=0))
                inputs[2] = f'{bn}_dq'
                drop.add(bn)
        n2 = helper.make_node(node.op_type, inputs, list(node.output), name=node.name)
        n2.attribute.extend(node.attribute)
        new_nodes.append(n2)
        for o in node.output:
            if o in qdq_for:
                new_nodes.extend(qdq_for[o])
    # Graph outputs keep their float names: a calibrated output (features) stays the float tensor.
    kept = [i for i in g.initializer if i.name not in drop]
    graph = helper.make_graph(new_nodes, g.name, list(g.input), list(g.output), kept + new_inits)
    out = helper.make_model(graph, opset_imports=list(model.opset_import), producer_name='arrhythminet-quantize')
    out.ir_version = model.ir_version
    for p in model.metadata_props:
        out.metadata_props.append(p)
    compact_names(out)
    onnx.checker.check_model(out)
    return out


def compact_names(model: onnx.ModelProto) -> None:
    """Rename internal tensors and initializers to short ids and drop node names
    (graph inputs and outputs keep theirs): exporter names are a tenth of a
    small model's bytes."""
    g = model.graph
    keep = {i.name for i in g.input} | {o.name for o in g.output}
    names: dict[str, str] = {}

    def short(n: str) -> str:
        if n == '' or n in keep:
            return n
        if n not in names:
            names[n] = f't{len(names)}'
        return names[n]

    for init in g.initializer:
        init.name = short(init.name)
    for node in g.node:
        node.name = ''
        node.input[:] = [short(i) for i in node.input]
        node.output[:] = [short(o) for o in node.output]
    del g.value_info[:]


def activation_tensors(model: onnx.ModelProto) -> list[str]:
    """The graph input `window` and the output of every Clip that follows a Conv
    (the ReLU6 activations), in graph order."""
    producer = {o: n for n in model.graph.node for o in n.output}
    out = ['window']
    for n in model.graph.node:
        if n.op_type == 'Clip' and n.input[0] in producer and producer[n.input[0]].op_type == 'Conv':
            out.append(n.output[0])
    return out

