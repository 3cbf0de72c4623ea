#!/usr/bin/env node
// Writes a capture bundle with the browser module, under Node.
//   node make-bundle.mjs --public-key B64_SPKI --kid KID --nonce N --image a.jpg [--image b.jpg]
//                        --out bundle.bin [--camera-label L] [--width W --height H]
//                        [--actions TURN_LEFT,SMILE]   (a challenge capture, SPEC.md 5.2: the nonce is the
//                                                       challenge id, action i prompted at frame i*n/k)
// or, against a server:  node make-bundle.mjs --server http://host:8080 --image a.jpg --out bundle.bin
import { readFile, writeFile } from 'node:fs/promises';
import { createBundle } from '../openbio-bundle.mjs';

const args = process.argv.slice(2);
const opts = { image: [] };
for (let i = 0; i < args.length; i++) {
  const name = args[i];
  if (!name.startsWith('--') || i + 1 >= args.length) {
    console.error(`bad argument ${name}`);
    process.exit(2);
  }
  const key = name.slice(2);
  const value = args[++i];
  if (key === 'image') opts.image.push(value); else opts[key] = value;
}
if (!opts.out || opts.image.length === 0 || !(opts.server || (opts['public-key'] && opts.kid && opts.nonce))) {
  console.error('usage: make-bundle.mjs (--server URL | --public-key B64 --kid KID --nonce N) --image FILE... --out FILE');
  process.exit(2);
}

const start = Date.now();
const frames = [];
for (const [i, path] of opts.image.entries()) {
  frames.push({
    data: await readFile(path),
    contentType: path.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg',
    timestamp: start + i * 100,
    width: opts.width ? Number(opts.width) : undefined,
    height: opts.height ? Number(opts.height) : undefined,
  });
}
const target = opts.server
  ? { server: opts.server, tenant: opts.tenant }
  : { publicKeySpkiB64: opts['public-key'], kid: opts.kid };
const metadata = {
  nonce: opts.nonce,
  captureStart: start,
  captureEnd: start + (frames.length - 1) * 100 + 50,
  camera: opts['camera-label'] || opts.width
    ? { label: opts['camera-label'], width: opts.width && Number(opts.width), height: opts.height && Number(opts.height), facingMode: 'user' }
    : undefined,
};
if (opts.actions) {
  const actions = opts.actions.split(',');
  metadata.challenge = { actions, prompts: actions.map((_, i) => frames[Math.floor((i * frames.length) / actions.length)].timestamp) };
}
const bundle = await createBundle(target, frames, metadata);
await writeFile(opts.out, bundle);
console.log(`wrote ${opts.out}: ${bundle.length} bytes`);
