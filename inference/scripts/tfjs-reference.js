// Reference outputs of the TF.js models (the two liveness models, MediaPipe iris, selfie segmentation and palm detection), computed by TensorFlow.js itself, for
// io.openbio.inference.tfjs.TfjsConversionTest (not part of the build; run by hand):
//   mkdir /tmp/tfjsref && cd /tmp/tfjsref && npm init -y && \
//   npm install @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 @tensorflow/tfjs-converter@4.22.0
//   node /path/to/inference/scripts/tfjs-reference.js /path/to/models/human-models-3.0.4
// (run it from /tmp/tfjsref so that require() finds the packages: NODE_PATH=/tmp/tfjsref/node_modules)
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfc = require('@tensorflow/tfjs-converter');
const fs = require('fs');
// sample: for the selfie mask, every sample-th pre-sigmoid logit (output 'segment_add'), their sum, sample-th values of the inner node
async function run(dir, name, size, inner, pick, sample) {
  const json = JSON.parse(fs.readFileSync(`${dir}/${name}.json`));
  const bin = fs.readFileSync(`${dir}/${name}.bin`);
  const weightSpecs = json.weightsManifest.flatMap(g => g.weights);
  const model = await tfc.loadGraphModel(tf.io.fromMemory({modelTopology: json.modelTopology, weightSpecs,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), format: json.format}));
  for (const pat of [0, 1]) {
    const data = new Float32Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) for (let c = 0; c < 3; c++) {
      const v = pat === 0 ? ((y * 7 + x * 13 + c * 29) % 256) / 255
                          : 0.5 + 0.5 * Math.sin(0.11 * x + 0.07 * y + 1.3 * c) * Math.cos(0.05 * x * y / size);
      data[(y * size + x) * 3 + c] = v;
    }
    const input = tf.tensor4d(data, [1, size, size, 3]);
    if (sample) {
      const outs = model.execute(input, ['segment_add', inner]); // large outputs (selfie): every sample-th pre-sigmoid logit, their sum, sample-th values of the inner node
      const o = outs[0].dataSync();
      const n = outs[1].dataSync();
      const pick = a => Array.from(a).filter((v, i) => i % sample === 0).map(v => v.toPrecision(8)).join(',');
      console.log(name, 'pattern', pat, 'output every', sample, pick(o), 'sum', o.reduce((a, b) => a + b, 0).toPrecision(10),
        'inner', pick(n), 'len', n.length);
      continue;
    }
    const inners = Array.isArray(inner) ? inner : [inner];
    const outs = model.execute(input, ['Identity', ...inners]);
    // pick: for large outputs, only these output values (flat indices) are printed
    const all = Array.from(outs[0].dataSync());
    const shown = pick ? pick.map(i => all[i]) : all;
    console.log(name, 'pattern', pat, 'output', shown.map(v => v.toPrecision(8)).join(','),
      'inner', outs.slice(1).map(o => Array.from(o.dataSync()).slice(0, 8).map(v => v.toPrecision(8)).join(',')).join(' '),
      'len', outs[1].size);
  }
}
(async () => {
  await tf.setBackend('cpu');
  console.log('tfjs', tf.version_core);
  const dir = process.argv[2] || 'models/human-models-3.0.4';
  await run(dir, 'antispoof', 128, 'StatefulPartitionedCall/sequential/dense_1/BiasAdd');
  await run(dir, 'liveness', 32, 'StatefulPartitionedCall/sequential_1/dense_2/BiasAdd');
  await run(dir, 'iris', 64, 'StatefulPartitionedCall/model/channel_padding/Pad');
  await run(dir, 'selfie', 256, 'up_sampling2d_lambda/resize/ResizeBilinear', null, 4099);
  // palm detection: output [1, 2944, 19]; the 19 values of anchors 0, 1000, 2047, 2600 and 2943
  const anchors = [0, 1000, 2047, 2600, 2943];
  await run(dir, 'handdetect', 256, 'StatefulPartitionedCall/model/conv2d_transpose/conv2d_transpose',
    anchors.flatMap(a => Array.from({length: 19}, (_, k) => a * 19 + k)));
  // hand landmarks: Identity = 21 points x,y,z (224 px), Identity_1 = hand presence, Identity_2 = handedness
  await run(dir, 'handlandmark-full', 224, ['Identity_1', 'Identity_2', 'model_1/model/global_average_pooling2d/Mean']);
})();
